/** "no-raid": RAID configuration is not supported (no logical disk properties). */
import { type InterfaceFactory, type RaidInterface, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported, unsupportedError } from './unsupported.ts';

const factory: InterfaceFactory<'raid'> = () =>
  unsupported<RaidInterface>('raid', REQUIRED_METHODS.raid, {
    getLogicalDiskProperties: () => {
      throw unsupportedError(null, 'raid');
    },
  });
export default factory;
