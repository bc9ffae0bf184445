/**
 * Correlated BMC failure (pure decision core; power-sync.ts does the I/O). Ironic's power sync counts each node's
 * failed reads and, after power_state_sync_max_retries, puts the node in maintenance. When a switch or a PDU goes,
 * many BMCs stop answering in the same round: flipping each into maintenance turns one fault into hundreds of
 * manual clean-ups. Here, when at least max(bmc_incident_min_nodes, ⌈bmc_incident_min_fraction × checked⌉) BMCs of
 * one conductor's round did not answer, they become ONE incident: no maintenance, no failure counting, each node
 * retried with exponential backoff (base = the sync interval, capped), and every node that answers again leaves
 * the incident; the incident resolves by itself when the last one does (or when the nodes left are no longer
 * this conductor's: the ring moved them, they were deleted or put in maintenance). An outage that began mid-round shows in
 * two rounds: silent nodes of the round right after the opening one join it whatever their number. Likewise an
 * outage spans conductors: while another conductor has one open, this conductor's silent BMCs make (or join) its
 * own incident whatever their number (`peerOutage`). Fewer failures than the threshold, and not
 * already in an incident: Ironic's per-node counting (a single flaky BMC still goes to maintenance).
 */

import type { Diagnosis } from '@anvil/sdk';

export interface IncidentPolicy {
  minNodes: number;
  minFraction: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface IncidentMember {
  /** failed reads since the node joined */
  failures: number;
  /** not read again before this time (ms) */
  nextTryAt: number;
}

export interface OpenIncident {
  uuid: string;
  startedAt: number;
  /** nodes still not answering */
  members: Map<string, IncidentMember>;
  /** every node the incident ever held */
  affected: Set<string>;
  /** rounds decided since it opened (0 in the round that opened it) */
  rounds: number;
}

/** What one round observed for a node it read: answered (with any power state), or no answer from its BMC. */
export interface ReadOutcome {
  node: string;
  unreachable: boolean;
}

export interface RoundDecision {
  /** a new incident was opened this round (its uuid) */
  opened: string | null;
  /** nodes that joined the incident this round */
  joined: string[];
  /** nodes that answered again and left it */
  cleared: string[];
  /** members read again that still did not answer */
  retried: string[];
  /** the incident resolved (every member answered): its uuid */
  resolved: string | null;
  /** unreachable nodes left to Ironic's per-node counting */
  countNormally: string[];
}

export function backoffMs(failures: number, p: IncidentPolicy): number {
  return Math.min(p.backoffMaxMs, p.backoffBaseMs * 2 ** Math.max(0, failures - 1));
}

export function threshold(checked: number, p: IncidentPolicy): number {
  return Math.max(1, p.minNodes, Math.ceil(p.minFraction * checked));
}

/** Nodes of the open incident whose backoff has not run out: the round does not read them. */
export function deferred(incident: OpenIncident | null, now: number): Set<string> {
  const out = new Set<string>();
  if (!incident) return out;
  for (const [node, m] of incident.members) if (m.nextTryAt > now) out.add(node);
  return out;
}

/**
 * Decide a round. `checked` counts every node the round read (answered or not); `newId` names a new incident.
 * Mutates and returns the incident (null when none is open after the round).
 */
export function decideRound(
  incident: OpenIncident | null,
  outcomes: ReadOutcome[],
  checked: number,
  now: number,
  p: IncidentPolicy,
  newId: () => string,
  /** another conductor has an outage open: this one's few silent BMCs are the same outage seen from here */
  peerOutage = false,
  /** every node this conductor still syncs (its own, not in maintenance); null: all of them */
  owned: ReadonlySet<string> | null = null,
): { incident: OpenIncident | null; decision: RoundDecision } {
  const decision: RoundDecision = { opened: null, joined: [], cleared: [], retried: [], resolved: null, countNormally: [] };
  const down = outcomes.filter((o) => o.unreachable).map((o) => o.node);
  let inc = incident;
  if (inc && owned) {
    // a member this conductor no longer syncs (the ring moved it, it was deleted or put in maintenance) leaves:
    // nobody here would ever read it again, so it would hold the incident open forever
    for (const node of [...inc.members.keys()]) {
      if (owned.has(node)) continue;
      inc.members.delete(node);
      decision.cleared.push(node);
    }
  }
  if (inc) {
    for (const o of outcomes) {
      const m = inc.members.get(o.node);
      if (!m) continue;
      if (o.unreachable) {
        decision.retried.push(o.node);
        m.failures++;
        m.nextTryAt = now + backoffMs(m.failures, p);
      } else {
        inc.members.delete(o.node);
        decision.cleared.push(o.node);
      }
    }
  }
  if (inc) inc.rounds++;
  const fresh = down.filter((n) => !inc?.members.has(n));
  // an outage that began while a round was under way shows in two rounds: the round after opening still joins
  const joining = inc !== null && inc.rounds <= 1;
  if (fresh.length && (joining || peerOutage || fresh.length >= threshold(checked, p))) {
    if (!inc) {
      inc = { uuid: newId(), startedAt: now, members: new Map(), affected: new Set(), rounds: 0 };
      decision.opened = inc.uuid;
    }
    for (const n of fresh) {
      inc.members.set(n, { failures: 1, nextTryAt: now + backoffMs(1, p) });
      inc.affected.add(n);
      decision.joined.push(n);
    }
  } else {
    decision.countNormally = fresh;
  }
  if (inc && inc.members.size === 0) {
    decision.resolved = inc.uuid;
    inc = null;
  }
  return { incident: inc, decision };
}

/** The diagnosis an incident carries (issue #18's shape, code bmc.outage). */
export function incidentDiagnosis(i: { state: string; conductor: string; nodes: string[]; affected: string[] }): Diagnosis {
  const open = i.state === 'open';
  return {
    code: 'bmc.outage',
    step: 'power state sync',
    interface: 'power',
    cause: open
      ? `${i.affected.length} BMCs of conductor ${i.conductor} stopped answering in the same power sync round; ${i.nodes.length} still do not answer. One outage (a switch, a PDU, the management network), not ${i.affected.length} broken nodes: none was put in maintenance.`
      : `${i.affected.length} BMCs of conductor ${i.conductor} stopped answering together and all answer again; nothing was left in maintenance.`,
    hint: open
      ? 'Check what these BMCs share (management switch, PDU, VLAN, route from the conductor). Anvil keeps retrying them with backoff and clears the incident by itself when they answer.'
      : 'Nothing to do; look at the shared switch or PDU if it happens again.',
    retryable: true,
  };
}
