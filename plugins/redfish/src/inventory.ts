/**
 * Out-of-band inventory from Redfish resources, in the shape ironic-python-agent reports (cpu, memory, disks,
 * interfaces, boot, system_vendor), and the node properties Ironic's redfish inspection sets from it. Pure.
 */
import type { Json } from 'redfish-ts';

const GiB = 1024 ** 3;
const ARCH: Record<string, string> = { 'x86-64': 'x86_64', x86: 'i686', 'ARM-A64': 'aarch64', 'ARM-A32': 'armhf', 'PowerISA': 'ppc64le', IA64: 'ia64', MIPS64: 'mips64' };

export interface RedfishInventoryInput {
  system: Json;
  processors: Json[];
  nics: Json[];
  /** drives (Storage/Drives) or SimpleStorage Devices with CapacityBytes */
  disks: Json[];
}

export function buildInventory(i: RedfishInventoryInput): Json {
  const s = i.system;
  const summary = (s.ProcessorSummary ?? {}) as Json;
  const cpu0 = i.processors.find((p) => p.ProcessorType === undefined || p.ProcessorType === 'CPU');
  const count = typeof summary.Count === 'number' ? summary.Count : i.processors.reduce((n, p) => n + (Number(p.TotalThreads) || 1), 0);
  const memGiB = Number(((s.MemorySummary ?? {}) as Json).TotalSystemMemoryGiB) || 0;
  const mode = ((s.Boot ?? {}) as Json).BootSourceOverrideMode;
  return {
    cpu: {
      count,
      architecture: cpu0 ? (ARCH[String(cpu0.InstructionSet)] ?? null) : null,
      model_name: cpu0?.Model ?? null,
    },
    memory: { physical_mb: Math.round(memGiB * 1024), total: Math.round(memGiB * GiB) },
    disks: i.disks
      .filter((d) => typeof d.CapacityBytes === 'number' && (d.CapacityBytes as number) > 0)
      .map((d) => ({ name: String(d.Name ?? d.Id ?? 'disk'), size: d.CapacityBytes, model: d.Model ?? null, serial: d.SerialNumber ?? null, rotational: d.MediaType === 'HDD' })),
    interfaces: i.nics
      .map((n) => ({ name: String(n.Id ?? n.Name ?? ''), mac_address: String(n.MACAddress ?? n.PermanentMACAddress ?? '').toLowerCase() }))
      .filter((n) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(n.mac_address)),
    boot: { current_boot_mode: mode === 'UEFI' ? 'uefi' : mode === 'Legacy' ? 'bios' : null },
    system_vendor: { manufacturer: s.Manufacturer ?? null, product_name: s.Model ?? null, serial_number: s.SerialNumber ?? null },
  };
}

/** Ironic's inspected properties: memory_mb, cpu_arch, local_gb (largest disk minus 1 GiB), boot_mode capability. */
export function propertiesFrom(inv: Json, current: Json): Json {
  const props: Json = { ...current };
  const cpu = inv.cpu as Json;
  const mem = inv.memory as Json;
  if (Number(mem.physical_mb) > 0) props.memory_mb = mem.physical_mb;
  if (cpu.architecture) props.cpu_arch = cpu.architecture;
  if (Number(cpu.count) > 0) props.cpus = cpu.count;
  const largest = Math.max(0, ...(inv.disks as Json[]).map((d) => Number(d.size) || 0));
  if (largest > 0) props.local_gb = Math.max(0, Math.floor(largest / GiB) - 1);
  const mode = (inv.boot as Json).current_boot_mode;
  if (mode) {
    const caps = typeof current.capabilities === 'string' && current.capabilities ? current.capabilities.split(',').filter((c) => !c.startsWith('boot_mode:')) : [];
    props.capabilities = [...caps, `boot_mode:${mode}`].join(',');
  }
  return props;
}
