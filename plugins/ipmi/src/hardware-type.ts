/**
 * Ironic's `ipmi` hardware type: generic boot/deploy choices plus the ipmitool power/management/vendor interfaces
 * (here spoken natively by ipmi-lan-ts). `fake` boot/deploy come last, after Ironic's own choices, so a lab without
 * PXE can still drive real BMCs; names that are not installed are skipped by the registry.
 */
import type { HardwareType } from '@anvil/sdk';

const ipmi: HardwareType = {
  name: 'ipmi',
  description: 'IPMI hardware type: power and boot device over IPMI v2.0 (RMCP+), native client, no ipmitool processes.',
  supported: {
    boot: ['ipxe', 'pxe', 'fake'],
    deploy: ['direct', 'ramdisk', 'fake'],
    inspect: ['agent', 'inspector', 'no-inspect'],
    management: ['ipmitool', 'noop'],
    power: ['ipmitool'],
    console: ['no-console', 'fake-graphical'],
    network: ['flat', 'neutron', 'noop'],
    raid: ['no-raid', 'agent'],
    rescue: ['no-rescue', 'agent'],
    storage: ['noop'],
    vendor: ['ipmitool', 'no-vendor'],
    bios: ['no-bios'],
  },
};

export default ipmi;
