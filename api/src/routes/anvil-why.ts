/**
 * Anvil's failure explanations (outside Ironic's names, no microversion): `GET /v1/anvil/nodes/{node}/why` (state,
 * wait deadline, lock holder, last failure with its diagnosis, boot trace), `/diagnoses` (recorded beside each
 * last_error), `/history` (Ironic's node history with the diagnosis of each ERROR entry), `/boot-trace`, and
 * `GET /v1/anvil/boot-trace/{mac}` for a MAC no node may own.
 */
import type { BootTraceEvent, NodeDiagnosisRecord } from '@anvil/sdk';
import { diagnoseTrace, explain, flushTrace, nodeTrace, summarizeTrace, traceWindows } from '@anvil/conductor/why';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const minorOf = (ctx: ApiContext) => Math.max(ctx.state.minor, 5); // names always resolve here

async function nodeAndTrace(ctx: ApiContext, deps: RouteDeps) {
  const node = await getNode(deps.db, ctx.params.ident, minorOf(ctx));
  await flushTrace(deps.db);
  const ports = await deps.db.ports.list({ filters: { node_id: node.id } });
  const trace = await nodeTrace(deps.db, node, ports);
  return { node, trace };
}

/** The ERROR history entry a diagnosis explains: same text, recorded within a few seconds. */
function diagnosisFor(event: string, at: string, diags: NodeDiagnosisRecord[]): NodeDiagnosisRecord | null {
  const t = Date.parse(at);
  return diags.filter((d) => d.last_error === event && Math.abs(Date.parse(d.created_at) - t) < 5000).at(-1) ?? null;
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/anvil/nodes/:ident/why', async (ctx) => {
    new Query(ctx.query, []);
    const { node, trace } = await nodeAndTrace(ctx, deps);
    const [lock, diagnoses] = await Promise.all([deps.db.nodes.lockInfo(node.uuid), deps.db.diagnoses.list(node.uuid)]);
    const holder = lock?.reservation ?? null;
    const conductor = holder ? await deps.db.conductors.get(holder).catch(() => null) : null;
    ctx.body = explain({
      node,
      lock: holder ? { holder, since: lock?.reserved_at ?? null } : null,
      holderHeartbeat: conductor?.online ? conductor.updated_at : null,
      diagnoses,
      trace,
      settings: deps.settings as Record<string, unknown>,
      windows: traceWindows(deps.settings as Record<string, unknown>, node.provision_state),
      now: Date.now(),
    });
  });

  router.get('/v1/anvil/nodes/:ident/diagnoses', async (ctx) => {
    const q = new Query(ctx.query, ['limit']);
    const node = await getNode(deps.db, ctx.params.ident, minorOf(ctx));
    const limit = q.has('limit') ? Number(ctx.query.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1) throw new FrameworkError(400, `Invalid limit: ${ctx.query.limit}`);
    ctx.body = { diagnoses: await deps.db.diagnoses.list(node.uuid, Math.min(limit, 1000)) };
  });

  router.get('/v1/anvil/nodes/:ident/history', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, minorOf(ctx));
    const [rows, diags] = await Promise.all([deps.db.history.list(node.id, { sortKey: 'id', sortDir: 'asc', limit: 1000 }), deps.db.diagnoses.list(node.uuid, 1000)]);
    ctx.body = {
      history: rows.map((h) => ({
        uuid: h.uuid,
        created_at: h.created_at,
        severity: h.severity,
        event: h.event,
        event_type: h.event_type,
        conductor: h.conductor,
        diagnosis: h.severity === 'ERROR' ? diagnosisFor(h.event, h.created_at, diags) : null,
      })),
    };
  });

  router.get('/v1/anvil/nodes/:ident/boot-trace', async (ctx) => {
    new Query(ctx.query, []);
    const { node, trace } = await nodeAndTrace(ctx, deps);
    ctx.body = traceBody(trace, deps, node.provision_state);
  });

  router.get('/v1/anvil/boot-trace/:mac', async (ctx) => {
    new Query(ctx.query, []);
    const mac = ctx.params.mac.toLowerCase();
    if (!MAC_RE.test(mac)) throw new FrameworkError(400, `Expected a MAC address: ${ctx.params.mac}`);
    await flushTrace(deps.db);
    ctx.body = traceBody(await deps.db.bootTrace.list({ macs: [mac] }), deps, null);
  });
}

function traceBody(events: BootTraceEvent[], deps: RouteDeps, state: string | null) {
  const diagnosis = events.length ? diagnoseTrace(events, { now: Date.now(), ...traceWindows(deps.settings as Record<string, unknown>, state) }) : null;
  return { events, lines: summarizeTrace(events), diagnosis };
}
