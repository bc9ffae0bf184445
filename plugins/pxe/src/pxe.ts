/** The `pxe` boot interface: pxelinux (BIOS) / GRUB (UEFI) configs over TFTP. */
import type { InterfaceFactory } from '@anvil/sdk';
import { PxeBoot } from './boot.ts';

const factory: InterfaceFactory<'boot'> = (config) => new PxeBoot(false, config);
export default factory;
