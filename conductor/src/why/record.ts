/**
 * The I/O around the pure diagnosis core: record a diagnosis beside a last_error (the node's boot trace read
 * first), and wrap a task's driver so power / boot-device commands sent to the BMC land in the boot trace.
 */
import { bmcDuration, bmcFailures } from '../metrics.ts';
import type { BootTraceEvent, Diagnosis, InterfaceByKind, InterfaceKind, NodeRecord, PortRecord, ResolvedDriver } from '@anvil/sdk';
import { traceBoot } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import { seconds } from '../context.ts';
import { diagnose } from './classify.ts';
import { flushTrace } from './trace-recorder.ts';

export interface RecordInput {
  db: Database;
  settings: Record<string, unknown>;
  node: NodeRecord;
  ports: PortRecord[];
  lastError: string;
  /** The state and step the node was in before the failure was saved. */
  state: string | null;
  step: { interface?: string; step?: string } | null;
  conductor: string;
}

/** The node's boot trace: events of its ports' MACs and its own heartbeats/commands, oldest first. */
export function nodeTrace(db: Database, node: { uuid: string }, ports: { address: string }[], limit = 200): Promise<BootTraceEvent[]> {
  return db.bootTrace.list({ macs: ports.map((p) => p.address), nodeUuid: node.uuid, limit });
}

/** Trace rule windows from the settings: a lookup is expected within min(60 s, half the callback timeout). */
export function traceWindows(settings: Record<string, unknown>, state: string | null) {
  const cb = state?.startsWith('clean') ? 'clean_callback_timeout' : state?.startsWith('rescue') ? 'rescue_callback_timeout' : 'deploy_callback_timeout';
  const timeout = seconds(settings as never, cb, 1800) || 1800;
  return {
    lookupWithinSec: Math.min(60, Math.max(1, timeout / 2)),
    heartbeatStaleSec: Math.max(1, Math.min(seconds(settings as never, 'ramdisk_heartbeat_timeout', 300), timeout / 2)),
  };
}

/** Diagnose and store; never throws (a diagnosis must not fail the task that failed). */
export async function recordDiagnosis(input: RecordInput, warn: (m: string, f?: Record<string, unknown>) => void): Promise<Diagnosis | null> {
  try {
    await flushTrace(input.db);
    const trace = await nodeTrace(input.db, input.node, input.ports);
    // at a callback deadline, a fetched kernel with no lookup at all is the finding, however late it was fetched
    const windows = { ...traceWindows(input.settings, input.state), lookupWithinSec: 0 };
    const d = diagnose(input.lastError, { state: input.state, step: input.step, trace, now: Date.now(), ...windows });
    await input.db.diagnoses.record({
      ...d,
      node_uuid: input.node.uuid,
      last_error: input.lastError,
      provision_state: input.state,
      conductor: input.conductor,
    });
    await input.db.diagnoses.prune(input.node.uuid, 100);
    return d;
  } catch (err) {
    warn('could not record a diagnosis', { error: String(err) });
    return null;
  }
}

/** The driver with power / boot-device calls reported to the boot trace (result ok or the error's first words). */
export function tracedDriver(driver: ResolvedDriver, node: () => NodeRecord, ports: () => PortRecord[]): ResolvedDriver {
  const report = (detail: string, started: number, err?: unknown) => {
    // stamped when the command was sent: the machine may react (PXE-boot) before the BMC call returns
    const base = { node_uuid: node().uuid, kind: 'bmc' as const, detail, duration_ms: Date.now() - started, step: node().provision_state, at: new Date(started).toISOString() };
    const macs = ports().map((p) => p.address);
    const result = err ? 'error' : 'ok';
    const d = err ? `${detail}: ${String((err as Error).message ?? err).slice(0, 200)}` : detail;
    if (!macs.length) traceBoot({ ...base, mac: null, result, detail: d });
    for (const mac of macs) traceBoot({ ...base, mac, result, detail: d });
  };
  const wrap = <T extends object>(impl: T, kind: string, methods: Record<string, ((args: unknown[]) => string) | null>): T =>
    new Proxy(impl, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv);
        const label = typeof prop === 'string' ? methods[prop] : undefined;
        if (typeof v !== 'function' || label === undefined || typeof prop !== 'string') return v;
        const labels = { driver: driver.hardwareType, interface: kind, method: prop };
        return async (...args: unknown[]) => {
          const started = Date.now();
          const end = bmcDuration.startTimer(labels);
          try {
            const out = await v.apply(target, args);
            end();
            if (label) report(label(args), started);
            return out;
          } catch (err) {
            end();
            bmcFailures.inc(labels);
            if (label) report(label(args), started, err);
            throw err;
          }
        };
      },
    });
  const cache = new Map<string, unknown>();
  return {
    hardwareType: driver.hardwareType,
    names: driver.names,
    get<K extends InterfaceKind>(kind: K): InterfaceByKind[K] {
      if (kind !== 'power' && kind !== 'management') return driver.get(kind);
      if (!cache.has(kind)) {
        const impl = driver.get(kind) as object;
        cache.set(
          kind,
          kind === 'power'
            ? wrap(impl, kind, { getPowerState: null, setPowerState: (a) => String(a[1]), reboot: () => 'reboot' })
            : wrap(impl, kind, { getBootDevice: null, setBootDevice: (a) => `boot device ${String(a[1])}${a[2] ? ' (persistent)' : ''}` }),
        );
      }
      return cache.get(kind) as InterfaceByKind[K];
    },
  };
}
