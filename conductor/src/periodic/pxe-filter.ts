/**
 * The dnsmasq PXE filter's sync (ironic-pxe-filter): every `pxe_filter_sync_period` seconds and when an inspection
 * starts or ends, the hostsdir of the inspection dnsmasq (`pxe_filter_dhcp_hostsdir`) is brought in line with the
 * ports (@anvil/plugin-inspector's planPxeFilter): MACs of nodes in `inspecting` / `inspect wait` on an in-band
 * inspect interface are allowed, other known MACs denied, unknown ones allowed while an inspection runs or
 * auto-discovery is on. Off unless `pxe_filter_driver=dnsmasq`. Each file is written whole, then renamed into place.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@anvil/db';
import { planPxeFilter } from '@anvil/plugin-inspector';
import type { Settings } from '@anvil/sdk';

const INSPECTING = ['inspecting', 'inspect wait'];
const IN_BAND = new Set(['agent', 'inspector']);

export function pxeFilterDir(settings: Readonly<Record<string, unknown>>): string {
  const d = settings.pxe_filter_dhcp_hostsdir;
  return typeof d === 'string' && d ? d : join(String(settings.data_dir ?? '.'), 'dnsmasq', 'pxe-filter-hostsdir');
}

function readDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    out[name] = readFileSync(join(dir, name), 'utf8');
  }
  return out;
}

/** One sync; returns the files written (none when the driver is not dnsmasq). */
export async function syncPxeFilter(db: Database, settings: Settings): Promise<string[]> {
  if (settings.pxe_filter_driver !== 'dnsmasq') return [];
  const dir = pxeFilterDir(settings);
  mkdirSync(dir, { recursive: true });
  const inspecting = (await db.nodes.list({ filters: { provision_state: INSPECTING } as Record<string, unknown> })).filter((n) => IN_BAND.has(String(n.inspect_interface)));
  const activeIds = new Set(inspecting.map((n) => n.id));
  const ports = await db.ports.list({ columns: ['address', 'node_id'] });
  const plan = planPxeFilter({
    knownMacs: ports.map((p) => p.address),
    activeMacs: ports.filter((p) => activeIds.has(p.node_id)).map((p) => p.address),
    current: readDir(dir),
    autoDiscovery: settings.auto_discovery_enabled === true,
    denyUnknownMacs: settings.pxe_filter_deny_unknown_macs === true,
  });
  for (const [name, content] of Object.entries(plan)) {
    const tmp = join(dir, `.${name}.tmp`);
    writeFileSync(tmp, content);
    renameSync(tmp, join(dir, name));
  }
  return Object.keys(plan);
}

/** The sync at an inspection's start and end: a failure is logged, never fails the inspection (the periodic retries). */
export async function syncPxeFilterSafely(ctx: { db: Database; settings: Settings; log: { warn(msg: string, extra?: Record<string, unknown>): void } }): Promise<void> {
  if (ctx.settings.pxe_filter_driver !== 'dnsmasq') return;
  await syncPxeFilter(ctx.db, ctx.settings).catch((err) => ctx.log.warn('pxe filter sync failed; the periodic sync retries', { error: (err as Error).message }));
}
