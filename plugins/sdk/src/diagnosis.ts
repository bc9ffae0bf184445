/**
 * Structured diagnoses and the per-MAC boot trace (Anvil extensions, served under /v1/anvil/...). A diagnosis sits
 * beside Ironic's free-text `last_error` (which stays exactly as Ironic words it): a stable code, the step and
 * interface involved, the cause in one sentence, what to check, and whether a retry can help.
 */

/** Every diagnosis code Anvil produces; `<area>.<what>`. */
export const DIAGNOSIS_CODES = [
  'bmc.auth_failed',
  'bmc.unreachable',
  'bmc.outage',
  'bmc.command_failed',
  'driver.invalid_config',
  'boot.deploy_image_unavailable',
  'boot.no_dhcp',
  'boot.no_tftp_request',
  'boot.tftp_file_not_found',
  'boot.dhcp_update_failed',
  'image.checksum_mismatch',
  'image.unreachable',
  'agent.no_lookup',
  'agent.lookup_rejected',
  'agent.no_heartbeat',
  'agent.unreachable',
  'agent.command_failed',
  'deploy.step_failed',
  'deploy.callback_timeout',
  'clean.step_failed',
  'clean.callback_timeout',
  'clean.failed',
  'operation.aborted',
  'driver.operation_failed',
  'rescue.failed',
  'adopt.failed',
  'inspect.failed',
  'power.sync_failed',
  'power.action_failed',
  'conductor.lost',
  'conductor.no_free_worker',
  'lock.held',
  'network.failed',
  'allocation.no_candidate',
  'unclassified',
] as const;

export type DiagnosisCode = (typeof DIAGNOSIS_CODES)[number];

export interface Diagnosis {
  code: DiagnosisCode;
  /** The step running when it failed (`deploy.write_image`, `prepare_ramdisk`, `power on` ...), or null. */
  step: string | null;
  /** The driver interface involved (`power`, `boot`, `deploy`, `management`, `network`, ...), or null. */
  interface: string | null;
  /** The cause, in one sentence. */
  cause: string;
  /** What to check or run. */
  hint: string;
  /** Whether trying again (without changing anything) can help. */
  retryable: boolean;
}

/** A diagnosis recorded for a node: beside its last_error and the node history ERROR entry of the same failure. */
export interface NodeDiagnosisRecord extends Diagnosis {
  uuid: string;
  node_uuid: string;
  /** Ironic's last_error text this explains, unchanged. */
  last_error: string;
  provision_state: string | null;
  conductor: string | null;
  created_at: string;
}

/** What one boot-trace entry saw. */
export const BOOT_TRACE_KINDS = [
  'dhcp', // the DHCP provider was given this MAC's options (dnsmasq host/opts files written, or Neutron updated)
  'tftp', // a TFTP read request to Anvil's TFTP server
  'http', // a GET/HEAD to Anvil's iPXE/boot-file HTTP server
  'lookup', // an agent lookup (accepted, or rejected and why)
  'heartbeat', // an agent heartbeat
  'bmc', // a power / boot-device command sent to the BMC
] as const;
export type BootTraceKind = (typeof BOOT_TRACE_KINDS)[number];

export interface BootTraceEvent {
  /** Lower-case MAC; null when the request named no MAC (a heartbeat is per node). */
  mac: string | null;
  node_uuid: string | null;
  kind: BootTraceKind;
  /** `ok` or a short failure word: `not_found`, `rejected`, `error` ... */
  result: string;
  /** File, URL path, command or reason, e.g. `grub.cfg-01-52-54-00-00-00-01`, `power on`, `no port has this MAC`. */
  detail: string;
  bytes?: number | null;
  duration_ms?: number | null;
  /** The step the node was at (heartbeats: the deploy/clean step in progress). */
  step?: string | null;
  at: string;
}

/**
 * Where plugins and the API report boot-trace events (best effort: never throws, never blocks a request). The
 * conductor process installs one that stores the events; absent, recording is a no-op.
 */
export interface BootTraceSink {
  record(ev: Omit<BootTraceEvent, 'at'> & { at?: string }): void;
}

const SINK_KEY = Symbol.for('anvil.bootTraceSink');
type SinkHolder = { [SINK_KEY]?: BootTraceSink[] };

/** Install a process-wide sink (the built-in TFTP/HTTP servers are process-wide too). Returns an uninstall. */
export function installBootTraceSink(sink: BootTraceSink): () => void {
  const g = globalThis as SinkHolder;
  g[SINK_KEY] ??= [];
  g[SINK_KEY].push(sink);
  return () => {
    const list = g[SINK_KEY] ?? [];
    const i = list.indexOf(sink);
    if (i >= 0) list.splice(i, 1);
  };
}

/** Report one boot-trace event to every installed sink. */
export function traceBoot(ev: Omit<BootTraceEvent, 'at'> & { at?: string }): void {
  for (const s of (globalThis as SinkHolder)[SINK_KEY] ?? []) {
    try {
      s.record(ev);
    } catch {
      // tracing never breaks the traced request
    }
  }
}

/** The MAC in a PXE per-MAC file name (`grub.cfg-01-52-54-…`, `pxelinux.cfg/01-52-54-…`, `pxelinux.cfg/52:54:…`). */
export function macFromBootFile(name: string): string | null {
  const m = /(?:^|[/-])(?:01-)?([0-9a-f]{2}(?:[-:][0-9a-f]{2}){5})$/i.exec(name);
  return m ? m[1].replace(/-/g, ':').toLowerCase() : null;
}

/** `GET /v1/anvil/nodes/{node}/why` and `anvil why NODE -f json`: why the node is where it is. */
export interface WhyReport {
  node: { uuid: string; name: string | null; provision_state: string; target_provision_state: string | null; power_state: string | null; maintenance: boolean; maintenance_reason: string | null };
  /** Since when the node is in its provision state (provision_updated_at) and for how many seconds. */
  state_since: string | null;
  state_seconds: number | null;
  /** What the node waits for, and until when (a callback deadline), or null when it waits for nothing. */
  waiting: { for: string; until: string | null; seconds_left: number | null } | null;
  /** The exclusive lock: holder, since when, whether that conductor is alive (heartbeat within heartbeat_timeout). */
  lock: { holder: string; since: string | null; alive: boolean; last_heartbeat: string | null } | null;
  /** The last failure: Ironic's last_error and its diagnosis (null when last_error is empty). */
  last_failure: { last_error: string; diagnosis: Diagnosis; at: string | null } | null;
  /** What blocks the node now (a held lock, the boot trace), when something does. */
  current: Diagnosis | null;
  /** The boot trace of the node's MACs: one line per event, and counts per kind. */
  boot_trace: { lines: string[]; counts: Record<string, number>; diagnosis: Diagnosis | null };
  /** Why a scheduler would not pick the node (nova-bridge's reasons), filled by the client that knows them. */
  scheduling?: string[];
}

/**
 * A correlated BMC outage (Anvil extension, `GET /v1/anvil/bmc-incidents`): many BMCs of one conductor stopped
 * answering in the same power sync round (a switch, a PDU). One record instead of each node in maintenance;
 * `nodes` are still not answering, `affected` every node it held; resolved by itself when the last one answers.
 */
export interface BmcIncident {
  uuid: string;
  state: 'open' | 'resolved';
  conductor: string;
  nodes: string[];
  affected: string[];
  /** failed reads of each node still silent (power sync retries them with backoff) */
  failed_reads: Record<string, number>;
  started_at: string;
  updated_at: string;
  resolved_at: string | null;
  diagnosis: Diagnosis;
}
