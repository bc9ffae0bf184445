/** "no-raid": RAID configuration is not supported; the standard logical disk properties are still documented (as in Ironic). */
import { type InterfaceFactory, RAID_LOGICAL_DISK_PROPERTIES, type RaidInterface, REQUIRED_METHODS } from '@anvil/sdk';
import { unsupported } from './unsupported.ts';

const factory: InterfaceFactory<'raid'> = () =>
  unsupported<RaidInterface>('raid', REQUIRED_METHODS.raid, {
    getLogicalDiskProperties: () => ({ ...RAID_LOGICAL_DISK_PROPERTIES }),
  });
export default factory;
