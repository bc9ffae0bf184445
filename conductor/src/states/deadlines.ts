/**
 * Who resolves a node in a transient state and by when (pure; issue #19 item 5). Each rule names the sweeper that
 * acts when the deadline passes, so "stuck" is measurable (the chaos suite counts nodes past their deadline):
 * - wait states (`wait call-back`, `clean wait`, `rescue wait`, `inspect wait`, `service wait`): the ring owner's callback-timeout
 *   sweep, at provision_updated_at (inspect: inspection_started_at) + Ironic's *_callback_timeout / inspect_wait_timeout,
 *   plus one check_provision_state_interval;
 * - busy states held by a live conductor's lock: that conductor's worker (no deadline while it lives, as Ironic);
 * - busy states held by a dead conductor: the takeover, heartbeat_timeout after its last heartbeat plus one
 *   takeover pass (heartbeat_interval / 2);
 * - busy states with no lock: the owner's stale-reservation sweep, 2 × heartbeat_interval after
 *   provision_updated_at plus one pass (heartbeat_interval).
 */
import { STUCK_STATES_TREATED_AS_FAIL, WAIT_STATES } from './table.ts';

export interface DeadlineNode {
  provision_state: string;
  provision_updated_at: string | null;
  inspection_started_at?: string | null;
  reservation: string | null;
  maintenance: boolean;
}

export interface Deadline {
  /** What resolves it. */
  by: 'callback timeout' | 'lock holder' | 'takeover' | 'stale reservation sweep';
  /** ms since the epoch; null = none while its lock holder lives. */
  at: number | null;
}

const num = (v: unknown, d: number) => (Number.isFinite(Number(v)) && v !== null && v !== '' ? Number(v) : d);
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);

const WAIT_SETTING: Record<string, string> = {
  'wait call-back': 'deploy_callback_timeout',
  'clean wait': 'clean_callback_timeout',
  'rescue wait': 'rescue_callback_timeout',
  'inspect wait': 'inspect_wait_timeout',
  'service wait': 'service_callback_timeout',
};

/**
 * The deadline of a node in a transient state, or null when it is not in one (or is in maintenance, which the
 * sweepers skip as Ironic's do). `holderHeartbeat`: the lock holder's last heartbeat (ms) when it is dead, else null.
 */
export function transientDeadline(node: DeadlineNode, settings: Record<string, unknown>, holderHeartbeat: number | null): Deadline | null {
  const hb = num(settings.heartbeat_interval, 2);
  if (WAIT_STATES.includes(node.provision_state)) {
    if (node.maintenance) return null;
    const timeout = num(settings[WAIT_SETTING[node.provision_state]], 1800);
    if (!(timeout > 0)) return null; // 0 disables the timeout in Ironic
    const since = node.provision_state === 'inspect wait' ? ms(node.inspection_started_at ?? node.provision_updated_at) : ms(node.provision_updated_at);
    return { by: 'callback timeout', at: since + (timeout + num(settings.check_provision_state_interval, 60)) * 1000 };
  }
  if (!STUCK_STATES_TREATED_AS_FAIL.includes(node.provision_state)) return null;
  if (node.reservation && holderHeartbeat === null) return { by: 'lock holder', at: null };
  if (node.reservation) return { by: 'takeover', at: holderHeartbeat! + (num(settings.heartbeat_timeout, 6) + hb / 2) * 1000 };
  return { by: 'stale reservation sweep', at: ms(node.provision_updated_at) + 3 * hb * 1000 };
}
