/**
 * The hardware inventory a simulated machine reports, shaped like ironic-python-agent's (hardware.py
 * list_hardware_info: cpu, memory, disks with by_path/wwn/serial, interfaces with LLDP, system_vendor, boot,
 * bmc_address, hostname), deterministic from a seed index so racks of them differ but repeat. Pure.
 */
import type { SimSwitch } from './switch.ts';

export interface NicSpec {
  name: string;
  mac: string;
  ipv4?: string | null;
  /** the switch and its port this NIC is cabled to (LLDP) */
  switch?: SimSwitch;
  switchPort?: number;
  bond?: { id: number };
}

export interface InventoryOptions {
  index: number;
  nics: NicSpec[];
  /** which NIC network-booted (inventory.boot.pxe_interface) */
  pxeMac?: string;
  bootMode?: 'uefi' | 'bios';
  bmcAddress?: string;
  cpus?: number;
  memoryMb?: number;
  diskGiB?: number[];
  /** extra CPU flags */
  flags?: string[];
}

const GiB = 1024 ** 3;

export function simInventory(o: InventoryOptions): Record<string, unknown> {
  const n = o.index;
  const serial = (p: string, i: number) => `${p}${(n * 16 + i).toString(16).toUpperCase().padStart(8, '0')}`;
  const cpus = o.cpus ?? 4;
  const memMb = o.memoryMb ?? 8192;
  const disks = (o.diskGiB ?? [20, 100]).map((gib, i) => ({
    name: `/dev/sd${String.fromCharCode(97 + i)}`,
    model: i === 0 ? 'SIM SSD 240' : 'SIM HDD 1T',
    size: gib * GiB,
    rotational: i !== 0,
    wwn: `0x5000c500${(n * 8 + i).toString(16).padStart(8, '0')}`,
    serial: serial('SD', i),
    vendor: 'ANVIL',
    wwn_with_extension: null,
    wwn_vendor_extension: null,
    hctl: `0:0:${i}:0`,
    by_path: `/dev/disk/by-path/pci-0000:00:1f.2-ata-${i + 1}`,
    logical_sectors: 512,
    physical_sectors: 4096,
  }));
  const interfaces = o.nics.map((nic, i) => ({
    name: nic.name,
    mac_address: nic.mac,
    ipv4_address: nic.ipv4 ?? null,
    ipv6_address: null,
    has_carrier: true,
    lldp: nic.switch ? nic.switch.lldpFor(nic.switchPort ?? i + 1, nic.bond) : null,
    vendor: '0x8086',
    product: '0x1572',
    client_id: null,
    biosdevname: `em${i + 1}`,
    speed_mbps: 10000,
    pci_address: `0000:3b:00.${i}`,
    driver: 'i40e',
  }));
  return {
    cpu: {
      model_name: 'Simulated Xeon(R) CPU @ 2.60GHz',
      frequency: '2600.0000',
      count: cpus,
      architecture: 'x86_64',
      flags: ['fpu', 'vme', 'pse', 'msr', 'pae', 'sse', 'sse2', 'vmx', 'aes', 'pdpe1gb', ...(o.flags ?? [])],
      socket_count: 1,
    },
    memory: { total: memMb * 1024 * 1024 - 64 * 1024 * 1024, physical_mb: memMb },
    disks,
    interfaces,
    system_vendor: {
      product_name: 'Anvil Sim Server',
      serial_number: serial('SN', 0),
      manufacturer: 'Anvil',
      firmware: { vendor: 'Anvil', version: '1.0', build_date: '2026-01-01' },
    },
    boot: { current_boot_mode: o.bootMode ?? 'uefi', pxe_interface: o.pxeMac ?? o.nics[0]?.mac ?? null },
    hostname: `sim-${n}`,
    bmc_address: o.bmcAddress ?? '0.0.0.0',
    bmc_v6address: '::/0',
    bmc_mac: null,
  };
}

/** What IPA's default inspection collector sends next to the inventory: the root disk (smallest ≥ 4 GiB) and the PXE MAC. */
export function simPluginData(inventory: Record<string, unknown>): Record<string, unknown> {
  const disks = (inventory.disks as { size: number }[]).filter((d) => d.size >= 4 * GiB).sort((a, b) => a.size - b.size);
  return { root_disk: disks[0] ?? null, boot_interface: (inventory.boot as { pxe_interface: string | null }).pxe_interface };
}
