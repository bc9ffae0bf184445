/**
 * GET /v1/anvil/bmc-incidents — an Anvil extension (outside Ironic's names): correlated BMC outages found by the
 * conductors' power sync (many BMCs silent in one round: one incident, no node put in maintenance), newest first,
 * each with the nodes still silent, every node it held, and its diagnosis (code `bmc.outage`). `?state=open|resolved`,
 * `?limit=N` (≤ 1000).
 */
import { incidentDiagnosis } from '@anvil/conductor';
import { InvalidParameterValue } from '@anvil/sdk';
import type { ApiRouter, RouteDeps } from '../context.ts';
import { MAX_LIMIT, Query } from '../query.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/anvil/bmc-incidents', async (ctx) => {
    const q = new Query(ctx.query, ['state', 'limit']);
    const state = q.str('state');
    if (state !== undefined && state !== 'open' && state !== 'resolved') throw new InvalidParameterValue(`Invalid state '${state}': expected open or resolved`);
    const limit = q.int('limit') ?? 100;
    if (limit < 1 || limit > MAX_LIMIT) throw new InvalidParameterValue(`Invalid limit ${limit}: between 1 and ${MAX_LIMIT}`);
    const rows = await deps.db.bmcIncidents.list({ state, limit });
    ctx.body = { bmc_incidents: rows.map((r) => ({ ...r, diagnosis: incidentDiagnosis(r) })) };
  });
}
