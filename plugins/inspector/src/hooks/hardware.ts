/**
 * Ironic's optional inspection hooks over the hardware inventory (pure): cpus, memory, root-device, boot-mode,
 * cpu-capabilities, extra-hardware, physical-network (the device hooks are in devices.ts).
 */
import type { InspectionData, InspectionHook, JsonObject } from '@anvil/sdk';
import { inNet, isObj, setCapability, setProperty } from './util.ts';

const GiB = 1024 ** 3;

export const cpus: InspectionHook = {
  name: 'cpus',
  process(d) {
    const cpu = isObj(d.inventory.cpu) ? d.inventory.cpu : {};
    if (typeof cpu.count === 'number') setProperty(d.node, 'cpus', cpu.count);
    else d.log.push(`No CPU count in the inventory of node ${d.node.uuid}`);
    if (typeof cpu.architecture === 'string') setProperty(d.node, 'cpu_arch', cpu.architecture);
  },
};

export const memory: InspectionHook = {
  name: 'memory',
  process(d) {
    const mem = isObj(d.inventory.memory) ? d.inventory.memory : {};
    let mb = typeof mem.physical_mb === 'number' ? mem.physical_mb : null;
    if (!mb && typeof mem.total === 'number') mb = Math.floor(mem.total / 1024 / 1024);
    if (mb) setProperty(d.node, 'memory_mb', mb);
    else d.log.push(`No memory size in the inventory of node ${d.node.uuid}`);
  },
};

/** Ironic's root device hints (a subset: name, wwn, serial, vendor, model, by_path, hctl, rotational, size). */
export function matchesHints(disk: JsonObject, hints: JsonObject): boolean {
  for (const [k, want] of Object.entries(hints)) {
    const have = disk[k];
    if (k === 'size') {
      const gib = typeof disk.size === 'number' ? Math.floor(disk.size / GiB) : null;
      const m = /^\s*(>=|<=|==|!=|<|>)?\s*(\d+)\s*$/.exec(String(want));
      if (gib === null || !m) return false;
      const n = Number(m[2]);
      const ok = { '>=': gib >= n, '<=': gib <= n, '<': gib < n, '>': gib > n, '!=': gib !== n, '==': gib === n }[m[1] ?? '=='];
      if (!ok) return false;
    } else if (k === 'rotational') {
      if (Boolean(have) !== (want === true || String(want).toLowerCase() === 'true')) return false;
    } else if (typeof want === 'string' && want.startsWith('s== ')) {
      if (String(have) !== want.slice(4)) return false;
    } else if (String(have ?? '').toLowerCase() !== String(want).toLowerCase()) return false;
  }
  return true;
}

export const rootDevice: InspectionHook = {
  name: 'root-device',
  process(d) {
    let root = isObj(d.plugin_data.root_disk) ? d.plugin_data.root_disk : null;
    const hints = isObj(d.node.properties.root_device) ? d.node.properties.root_device : null;
    if (hints) {
      const disks = Array.isArray(d.inventory.disks) ? d.inventory.disks.filter(isObj) : [];
      root = disks.find((disk) => matchesHints(disk, hints)) ?? null;
      if (!root) {
        d.log.push(`No disks satisfied root device hints for node ${d.node.uuid}`);
        return;
      }
      d.plugin_data.root_disk = root;
    }
    const size = root && typeof root.size === 'number' ? root.size : 0;
    // Ironic leaves one GiB for partitioning
    const localGb = size ? Math.floor(size / GiB) - 1 : 0;
    d.plugin_data.local_gb = localGb;
    setProperty(d.node, 'local_gb', localGb);
  },
};

export const bootMode: InspectionHook = {
  name: 'boot-mode',
  process(d) {
    const boot = isObj(d.inventory.boot) ? d.inventory.boot : {};
    if (typeof boot.current_boot_mode !== 'string') {
      d.log.push(`No boot mode information available for node ${d.node.uuid}`);
      return;
    }
    setCapability(d.node, 'boot_mode', boot.current_boot_mode);
  },
};

/** [inspector]cpu_capabilities default: CPU flag → capability. */
export const DEFAULT_CPU_CAPABILITIES: Record<string, string> = {
  vmx: 'cpu_vt',
  svm: 'cpu_vt',
  aes: 'cpu_aes',
  pse: 'cpu_hugepages',
  pdpe1gb: 'cpu_hugepages_1g',
  smx: 'cpu_txt',
};

export const cpuCapabilities: InspectionHook = {
  name: 'cpu-capabilities',
  process(d, o) {
    const cpu = isObj(d.inventory.cpu) ? d.inventory.cpu : {};
    const flags = Array.isArray(cpu.flags) ? cpu.flags.map(String) : [];
    if (!flags.length) {
      d.log.push(`No CPU flags available for node ${d.node.uuid}`);
      return;
    }
    const map = Object.keys(o.cpu_capabilities).length ? o.cpu_capabilities : DEFAULT_CPU_CAPABILITIES;
    for (const [flag, cap] of Object.entries(map)) if (flags.includes(flag)) setCapability(d.node, cap, 'true');
  },
};

/** extra-hardware: plugin_data.data (hardware's [category, item, key, value] list) → plugin_data.extra nested dict. */
export const extraHardware: InspectionHook = {
  name: 'extra-hardware',
  process(d) {
    const data = d.plugin_data.data;
    if (!Array.isArray(data)) {
      d.log.push(`'data' key is missing from the inspection data of node ${d.node.uuid}`);
      return;
    }
    const extra: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const row of data) {
      if (!Array.isArray(row) || row.length !== 4) continue;
      const [a, b, c, v] = row.map((x, i) => (i < 3 ? String(x) : x));
      ((extra[a as string] ??= {})[b as string] ??= {})[c as string] = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    }
    d.plugin_data.extra = extra as JsonObject;
    delete d.plugin_data.data;
  },
};

/** physical-network: the port's physical_network from the interface's IP and [inspector]physical_network_cidr_map. */
export const physicalNetwork: InspectionHook = {
  name: 'physical-network',
  dependencies: ['validate-interfaces'],
  process(d, o) {
    const all = (d.plugin_data.all_interfaces ?? {}) as Record<string, JsonObject>;
    for (const iface of Object.values(all)) {
      const ip = (iface.ipv4_address || iface.ipv6_address) as string | undefined;
      const port = d.ports.find((p) => p.address === iface.mac_address);
      if (!ip || !port) continue;
      const hit = Object.entries(o.physical_network_cidr_map).find(([cidr]) => safeInNet(ip, cidr));
      if (hit) port.physical_network = hit[1];
    }
  },
};

function safeInNet(ip: string, cidr: string): boolean {
  try {
    return inNet(ip, cidr);
  } catch {
    return false;
  }
}

export default { cpus, memory, 'root-device': rootDevice, 'boot-mode': bootMode, 'cpu-capabilities': cpuCapabilities, 'extra-hardware': extraHardware, 'physical-network': physicalNetwork } satisfies Record<string, InspectionHook>;

export type { InspectionData };
