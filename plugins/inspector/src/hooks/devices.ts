/**
 * Ironic's device hooks (pure): `pci-devices` (plugin_data.pci_devices counted per `[inspector]pci_device_alias`
 * into the node's capabilities, `<alias name>:<count>`), `accelerators` (PCI devices found in the known accelerators
 * list — `[inspector]known_accelerators`, Ironic's default list built in — become `properties.accelerators`, an
 * empty list when none), `raid-device` (the root device after RAID creation: the one disk serial that is new
 * against the previously stored inventory becomes `properties.root_device = {serial}`).
 */
import type { InspectionHook, JsonObject } from '@anvil/sdk';
import { isObj, setCapability, setProperty } from './util.ts';

/** Ironic's known_accelerators.yaml. */
export const DEFAULT_KNOWN_ACCELERATORS: JsonObject[] = [
  { vendor_id: '10de', device_id: '1eb8', type: 'GPU', device_info: 'NVIDIA Corporation Tesla T4' },
  { vendor_id: '10de', device_id: '1df6', type: 'GPU', device_info: 'NVIDIA Corporation GV100GL' },
];

/** `[inspector]pci_device_alias` entries ({vendor_id, product_id, name}, exactly those keys) → "vendor:product" → name. */
export function parsePciAliases(v: unknown): Record<string, string> {
  let entries: unknown[] = [];
  if (Array.isArray(v)) entries = v;
  else if (typeof v === 'string' && v.trim()) {
    try {
      const parsed = JSON.parse(v);
      entries = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      entries = [];
    }
  }
  const out: Record<string, string> = {};
  for (const e of entries.map((x) => (typeof x === 'string' ? safeJson(x) : x))) {
    if (!isObj(e) || Object.keys(e).sort().join() !== 'name,product_id,vendor_id') continue;
    out[`${e.vendor_id}:${e.product_id}`] = String(e.name);
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

export const pciDevices: InspectionHook = {
  name: 'pci-devices',
  process(d, o) {
    const aliases = o.pci_device_alias ?? {};
    if (!Array.isArray(d.plugin_data.pci_devices)) {
      if (Object.keys(aliases).length) d.log.push('warning: No information about PCI devices was received from the ramdisk.');
      return;
    }
    const counts: Record<string, number> = {};
    for (const dev of d.plugin_data.pci_devices.filter(isObj)) {
      const name = aliases[`${dev.vendor_id}:${dev.product_id}`];
      if (name) counts[name] = (counts[name] ?? 0) + 1;
    }
    for (const [name, count] of Object.entries(counts)) setCapability(d.node, name, count);
  },
};

export const accelerators: InspectionHook = {
  name: 'accelerators',
  process(d, o) {
    // IPA reports them in plugin_data, Redfish in the inventory
    let devices = Array.isArray(d.plugin_data.pci_devices) ? d.plugin_data.pci_devices : [];
    if (!devices.length) devices = Array.isArray(d.inventory.pci_devices) ? d.inventory.pci_devices : [];
    if (!devices.length) {
      d.log.push(`warning: Unable to process accelerator devices because no PCI device information was received from the ramdisk for node ${d.node.uuid}.`);
      return;
    }
    const known = o.known_accelerators ?? DEFAULT_KNOWN_ACCELERATORS;
    const found: JsonObject[] = [];
    for (const dev of devices.filter(isObj)) {
      const k = known.find((x) => x.vendor_id === dev.vendor_id && x.device_id === dev.product_id);
      if (k) found.push({ ...k, pci_address: dev.bus ?? null });
    }
    setProperty(d.node, 'accelerators', found);
  },
};

const serials = (inventory: unknown): string[] =>
  isObj(inventory) && Array.isArray(inventory.disks) ? inventory.disks.filter(isObj).map((x) => x.serial).filter((s): s is string => typeof s === 'string' && s !== '') : [];

export const raidDevice: InspectionHook = {
  name: 'raid-device',
  process(d) {
    if ('root_device' in d.node.properties) {
      d.log.push(`Root device is already known for node ${d.node.uuid}`);
      return;
    }
    const current = serials(d.inventory);
    if (!current.length) {
      d.log.push(`warning: No block device information was received from the ramdisk for node ${d.node.uuid}`);
      return;
    }
    if (!d.previous_inventory) return; // the first run: the inventory is stored as usual
    const previous = serials(d.previous_inventory);
    const added = current.filter((s) => !previous.includes(s));
    if (added.length !== 1) {
      d.log.push(`warning: ${added.length ? 'Root device cannot be identified because multiple new devices were found' : 'No new devices were found'} for node ${d.node.uuid}`);
      return;
    }
    setProperty(d.node, 'root_device', { serial: added[0] });
  },
};

export default { 'pci-devices': pciDevices, accelerators, 'raid-device': raidDevice } satisfies Record<string, InspectionHook>;
