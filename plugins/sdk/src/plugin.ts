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
  inspect: ['no-inspect'],
  network: ['noop'],
  raid: ['no-raid'],
  rescue: ['no-rescue'],
  storage: ['noop'],
  vendor: ['no-vendor'],
};

/** Methods an implementation of each kind must have (checked when the plugin loads). */
export const REQUIRED_METHODS: Readonly<Record<InterfaceKind, readonly string[]>> = {
  bios: ['getProperties', 'validate', 'cacheBiosSettings'],
  boot: ['getProperties', 'validate', 'prepareRamdisk', 'cleanUpRamdisk', 'prepareInstance', 'cleanUpInstance'],
  console: ['getProperties', 'validate', 'startConsole', 'stopConsole', 'getConsole'],
  deploy: ['getProperties', 'validate', 'deploy', 'tearDown', 'prepare', 'cleanUp', 'takeOver'],
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

