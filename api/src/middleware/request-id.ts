/**
 * Openstack-Request-Id and X-OpenStack-Request-Id: req-<uuid> (fresh per request) on every response. An inbound X-Openstack-Request-Id of
 * that shape is kept as the global request id (ctx.state.globalRequestId) for logs, as oslo's middleware does.
 * The rest of the request runs in its log context (@anvil/conductor log.ts), which RPC carries to the conductor.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { requestContext } from '@anvil/conductor';
import type { ApiState } from '../context.ts';

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requestIdMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    const inbound = ctx.get('X-Openstack-Request-Id');
    const id = `req-${randomUUID()}`;
    ctx.state.requestId = id;
    if (REQ_ID.test(inbound)) ctx.state.globalRequestId = inbound;
    ctx.set('Openstack-Request-Id', id);
    ctx.set('X-OpenStack-Request-Id', id); // Ironic 39 (1.107) sends both, at every version
    // everything this request causes (RPC to the conductor, its task and BMC calls) logs under this id
    await requestContext.run({ request_id: id, global_request_id: ctx.state.globalRequestId }, next);
  };
}
