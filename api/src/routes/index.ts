/**
 * Every route module of the API, in registration order. To add one: write routes/<thing>.ts exporting
 * `register(router, deps)` and add ONE line here. Keep specific paths (e.g. /v1/nodes/detail) in the module
 * that owns the collection so they are registered before its /:ident routes.
 */
import type { RouteModule } from '../context.ts';
import * as chassis from './chassis.ts';
import * as drivers from './drivers.ts';
import * as eventsStream from './events-stream.ts';
import * as nodeTraits from './node-traits.ts';
import * as nodeVendor from './node-vendor.ts';
import * as nodes from './nodes.ts';
import * as portgroups from './portgroups.ts';
import * as ports from './ports.ts';
import * as root from './root.ts';

export const ROUTE_MODULES: RouteModule[] = [
  root,
  eventsStream, // GET /v1/anvil/events (nova-bridge)
  drivers,
  nodes,
  nodeTraits,
  nodeVendor,
  ports,
  portgroups,
  chassis,
];
