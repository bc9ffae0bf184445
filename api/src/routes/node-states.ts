/**
 * /v1/nodes/{node}/states: GET the state summary; PUT /states/provision (verbs) and PUT /states/power,
 * both 202 + Location …/states. Checks follow Ironic's NodeStatesController (API side); the conductor
 * re-checks under the node lock. The conductor is reached through deps.conductor (ConductorApi).
 */
import {
  type ConductorApi,
  Conflict,
  InvalidParameterValue,
  InvalidStateRequested,
  type Json,
  type JsonObject,
  NodeInMaintenance,
  NodeLocked,
  NotAcceptable,
  type ProvisionArgs,
  pyRepr,
  TemporaryFailure,
} from '@anvil/sdk';
import type { NodeView } from '@anvil/db';
import {
  DEPLOY_ABORT_MIN_VERSION,
  eventForVerb,
  INSPECT_ABORT_MIN_VERSION,
  LATE_VERB_MIN_VERSION,
  invalidStateMessage,
  isActionable,
  isVerbActionable,
  VERB_MIN_VERSION,
} from '@anvil/conductor/states';
import type { ApiContext, ApiRouter, RouteDeps } from '../context.ts';
import { baseUrl } from '../context.ts';
import { getNode } from '../lookup.ts';
import { Query } from '../query.ts';
import { checkRunbookArg, runbookSteps } from '../nodes/runbook-steps.ts';
import { parseBool } from '../validate/common.ts';
import { checkConfigdrive, checkSteps } from './node-states-body.ts';

export const POWER_TARGETS = ['power on', 'power off', 'rebooting', 'soft rebooting', 'soft power off'];

export function conductorOf(deps: RouteDeps): ConductorApi {
  const c = deps.conductor as ConductorApi | undefined;
  if (!c) throw new TemporaryFailure('No conductor is available to handle this request.');
  return c;
}

export const routeOf = (n: NodeView) => ({ uuid: n.uuid, driver: n.driver, conductor_group: n.conductor_group });

/** Ironic's node_states_convert + update_state_in_older_versions. */
export function renderStates(node: NodeView, minor: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    console_enabled: node.console_enabled,
    last_error: node.last_error,
    power_state: node.power_state,
    provision_state: node.provision_state,
    target_power_state: node.target_power_state,
    target_provision_state: node.target_provision_state,
    provision_updated_at: node.provision_updated_at,
  };
  if (minor >= 12) {
    out.raid_config = node.raid_config ?? {};
    out.target_raid_config = node.target_raid_config ?? {};
  }
  if (minor >= 75) {
    out.boot_mode = node.boot_mode;
    out.secure_boot = node.secure_boot;
  }
  if (minor < 2 && out.provision_state === 'available') out.provision_state = null;
  if (minor < 39 && out.provision_state === 'inspect wait') out.provision_state = 'inspecting';
  return out;
}

function body(ctx: ApiContext): Record<string, unknown> {
  const b = ctx.state.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidParameterValue('Invalid request body: a JSON object is expected');
  return b as Record<string, unknown>;
}

function unexpected(b: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(b).filter((k) => !allowed.includes(k));
  if (extra.length) throw new InvalidParameterValue(`Unexpected arguments: ${extra.sort().join(', ')}`);
}

function optString(b: Record<string, unknown>, key: string): string | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new InvalidParameterValue(`Invalid ${key}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function setLocation(ctx: ApiContext, deps: RouteDeps, ident: string): void {
  ctx.body = null;
  ctx.status = 202;
  ctx.set('Location', `${baseUrl(ctx, deps.settings)}/v1/nodes/${ident}/states`);
}

/** Ironic's args.boolean: a JSON boolean or one of oslo's words. */
function optBool(b: Record<string, unknown>, key: string): boolean | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  return parseBool(key, String(v));
}

/** Ironic's args.types(type(None), list) message. */
function optList(b: Record<string, unknown>, key: string): unknown[] | undefined {
  const v = b[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new InvalidParameterValue(`Expected types <class 'NoneType'>, <class 'list'> for ${key}: ${pyRepr(v as Json)}`);
  return v;
}

/** utils.check_allow_disable_ramdisk (Ironic 39): manual cleaning from 1.70, servicing from 1.108, nothing else. */
function checkDisableRamdisk(target: string, disableRamdisk: boolean | undefined, minor: number): void {
  if (disableRamdisk === undefined) return;
  const since = target === 'clean' ? 70 : target === 'service' ? 108 : 0;
  if (!since) throw new InvalidParameterValue('disable_ramdisk is supported only with manual cleaning or servicing');
  if (minor < since) throw new NotAcceptable('disable_ramdisk is not acceptable in this API version');
}

const onlyFor = (what: string, target: string) => new InvalidParameterValue(`"${what}" is only valid when setting target provision state to ${target}`);

/** Ironic 39's NodeStatesController.provision, check by check in its order. */
async function provision(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  new Query(ctx.query, []);
  const b = body(ctx);
  unexpected(b, ['target', 'configdrive', 'clean_steps', 'deploy_steps', 'rescue_password', 'disable_ramdisk', 'service_steps', 'runbook']);
  const runbook = checkRunbookArg(b.runbook);
  const target = optString(b, 'target');
  if (target === undefined) throw new InvalidParameterValue('Missing mandatory argument: target');
  let disableRamdisk = optBool(b, 'disable_ramdisk');
  let cleanSteps = optList(b, 'clean_steps');
  const deploySteps = optList(b, 'deploy_steps');
  let serviceSteps = optList(b, 'service_steps');
  const minor = ctx.state.minor;
  const node = await getNode(deps.db, ident, minor);
  const min = VERB_MIN_VERSION[target];
  if (min !== undefined && minor < min) throw new NotAcceptable('Request not acceptable.'); // Ironic check_allow_management_verbs
  if ((target === 'active' || target === 'rebuild') && node.maintenance) {
    throw new NodeInMaintenance(`The provisioning operation can't be performed on node ${node.uuid} because it's in maintenance mode.`);
  }
  const event = eventForVerb(target) ?? target;
  if (!isVerbActionable(node.provision_state, target)) {
    if (node.reservation) {
      throw new NodeLocked(`Node ${node.uuid} is locked by host ${node.reservation}, please retry after the current operation is completed.`);
    }
    if (eventForVerb(target) === null && isActionable(node.provision_state, event)) {
      throw new InvalidStateRequested(`The requested action "${target}" could not be understood.`);
    }
    throw new InvalidStateRequested(invalidStateMessage(target, node.uuid, node.provision_state));
  }
  const configdrive = b.configdrive as string | JsonObject | null | undefined;
  checkConfigdrive(target, configdrive, minor);
  if (runbook !== undefined) {
    const rb = await runbookSteps(ctx, deps.db, node, target, runbook, { clean_steps: cleanSteps, service_steps: serviceSteps }); // Ironic 1.92
    if (rb.clean_steps) cleanSteps = rb.clean_steps;
    if (rb.service_steps) serviceSteps = rb.service_steps;
    disableRamdisk = rb.disable_ramdisk;
  }
  checkDisableRamdisk(target, disableRamdisk, minor);
  if (cleanSteps?.length && target !== 'clean') throw onlyFor('clean_steps', 'clean');
  if (deploySteps?.length) {
    if (minor < 69) throw new NotAcceptable('Request not acceptable. The minimal required API version should be 1.69');
    if (target !== 'active' && target !== 'rebuild') {
      throw new InvalidParameterValue('"deploy_steps" is only valid when setting target provision state to active or rebuild');
    }
  }
  const rescuePassword = optString(b, 'rescue_password');
  if (rescuePassword !== undefined && target !== 'rescue') throw onlyFor('rescue_password', 'rescue');
  if (target === 'abort') {
    if (node.provision_state === 'inspect wait' && minor < INSPECT_ABORT_MIN_VERSION) throw new NotAcceptable('Request not acceptable.');
    if (node.provision_state === 'wait call-back' && minor < DEPLOY_ABORT_MIN_VERSION) throw new NotAcceptable('Request not acceptable.');
  }
  if (serviceSteps?.length && target !== 'service') throw onlyFor('service_steps', 'service');
  const late = LATE_VERB_MIN_VERSION[target];
  if (late !== undefined && minor < late) throw new NotAcceptable('Request not acceptable.');
  const args: ProvisionArgs = {};
  if (target === 'active' || target === 'rebuild' || target === 'deploy') {
    if (deploySteps?.length) args.deploy_steps = checkSteps(deploySteps, 'deploy');
    if (configdrive) args.configdrive = configdrive;
  } else if (target === 'rescue') {
    if (!rescuePassword?.trim()) {
      throw new InvalidParameterValue('A non-empty "rescue_password" is required when setting target provision state to rescue');
    }
    args.rescue_password = rescuePassword;
  } else if (target === 'clean') {
    if (!cleanSteps?.length) {
      throw new InvalidParameterValue('"clean_steps" is required when setting target provision state to clean');
    }
    // a runbook's steps were checked when it was stored
    args.clean_steps = runbook !== undefined ? (cleanSteps as JsonObject[]) : checkSteps(cleanSteps, 'clean');
    if (disableRamdisk !== undefined) args.disable_ramdisk = disableRamdisk;
  } else if (target === 'service') {
    if (!serviceSteps?.length) throw new InvalidParameterValue('"service_steps" is required when setting target provision state to service');
    args.service_steps = runbook !== undefined ? (serviceSteps as JsonObject[]) : checkSteps(serviceSteps, 'service');
    if (disableRamdisk !== undefined) args.disable_ramdisk = disableRamdisk;
  }
  await conductorOf(deps).doProvisionAction(routeOf(node), target, args);
  setLocation(ctx, deps, ident);
}

async function power(ctx: ApiContext, deps: RouteDeps, ident: string): Promise<void> {
  new Query(ctx.query, []);
  const b = body(ctx);
  unexpected(b, ['target', 'timeout']);
  const target = optString(b, 'target');
  if (target === undefined) throw new InvalidParameterValue('Missing mandatory argument: target');
  const rawTimeout = b.timeout;
  let timeout: number | undefined;
  if (rawTimeout !== undefined && rawTimeout !== null) {
    const n = typeof rawTimeout === 'string' && /^-?\d+$/.test(rawTimeout.trim()) ? Number(rawTimeout) : rawTimeout;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new InvalidParameterValue(`Invalid timeout: ${JSON.stringify(rawTimeout)} is not an integer`);
    timeout = n;
  }
  const node = await getNode(deps.db, ident, ctx.state.minor);
  if ((target === 'soft rebooting' || target === 'soft power off' || timeout) && ctx.state.minor < 27) {
    throw new NotAcceptable('Request not acceptable.');
  }
  if (timeout !== undefined && timeout < 1) throw new InvalidParameterValue('timeout has to be positive integer');
  if (!POWER_TARGETS.includes(target)) throw new InvalidStateRequested(invalidStateMessage(target, ident, node.power_state));
  if (node.provision_state === 'clean wait' || node.provision_state === 'cleaning') {
    throw new InvalidStateRequested(invalidStateMessage(target, ident, node.provision_state));
  }
  if ((target === 'power off' || target === 'soft power off') && node.disable_power_off)
    throw new Conflict(`Failed to set node power state to ${target}.`); // Ironic 39: PowerStateFailure (1.95)
  await conductorOf(deps).changeNodePowerState(routeOf(node), target, timeout ?? null);
  setLocation(ctx, deps, ident);
}

export function register(router: ApiRouter, deps: RouteDeps): void {
  router.get('/v1/nodes/:ident/states', async (ctx) => {
    new Query(ctx.query, []);
    const node = await getNode(deps.db, ctx.params.ident, ctx.state.minor);
    ctx.body = renderStates(node, ctx.state.minor);
  });
  router.put('/v1/nodes/:ident/states/provision', (ctx) => provision(ctx, deps, ctx.params.ident));
  router.put('/v1/nodes/:ident/states/power', (ctx) => power(ctx, deps, ctx.params.ident));
}
