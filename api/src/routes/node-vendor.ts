/**
 * Node vendor passthru, like Ironic:
 *   GET /v1/nodes/{node}/vendor_passthru/methods   the node's vendor interface methods
 *   ANY /v1/nodes/{node}/vendor_passthru?method=X  (or …/vendor_passthru/X, as python-ironicclient sends) run on the owning conductor (ConductorApi.vendorPassthru):
 *                                                  202 + empty body when async, else 200 + JSON return value
 */
import { type ConductorApi, TemporaryFailure } from '@anvil/sdk';
import type { AnvilRegistry } from '@anvil/registry';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { passthruBody, passthruMethod, sendVendorResult } from './drivers.ts';

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/vendor_passthru/methods', async (ctx) => {
    new Query(ctx.query as Record<string, string | string[]>, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const driver = await (deps.registry as AnvilRegistry).load(node);
    ctx.body = driver.get('vendor').methods();
  });

  const passthru = async (ctx: ApiContext & { params: Record<string, string> }) => {
    const method = passthruMethod(ctx);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    const body = passthruBody(ctx);
    const conductor = deps.conductor as Partial<ConductorApi> | undefined;
    if (!conductor?.vendorPassthru) throw new TemporaryFailure('No conductor is available to run vendor passthru methods.');
    const res = await conductor.vendorPassthru(
      { uuid: node.uuid, driver: node.driver, conductor_group: node.conductor_group },
      method,
      ctx.method,
      body,
    );
    sendVendorResult(ctx, res);
  };
  router.all('/v1/nodes/:ident/vendor_passthru', passthru);
  router.all('/v1/nodes/:ident/vendor_passthru/:method', passthru);
}
