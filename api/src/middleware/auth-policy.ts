/**
 * Policy enforcement, after body parsing and before the routes: the rule table (policy/routes.ts) names the rules,
 * the node or allocation in the path supplies the target. Project users asking for a node they cannot see get 404;
 * project-scoped lists are narrowed to the project; node fields are redacted below filter_threshold.
 * Nothing is checked in noauth mode or on public routes.
 */
import type { Middleware } from 'koa';
import { AnvilError, NotFound } from '@anvil/sdk';
import type { Database } from '@anvil/db';
import type { ApiState } from '../context.ts';
import { getNode } from '../lookup.ts';
import { check, forbidden } from '../policy/authorize.ts';
import type { PolicyTarget } from '../policy/creds.ts';
import { routeRule } from '../policy/routes.ts';
import type { AuthState } from './auth.ts';
import { redactNode } from './auth-redact.ts';

const NO_PROJECT = '\u0000no-project';

export function policyMiddleware(db: Database): Middleware<ApiState> {
  return async (ctx, next) => {
    const auth = ctx.state.auth;
    if (!auth || auth.public || auth.creds.noauth) return next();
    const rr = routeRule(ctx.method, ctx.path, ctx.state.body);
    if (!rr || (rr.since !== undefined && ctx.state.minor < rr.since)) return next();
    const { creds, policy } = auth;
    const ok = (rule: string, t: PolicyTarget = {}) => check(rule, t, creds, policy);
    let target: PolicyTarget = {};
    if (rr.kind === 'node' && rr.ident) {
      const node = await getNode(db, rr.ident, ctx.state.minor).catch((e) => {
        // GET /v1/nodes/{missing}/allocation is Ironic's 400, answered by the route
        if (rr.special === 'node_allocation_get' && AnvilError.is(e) && e.status === 404) return null;
        throw e;
      });
      if (!node) return next();
      target = { node_owner: node.owner ?? null, node_lessee: node.lessee ?? null };
      if (rr.special === 'node_delete' && !ok('baremetal:node:delete', target)) rr.rules.push('baremetal:node:delete:self_owned_node');
      for (const rule of rr.rules) {
        if (ok(rule, target)) continue;
        // Conceal the node's existence from project users who may not even read it.
        if (creds.system_scope !== 'all' && !ok('baremetal:node:get', target)) throw new NotFound(`Node ${rr.ident} could not be found.`);
        throw forbidden(rule);
      }
    } else if (rr.kind === 'allocation' && rr.ident) {
      try {
        const a = await db.allocations.getByIdent(rr.ident);
        target = { allocation_owner: a.owner ?? null };
      } catch (e) {
        if (!(AnvilError.is(e) && e.status === 404)) throw e;
        return next(); // the route answers with its own 404 / 400
      }
      for (const rule of rr.rules) if (!ok(rule, target)) throw forbidden(rule);
    } else if (rr.kind === 'runbook' && rr.ident) {
      const rb = await db.runbooks.getByIdent(rr.ident).catch((e) => {
        if (AnvilError.is(e) && e.status === 404) return null;
        throw e;
      });
      if (!rb) return next(); // the route answers with its own 404 / 400
      target = { runbook_owner: rb.owner ?? null };
      for (const rule of rr.rules) {
        if (ok(rule, target)) continue;
        if (rr.special === 'runbook_get' && rb.public) continue; // Ironic: anyone may read a public runbook
        throw forbidden(rule);
      }
    } else {
      for (const rule of rr.rules) if (!ok(rule)) throw forbidden(rule);
    }
    specialCases(rr.special, auth, ok, ctx.state);
    await next();
    if (ctx.method === 'GET' && (rr.special === 'node_list' || (rr.kind === 'node' && rr.rules[0] === 'baremetal:node:get' && ctx.path.split('/').length === 4)))
      await redactBody(ctx.body, db, ok);
  };
}

function specialCases(special: string | undefined, auth: AuthState, ok: (rule: string, t?: PolicyTarget) => boolean, state: ApiState): void {
  const project = auth.creds.project_id ?? NO_PROJECT;
  const body = state.body && typeof state.body === 'object' && !Array.isArray(state.body) ? (state.body as Record<string, unknown>) : undefined;
  if (special === 'node_list' && !ok('baremetal:node:list_all')) auth.projectFilter = project;
  if (special === 'allocation_list' && !ok('baremetal:allocation:list_all')) auth.projectFilter = project;
  if (special === 'runbook_list' && !ok('baremetal:runbook:list_all')) {
    if (!auth.creds.project_id) throw forbidden('baremetal:runbook:list_all');
    auth.projectFilter = project;
  }
  if (special === 'node_create' && !ok('baremetal:node:create')) {
    if (!ok('baremetal:node:create:self_owned_node') || !auth.creds.project_id) throw forbidden('baremetal:node:create');
    if (body?.owner != null && body.owner !== project) throw forbidden('baremetal:node:create');
    auth.forceOwner = project;
  }
  if (special === 'allocation_create' && !ok('baremetal:allocation:create_restricted')) {
    if (body?.owner != null && body.owner !== project) throw forbidden('baremetal:allocation:create_restricted');
    auth.forceOwner = project;
  }
}

async function redactBody(body: unknown, db: Database, ok: (rule: string, t?: PolicyTarget) => boolean): Promise<void> {
  if (!body || typeof body !== 'object' || ok('baremetal:node:get:filter_threshold')) return;
  const b = body as Record<string, unknown>;
  const nodes = Array.isArray(b.nodes) ? (b.nodes as Record<string, unknown>[]) : [b];
  for (const n of nodes) {
    if (!n || typeof n !== 'object') continue;
    let target: PolicyTarget;
    if ('owner' in n && 'lessee' in n) target = { node_owner: n.owner as string | null, node_lessee: n.lessee as string | null };
    else if (typeof n.uuid === 'string') {
      const rec = await db.nodes.getByUuid(n.uuid).catch(() => null);
      target = { node_owner: rec?.owner ?? null, node_lessee: rec?.lessee ?? null };
    } else target = {};
    redactNode(n, (field) => ok(`baremetal:node:get:${field}`, target));
  }
}
