/** The `ipxe` boot interface: iPXE scripts, kernel and ramdisk over HTTP. */
import type { InterfaceFactory } from '@anvil/sdk';
import { PxeBoot } from './boot.ts';

const factory: InterfaceFactory<'boot'> = (config) => new PxeBoot(true, config);
export default factory;
