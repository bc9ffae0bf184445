/**
 * /v1/nodes/{node}/history (1.78): the node's event log; non-detail entries carry a 255-character event. Detail adds
 * `project` from 1.113 and `state`, `target_provision_state`, `duration_seconds` from 1.115 (Ironic 39).
 */
import { AnvilError, type NodeHistoryRecord, NotFound } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkUuidOrName, subSince } from '../sub-since.ts';
import { linkPair } from '../links.ts';
import { getNode } from '../lookup.ts';
import { nextLink, paging, Query } from '../query.ts';

export function renderHistory(h: NodeHistoryRecord, nodeUuid: string, base: string, detail: boolean, minor: number): Record<string, unknown> {
  const out: Record<string, unknown> = { uuid: h.uuid, created_at: h.created_at, severity: h.severity };
  if (detail) out.event_type = h.event_type; // Ironic's detail_fields order
  out.event = detail || (h.event ?? '').length <= 255 ? h.event : `${h.event.slice(0, 251)}...`;
  if (detail) {
    out.conductor = h.conductor;
    out.user = h.user;
    if (minor >= 113) out.project = h.project;
    if (minor >= 115) {
      out.state = h.state;
      out.target_provision_state = h.target_provision_state;
      out.duration_seconds = h.duration_seconds;
    }
  }
  out.links = [linkPair(base, 'nodes', `${nodeUuid}/history/${h.uuid}`)[0]]; // Ironic: self link only
  return out;
}

async function list(ctx: ApiContext, deps: RouteDeps) {
  const q = new Query(ctx.query, ['detail', 'marker', 'limit']);
  const detail = q.bool('detail') ?? false;
  const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
  const p = paging(q, []);
  const rows = await deps.db.history.list(node.id, { limit: p.limit, marker: p.marker, sortKey: 'id', sortDir: 'asc' });
  const base = baseUrl(ctx, deps.settings);
  const items = rows.map((h) => renderHistory(h, node.uuid, base, detail, ctx.state.minor));
  const body: Record<string, unknown> = { history: items };
  const next = nextLink(base, `nodes/${node.uuid}/history`, items, p.limit, { detail: q.has('detail') ? (detail ? 'True' : 'False') : undefined });
  if (next) body.next = next;
  ctx.body = body;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  const since = subSince(78);
  router.get('/v1/nodes/:ident/history', since, (ctx) => list(ctx, deps));
  router.get('/v1/nodes/:ident/history/:event', since, async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const ev = ctx.params.event;
    checkUuidOrName('event', ev);
    let h: NodeHistoryRecord;
    try {
      h = await deps.db.history.getByUuid(ev);
    } catch (e) {
      if (AnvilError.is(e) && e.status === 404) throw new NotFound(`Node history record ${ev} could not be found.`);
      throw e;
    }
    if (h.node_id !== node.id) throw new NotFound(`Node history record ${ev} could not be found.`);
    ctx.body = renderHistory(h, node.uuid, baseUrl(ctx, deps.settings), true, ctx.state.minor);
  });
}
