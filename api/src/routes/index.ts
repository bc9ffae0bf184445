/**
 * Every route module of the API, in registration order. To add one: write routes/<thing>.ts exporting
 * `register(router, deps)` and add ONE line here. Keep specific paths (e.g. /v1/nodes/detail) in the module
 * that owns the collection so they are registered before its /:ident routes.
 */
import type { RouteModule } from '../context.ts';
import * as chassis from './chassis.ts';
import * as conductors from './conductors.ts';
import * as drivers from './drivers.ts';
import * as eventsStream from './events-stream.ts';
import * as nodeMaintenance from './node-maintenance.ts';
import * as nodeManagement from './node-management.ts';
import * as nodeStates from './node-states.ts';
import * as nodeTraits from './node-traits.ts';
import * as nodeValidate from './node-validate.ts';
import * as nodeVendor from './node-vendor.ts';
import * as nodes from './nodes.ts';
import * as portgroups from './portgroups.ts';
import * as ports from './ports.ts';
import * as root from './root.ts';

export const ROUTE_MODULES: RouteModule[] = [
  root,
  eventsStream, // GET /v1/anvil/events (nova-bridge)
  drivers,
  nodeValidate, // before nodes: GET /v1/nodes/validate is not a node name
  nodes,
  nodeStates,
  nodeManagement,
  nodeMaintenance,
  conductors,
  nodeTraits,
  nodeVendor,
  ports,
  portgroups,
  chassis,
];
