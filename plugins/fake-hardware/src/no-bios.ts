/** "no-bios": BIOS settings are not supported. cacheBiosSettings is a no-op (Ironic calls it on every node). */
import { type BiosInterface, type InterfaceFactory, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'bios'> = () =>
  unsupported<BiosInterface>('bios', REQUIRED_METHODS.bios, { cacheBiosSettings: async () => {} });
export default factory;
