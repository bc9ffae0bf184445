/**
 * `why` (pure): the node's state and how long it has been there, what it waits for and until when, who holds its
 * lock since when and whether that conductor is alive, the last failure with its diagnosis, and the boot trace.
 */
import type { BootTraceEvent, Diagnosis, NodeDiagnosisRecord, WhyReport } from '@anvil/sdk';
import { RULES } from '../periodic/callback-timeouts.ts';
import { diagnose } from './classify.ts';
import { diagnoseTrace, summarizeTrace } from './trace.ts';

export interface WhyInput {
  node: {
    uuid: string;
    name: string | null;
    provision_state: string;
    target_provision_state: string | null;
    provision_updated_at: string | null;
    power_state: string | null;
    maintenance: boolean;
    maintenance_reason: string | null;
    last_error: string | null;
  };
  lock: { holder: string; since: string | null } | null;
  /** Heartbeat time of the lock holder's conductor row (null: no such conductor). */
  holderHeartbeat: string | null;
  diagnoses: NodeDiagnosisRecord[];
  trace: BootTraceEvent[];
  settings: Record<string, unknown>;
  windows: { lookupWithinSec: number; heartbeatStaleSec: number };
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: unknown, d: number) => (Number.isFinite(Number(v)) && v !== null && v !== '' ? Number(v) : d);

export function explain(input: WhyInput): WhyReport {
  const { node, now } = input;
  const since = node.provision_updated_at ? Date.parse(node.provision_updated_at) : null;
  const rule = RULES.find((r) => r.state === node.provision_state);
  let waiting: WhyReport['waiting'] = null;
  if (rule) {
    const timeout = num(input.settings[rule.setting], 0);
    const until = since !== null && timeout > 0 ? since + timeout * 1000 : null;
    const what = rule.state === 'inspect wait' ? 'the inspection ramdisk to report' : 'the ramdisk to call back (lookup + heartbeat)';
    waiting = { for: `${what} (${rule.setting} ${timeout || 'off'})`, until: until === null ? null : iso(until), seconds_left: until === null ? null : Math.round((until - now) / 1000) };
  } else if (node.target_provision_state) {
    waiting = { for: `the conductor to finish moving the node to "${node.target_provision_state}"`, until: null, seconds_left: null };
  }
  const hbTimeout = num(input.settings.heartbeat_timeout, 6);
  const alive = input.holderHeartbeat !== null && now - Date.parse(input.holderHeartbeat) <= hbTimeout * 1000;
  const lock = input.lock ? { holder: input.lock.holder, since: input.lock.since, alive, last_heartbeat: input.holderHeartbeat } : null;
  let current: Diagnosis | null = null;
  if (lock) {
    const held = lock.since ? ` since ${lock.since} (${Math.round((now - Date.parse(lock.since)) / 1000)} s)` : '';
    current = {
      code: alive ? 'lock.held' : 'conductor.lost',
      step: node.provision_state,
      interface: null,
      cause: alive
        ? `Conductor ${lock.holder} holds the node's lock${held}, working on it.`
        : `The node's lock is held by conductor ${lock.holder}${held}, which is not alive (last heartbeat ${lock.last_heartbeat ?? 'never'}).`,
      hint: alive
        ? 'Wait for the operation to finish (requests get 409 until then); see `baremetal node show NODE` for its progress.'
        : 'Another conductor releases it within heartbeat_timeout; if none is running, start one.',
      retryable: true,
    };
  }
  const traceDiag = input.trace.length ? diagnoseTrace(input.trace, { now, ...input.windows }) : null;
  if (!current && rule && traceDiag) current = traceDiag;
  let last_failure: WhyReport['last_failure'] = null;
  if (node.last_error) {
    const rec = input.diagnoses.filter((d) => d.last_error === node.last_error).at(-1) ?? null;
    const d: Diagnosis = rec
      ? { code: rec.code, step: rec.step, interface: rec.interface, cause: rec.cause, hint: rec.hint, retryable: rec.retryable }
      : diagnose(node.last_error, { state: node.provision_state });
    last_failure = { last_error: node.last_error, diagnosis: d, at: rec?.created_at ?? null };
  }
  const counts: Record<string, number> = {};
  for (const e of input.trace) counts[`${e.kind} ${e.result}`] = (counts[`${e.kind} ${e.result}`] ?? 0) + 1;
  return {
    node: {
      uuid: node.uuid,
      name: node.name,
      provision_state: node.provision_state,
      target_provision_state: node.target_provision_state,
      power_state: node.power_state,
      maintenance: node.maintenance,
      maintenance_reason: node.maintenance_reason,
    },
    state_since: since === null ? null : iso(since),
    state_seconds: since === null ? null : Math.round((now - since) / 1000),
    waiting,
    lock,
    last_failure,
    current,
    boot_trace: { lines: summarizeTrace(input.trace), counts, diagnosis: traceDiag },
  };
}

/** The report as text (the CLI's default format). */
export function formatWhy(r: WhyReport): string {
  const out: string[] = [];
  const n = r.node;
  out.push(`node ${n.name ?? n.uuid} (${n.uuid})`);
  out.push(`  state: ${n.provision_state}${n.target_provision_state ? ` -> ${n.target_provision_state}` : ''}${r.state_seconds !== null ? ` for ${r.state_seconds} s (since ${r.state_since})` : ''}; power ${n.power_state ?? 'unknown'}${n.maintenance ? `; maintenance: ${n.maintenance_reason ?? 'yes'}` : ''}`);
  if (r.waiting) out.push(`  waiting for: ${r.waiting.for}${r.waiting.until ? ` until ${r.waiting.until} (${r.waiting.seconds_left} s left)` : ''}`);
  if (r.lock) out.push(`  locked by: ${r.lock.holder}${r.lock.since ? ` since ${r.lock.since}` : ''} (conductor ${r.lock.alive ? 'alive' : 'NOT alive'}, last heartbeat ${r.lock.last_heartbeat ?? 'never'})`);
  const d = (label: string, x: { code: string; step: string | null; interface: string | null; cause: string; hint: string; retryable: boolean }) => {
    out.push(`  ${label}: ${x.code}${x.step ? ` at ${x.step}` : ''}${x.interface ? ` (${x.interface} interface)` : ''}`);
    out.push(`    cause: ${x.cause}`);
    out.push(`    hint: ${x.hint}`);
    out.push(`    retry can help: ${x.retryable ? 'yes' : 'no'}`);
  };
  if (r.current) d('now', r.current);
  if (r.last_failure) {
    out.push(`  last error: ${r.last_failure.last_error}`);
    d('diagnosis', r.last_failure.diagnosis);
  }
  if (r.boot_trace.lines.length) {
    out.push(`  boot trace (${r.boot_trace.lines.length} events):`);
    for (const l of r.boot_trace.lines.slice(-25)) out.push(`    ${l}`);
    if (r.boot_trace.diagnosis && r.boot_trace.diagnosis.code !== r.current?.code && r.boot_trace.diagnosis.code !== r.last_failure?.diagnosis.code) d('boot trace', r.boot_trace.diagnosis);
  } else out.push('  boot trace: no events');
  if (r.scheduling) out.push(`  scheduling: ${r.scheduling.length ? r.scheduling.join('; ') : 'usable for a new instance'}`);
  return out.join('\n');
}
