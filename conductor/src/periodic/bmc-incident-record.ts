/**
 * The I/O side of a correlated BMC outage: after a round that touched the incident (opened, nodes joined, retried
 * or cleared, resolved), its row is saved (`GET /v1/anvil/bmc-incidents`), one `incident` event goes to the node event
 * stream (`/v1/anvil/events`, `event: bmc_incident`) and one log line names the nodes when its node set changed.
 * Nothing per node.
 */
import type { BmcIncident } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { incidentDiagnosis, type OpenIncident, type RoundDecision } from './bmc-incident.ts';

export async function recordIncident(ctx: ConductorContext, incident: OpenIncident | null, d: RoundDecision): Promise<void> {
  if (!incident || (!d.opened && !d.joined.length && !d.cleared.length && !d.retried.length && !d.resolved)) return;
  const now = new Date().toISOString();
  const row: Omit<BmcIncident, 'diagnosis'> = {
    uuid: incident.uuid,
    state: d.resolved ? 'resolved' : 'open',
    conductor: ctx.hostname,
    nodes: d.resolved ? [] : [...incident.members.keys()],
    affected: [...incident.affected],
    failed_reads: d.resolved ? {} : Object.fromEntries([...incident.members].map(([n, m]) => [n, m.failures])),
    started_at: new Date(incident.startedAt).toISOString(),
    updated_at: now,
    resolved_at: d.resolved ? now : null,
  };
  await ctx.db.bmcIncidents.save(row);
  const full: BmcIncident = { ...row, diagnosis: incidentDiagnosis(row) };
  if (d.opened || d.joined.length || d.cleared.length || d.resolved) ctx.events.emit('incident', full);
  const detail = { incident: row.uuid, affected: row.affected.length, still_down: row.nodes.length, joined: d.joined, cleared: d.cleared.length };
  if (d.resolved) ctx.log.info('BMC outage resolved: every BMC answers again', detail);
  else if (d.opened) ctx.log.warn(`BMC outage: ${d.joined.length} BMCs stopped answering at once; one incident, no node put in maintenance`, detail);
  else if (d.joined.length || d.cleared.length) ctx.log.info('BMC outage updated', detail);
}
