/**
 * Every route module of the API, in registration order. To add one: write routes/<thing>.ts exporting
 * `register(router, deps)` and add ONE line here. Keep specific paths (e.g. /v1/nodes/detail) in the module
 * that owns the collection so they are registered before its /:ident routes.
 */
import type { RouteModule } from '../context.ts';
import * as chassis from './chassis.ts';
import * as allocations from './allocations.ts';
import * as deployTemplates from './deploy-templates.ts';
import * as events from './events.ts';
import * as nodeBios from './node-bios.ts';
import * as nodeFirmware from './node-firmware.ts';
import * as nodeStatesOther from './node-states-other.ts';
import * as nodeVmedia from './node-vmedia.ts';
import * as nodeHistory from './node-history.ts';
import * as nodeInventory from './node-inventory.ts';
import * as shards from './shards.ts';
import * as nodeVifs from './node-vifs.ts';
import * as nodeConsole from './node-console.ts';
import * as nodeRaid from './node-raid.ts';
import * as nodeNmi from './node-nmi.ts';
import * as nodeIndicators from './node-indicators.ts';
import * as nodeBootMode from './node-boot-mode.ts';
import * as volume from './volume.ts';
import * as conductors from './conductors.ts';
import * as drivers from './drivers.ts';
import * as eventsStream from './events-stream.ts';
import * as anvilWhy from './anvil-why.ts';
import * as bmcIncidents from './bmc-incidents.ts';
import * as heartbeat from './heartbeat.ts';
import * as lookup from './lookup.ts';
import * as continueInspection from './continue-inspection.ts';
import * as inspectionRules from './inspection-rules.ts';
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
import * as runbooks from './runbooks.ts';
import * as runbookTraits from './runbook-traits.ts';
import * as openapi from './openapi.ts';

export const ROUTE_MODULES: RouteModule[] = [
  root,
  openapi, // GET /v1/openapi.json (built from this router)
  eventsStream, // GET /v1/anvil/events (nova-bridge)
  anvilWhy, // /v1/anvil/nodes/{node}/why|diagnoses|history|boot-trace, /v1/anvil/boot-trace/{mac}
  bmcIncidents, // GET /v1/anvil/bmc-incidents (correlated BMC outages)
  lookup, // GET /v1/lookup (ramdisk, public)
  heartbeat, // POST /v1/heartbeat/{node} (ramdisk, public)
  continueInspection, // POST /v1/continue_inspection (ramdisk, public)
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
  allocations, // /v1/allocations, /v1/nodes/{node}/allocation (1.52)
  deployTemplates, // 1.55
  runbooks, // 1.92
  runbookTraits, // 1.112
  volume, // /v1/volume, /v1/nodes/{node}/volume (1.32)
  nodeHistory, // 1.78
  nodeInventory, // 1.81
  nodeBios, // 1.40
  nodeFirmware, // 1.86
  nodeVmedia, // 1.89, GET 1.93
  events, // POST /v1/events (1.54)
  shards, // 1.82
  inspectionRules, // 1.96
  nodeVifs, // 1.28
  nodeConsole, // states/console
  nodeRaid, // states/raid (1.12)
  nodeNmi, // management/inject_nmi (1.29)
  nodeIndicators, // management/indicators (1.63)
  nodeBootMode, // states/boot_mode, states/secure_boot (1.76)
  nodeStatesOther, // last: any other method under states/ is Ironic's 405
];
