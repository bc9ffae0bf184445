/**
 * The conductor side of RPC: the method table (Ironic ConductorManager's RPC methods, snake_case names) mapping
 * each method to its flow. Arguments are plain JSON (they may have crossed Kafka).
 */
import { type AgentHeartbeat, type AllocationRecord, InvalidParameterValue, type JsonObject, type ProvisionArgs, type RpcHandler } from '@anvil/sdk';
import type { ConductorContext } from '../context.ts';
import { agentHeartbeat, getNodeWithToken } from '../flows/agent-callbacks.ts';
import { continueInspection } from '../flows/inspect-continue.ts';
import { continueNodeClean } from '../flows/clean.ts';
import { continueNodeDeploy } from '../flows/deploy.ts';
import { continueNodeService } from '../flows/service.ts';
import { setMaintenance } from '../flows/maintenance.ts';
import { getBootDevice, getSupportedBootDevices, setBootDevice } from '../flows/management.ts';
import { changeNodePowerState } from '../flows/power.ts';
import { doProvisionAction } from '../flows/provision.ts';
import {
  getConsoleInformation,
  getIndicatorState,
  getSupportedIndicators,
  injectNmi,
  setBootModeOrSecureBoot,
  setConsoleMode,
  setIndicatorState,
  setTargetRaidConfig,
  vifAttach,
  vifDetach,
  vifList,
} from '../flows/node-extras.ts';
import { attachVirtualMedia, detachVirtualMedia, getVirtualMedia } from '../flows/vmedia.ts';
import { validateDriverInterfaces } from '../flows/validate.ts';
import { createAllocation } from '../flows/allocation-work.ts';
import { driverVendorPassthru, vendorPassthru } from '../flows/vendor.ts';

type Args = Record<string, unknown>;

const str = (args: Args, key: string): string => {
  const v = args[key];
  if (typeof v !== 'string' || !v) throw new InvalidParameterValue(`RPC argument ${key} is required`);
  return v;
};

export function rpcMethods(ctx: ConductorContext): Record<string, (args: Args) => Promise<unknown>> {
  return {
    ping: async () => ({ hostname: ctx.hostname, group: ctx.group, at: Date.now() }),
    create_allocation: (a) => createAllocation(ctx, (a.allocation ?? {}) as Partial<AllocationRecord>, a.idempotent === true),
    do_provision_action: (a) => doProvisionAction(ctx, str(a, 'node_id'), str(a, 'target'), (a.args ?? {}) as ProvisionArgs),
    change_node_power_state: (a) =>
      changeNodePowerState(ctx, str(a, 'node_id'), str(a, 'new_state'), typeof a.timeout === 'number' ? a.timeout : null),
    get_boot_device: (a) => getBootDevice(ctx, str(a, 'node_id')),
    set_boot_device: (a) => setBootDevice(ctx, str(a, 'node_id'), str(a, 'device'), a.persistent === true),
    get_supported_boot_devices: (a) => getSupportedBootDevices(ctx, str(a, 'node_id')),
    validate_driver_interfaces: (a) => validateDriverInterfaces(ctx, str(a, 'node_id')),
    set_maintenance: (a) => setMaintenance(ctx, str(a, 'node_id'), a.maintenance === true, (a.reason as string | null) ?? null),
    continue_node_deploy: (a) => continueNodeDeploy(ctx, str(a, 'node_id')),
    continue_node_clean: (a) => continueNodeClean(ctx, str(a, 'node_id')),
    continue_node_service: (a) => continueNodeService(ctx, str(a, 'node_id')),
    get_node_with_token: (a) => getNodeWithToken(ctx, str(a, 'node_id')),
    heartbeat: (a) => agentHeartbeat(ctx, str(a, 'node_id'), (a.heartbeat ?? {}) as AgentHeartbeat),
    continue_inspection: (a) => continueInspection(ctx, str(a, 'node_id'), (a.inventory ?? {}) as JsonObject, (a.plugin_data ?? {}) as JsonObject),
    vif_list: (a) => vifList(ctx, str(a, 'node_id')),
    vif_attach: (a) => vifAttach(ctx, str(a, 'node_id'), (a.vif_info ?? {}) as { id: string } & JsonObject),
    vif_detach: (a) => vifDetach(ctx, str(a, 'node_id'), str(a, 'vif_id')),
    get_console_information: (a) => getConsoleInformation(ctx, str(a, 'node_id')),
    set_console_mode: (a) => setConsoleMode(ctx, str(a, 'node_id'), a.enabled === true),
    set_target_raid_config: (a) => setTargetRaidConfig(ctx, str(a, 'node_id'), (a.target_raid_config ?? {}) as JsonObject),
    inject_nmi: (a) => injectNmi(ctx, str(a, 'node_id')),
    attach_virtual_media: (a) => attachVirtualMedia(ctx, str(a, 'node_id'), str(a, 'device_type'), str(a, 'image_url'), str(a, 'image_download_source')),
    detach_virtual_media: (a) => detachVirtualMedia(ctx, str(a, 'node_id'), Array.isArray(a.device_types) ? (a.device_types as string[]) : null),
    get_virtual_media: (a) => getVirtualMedia(ctx, str(a, 'node_id')),
    get_supported_indicators: (a) => getSupportedIndicators(ctx, str(a, 'node_id')),
    get_indicator_state: (a) => getIndicatorState(ctx, str(a, 'node_id'), str(a, 'component'), str(a, 'indicator')),
    set_indicator_state: (a) => setIndicatorState(ctx, str(a, 'node_id'), str(a, 'component'), str(a, 'indicator'), str(a, 'state')),
    set_boot_mode: (a) => setBootModeOrSecureBoot(ctx, str(a, 'node_id'), 'boot_mode', str(a, 'mode')),
    set_secure_boot_state: (a) => setBootModeOrSecureBoot(ctx, str(a, 'node_id'), 'secure_boot', a.state === true),
    vendor_passthru: (a) =>
      vendorPassthru(ctx, str(a, 'node_id'), str(a, 'driver_method'), str(a, 'http_method'), (a.info ?? {}) as JsonObject),
    driver_vendor_passthru: (a) =>
      driverVendorPassthru(ctx, str(a, 'driver_name'), str(a, 'driver_method'), str(a, 'http_method'), (a.info ?? {}) as JsonObject),
  };
}

export function createRpcHandler(ctx: ConductorContext): RpcHandler {
  const methods = rpcMethods(ctx);
  return async (method, args) => {
    const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!fn) throw new InvalidParameterValue(`Unknown conductor RPC method ${method}`);
    const out = await fn(args ?? {});
    return out === undefined ? null : out;
  };
}
