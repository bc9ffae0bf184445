/**
 * Ironic's `redfish` hardware type: Redfish power/management/inspect/bios/firmware/raid/vendor, virtual media or UEFI HTTP boot
 * first, then the generic PXE choices. Names that are not installed are skipped by the registry.
 */
import type { HardwareType } from '@anvil/sdk';

const redfish: HardwareType = {
  name: 'redfish',
  description: 'Redfish hardware type: power, boot devices, virtual media, BIOS, firmware and inspection over DMTF Redfish.',
  supported: {
    boot: ['ipxe', 'pxe', 'redfish-virtual-media', 'redfish-https', 'fake'],
    deploy: ['direct', 'ramdisk', 'fake'],
    inspect: ['redfish', 'agent', 'inspector', 'no-inspect'],
    management: ['redfish', 'noop'],
    power: ['redfish'],
    console: ['no-console', 'fake-graphical'],
    network: ['flat', 'neutron', 'noop'],
    raid: ['redfish', 'no-raid', 'agent'],
    rescue: ['no-rescue', 'agent'],
    storage: ['noop'],
    vendor: ['redfish', 'no-vendor'],
    bios: ['redfish', 'no-bios'],
    firmware: ['redfish', 'no-firmware'],
  },
};

export default redfish;
