/**
 * POST /v1/heartbeat/{node} (public, ≥1.22), or POST /v1/heartbeat with `node_ident` in the body (authenticated, as
 * Ironic's public routes name only the first): the ramdisk's heartbeat. `agent_version` needs 1.36. Body checks as Ironic (callback_url required,
 * agent_verify_ca must be a string); the conductor checks the agent token (a missing or wrong one → 400, as real
 * Ironic 21.4 answers, not 403) and acts on the wait state. 202 with an empty body.
 */
import { InvalidParameterValue, NotFound, traceBoot } from '@anvil/sdk';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { FrameworkError } from '../framework-error.ts';
import { getNode } from '../lookup.ts';
import { conductorOf, routeOf } from './node-states.ts';

const pyRepr = (v: unknown) => (v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : JSON.stringify(v));

export function register(router: ApiRouter, deps: RouteDeps): void {
  const heartbeat = async (ctx: ApiContext, identInBody: boolean) => {
    const body = ctx.state.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
    const b = body as Record<string, unknown>;
    const strField = (k: string): string | null => {
      const v = b[k];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') throw new InvalidParameterValue(`Expected string for ${k}: ${pyRepr(v)}`);
      return v;
    };
    // POST /v1/heartbeat names the node in the body (Ironic's controller takes node_ident as an argument either way)
    const ident = identInBody ? strField('node_ident') : ctx.params.ident;
    if (!ident) throw new InvalidParameterValue('Missing mandatory parameter: node_ident');
    const callbackUrl = strField('callback_url');
    if (!callbackUrl) throw new InvalidParameterValue('Missing mandatory parameter: callback_url');
    // Ironic validates the arguments first, then answers exception.NotFound below 1.22
    if (ctx.state.minor < 22) throw new NotFound('Resource could not be found.');
    if (b.agent_version !== undefined && b.agent_version !== null && ctx.state.minor < 36) throw new InvalidParameterValue('Field "agent_version" not recognised');
    try {
      const u = new URL(callbackUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      throw new InvalidParameterValue(`Invalid callback_url: ${callbackUrl}`);
    }
    const hb = {
      callback_url: callbackUrl,
      agent_token: strField('agent_token'),
      agent_version: strField('agent_version'),
      agent_verify_ca: strField('agent_verify_ca'),
      agent_status: strField('agent_status'),
    };
    const node = await getNode(deps.db, ident, ctx.state.minor);
    const conductor = conductorOf(deps);
    if (!conductor.heartbeat) throw new FrameworkError(404, '');
    const step = (node.deploy_step?.step ? node.deploy_step : node.clean_step?.step ? node.clean_step : null) as { interface?: string; step?: string } | null;
    const trace = (result: string, detail: string) =>
      traceBoot({ mac: null, node_uuid: node.uuid, kind: 'heartbeat', result, detail, step: step ? `${step.interface}.${step.step}` : node.provision_state });
    try {
      await conductor.heartbeat(routeOf(node), hb);
    } catch (err) {
      trace('rejected', `${node.provision_state}: ${(err as Error).message}`.slice(0, 300));
      throw err;
    }
    trace('ok', `${node.provision_state}${hb.agent_status ? ` (agent ${hb.agent_status})` : ''}`);
    ctx.body = null;
    ctx.status = 202;
  };
  router.post('/v1/heartbeat/:ident', (ctx) => heartbeat(ctx, false));
  router.post('/v1/heartbeat', (ctx) => heartbeat(ctx, true));
}
