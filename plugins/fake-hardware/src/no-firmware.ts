/** "no-firmware" (Ironic 39): firmware is not supported; caching components is a no-op, as Ironic's NoFirmware. */
import { type FirmwareInterface, type InterfaceFactory, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'firmware'> = () =>
  unsupported<FirmwareInterface>('firmware', REQUIRED_METHODS.firmware, { cacheFirmwareComponents: async () => {} });
export default factory;
