/**
 * Plugin packaging contract: how a package declares Anvil entry points and what each entry module exports.
 * The registry (@anvil/registry) reads these from the "anvil" field of a package's package.json:
 *
 *   "anvil": {
 *     "hardware_types": { "acme": "./src/hardware-type.ts" },
 *     "interfaces": { "power": { "acme-power": "./src/power.ts" } }
 *   }
 *
 * A hardware-type module default-exports a HardwareType (or a factory `(settings) => HardwareType`);
 * an interface module default-exports an InterfaceFactory `(settings) => implementation` (or the object itself).
 */
import type { InterfaceKind } from './objects.ts';

export interface AnvilPackageManifest {
  hardware_types?: Record<string, string>;
  interfaces?: Partial<Record<InterfaceKind, Record<string, string>>>;
  /** inspection hooks by name (see inspection.ts) */
  inspection_hooks?: Record<string, string>;
}

/** Kinds every hardware type must be able to resolve (Ironic's AbstractHardwareType has no defaults for these). */
export const REQUIRED_INTERFACE_KINDS: readonly InterfaceKind[] = ['boot', 'deploy', 'management', 'power'];

/**
 * Names a hardware type supports for a kind it does not list (Ironic's AbstractHardwareType defaults):
 * the no-op implementation of that kind.
 */
export const IMPLICIT_SUPPORTED: Readonly<Partial<Record<InterfaceKind, string[]>>> = {
  bios: ['no-bios'],
  console: ['no-console'],
  firmware: ['no-firmware'],
  inspect: ['no-inspect'],
  network: ['noop'],
  raid: ['no-raid'],
  rescue: ['no-rescue'],
  storage: ['noop'],
  vendor: ['no-vendor'],
};

/**
 * Installed implementations left out of a kind's default enabled list (no enabled_<kind>_interfaces setting):
 * Ironic's own defaults do not name them, they are enabled only by listing them.
 */
export const NOT_ENABLED_BY_DEFAULT: Readonly<Partial<Record<InterfaceKind, string[]>>> = {
  console: ['fake-graphical'],
};

/** Methods an implementation of each kind must have (checked when the plugin loads). */
export const REQUIRED_METHODS: Readonly<Record<InterfaceKind, readonly string[]>> = {
  bios: ['getProperties', 'validate', 'cacheBiosSettings'],
  boot: ['getProperties', 'validate', 'prepareRamdisk', 'cleanUpRamdisk', 'prepareInstance', 'cleanUpInstance'],
  console: ['getProperties', 'validate', 'startConsole', 'stopConsole', 'getConsole'],
  deploy: ['getProperties', 'validate', 'deploy', 'tearDown', 'prepare', 'cleanUp', 'takeOver'],
  firmware: ['getProperties', 'validate', 'cacheFirmwareComponents'],
  inspect: ['getProperties', 'validate', 'inspectHardware'],
  management: ['getProperties', 'validate', 'getSupportedBootDevices', 'setBootDevice', 'getBootDevice'],
  network: [
    'getProperties',
    'validate',
    'vifList',
    'vifAttach',
    'vifDetach',
    'addProvisioningNetwork',
    'removeProvisioningNetwork',
    'configureTenantNetworks',
    'unconfigureTenantNetworks',
    'addCleaningNetwork',
    'removeCleaningNetwork',
  ],
  power: ['getProperties', 'validate', 'getPowerState', 'setPowerState', 'reboot', 'getSupportedPowerStates'],
  raid: ['getProperties', 'validate', 'getLogicalDiskProperties'],
  rescue: ['getProperties', 'validate', 'rescue', 'unrescue', 'cleanUp'],
  storage: ['getProperties', 'validate', 'attachVolumes', 'detachVolumes', 'shouldWriteImage'],
  vendor: ['getProperties', 'validate', 'methods', 'callMethod'],
};


/**
 * Ironic's standard RAID logical disk properties (its RAID config schema), worded as Ironic 21.4 answers them
 * (test/differential): what every RAID interface accepts unless it documents its own (GET /v1/drivers/{name}/raid/logical_disk_properties).
 */
export const RAID_LOGICAL_DISK_PROPERTIES: Readonly<Record<string, string>> = {
  raid_level: "RAID level for the logical disk. Valid values are 'JBOD', '0', '1', '2', '5', '6', '1+0', '5+0' and '6+0'. Required.",
  size_gb: "Size in GiB (Integer) for the logical disk. Use 'MAX' as size_gb if this logical disk is supposed to use the rest of the space available. Required.",
  volume_name: "Name of the volume to be created. If this is not specified, it will be auto-generated. Optional.",
  is_root_volume: "Specifies whether this disk is a root volume. By default, this is False. Optional.",
  share_physical_disks: "Specifies whether other logical disks can share physical disks with this logical disk. By default, this is False. Optional.",
  disk_type: "The type of disk preferred. Valid values are 'hdd' and 'ssd'. If this is not specified, disk type will not be a selection criterion for choosing backing physical disks. Optional.",
  interface_type: "The interface type of disk. Valid values are 'sata', 'scsi' and 'sas'. If this is not specified, interface type will not be a selection criterion for choosing backing physical disks. Optional.",
  number_of_physical_disks: "Number of physical disks to use for this logical disk. By default, the driver uses the minimum number of disks required for that RAID level. Optional.",
  controller: "Controller to use for this logical disk. If not specified, the driver will choose a suitable RAID controller on the bare metal node. Optional.",
  physical_disks: "The physical disks to use for this logical disk. If not specified, the driver will choose suitable physical disks to use. Optional.",
};
