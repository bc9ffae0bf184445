/**
 * What the API (and other callers) may ask of the conductors. Implemented by @anvil/conductor's ConductorRpcApi,
 * which picks the owning conductor by the hash ring and sends the call over the configured RpcTransport.
 * Every method rejects with the conductor's AnvilError (same code and HTTP status as Ironic).
 */
import type { BootDevice } from './states.ts';
import type { AllocationRecord, JsonObject } from './objects.ts';

/** The node fields needed to route a call (the API already holds the node). */
export interface NodeRoute {
  uuid: string;
  driver: string;
  conductor_group: string;
}

export interface ProvisionArgs {
  configdrive?: string | JsonObject | null;
  clean_steps?: JsonObject[] | null;
  deploy_steps?: JsonObject[] | null;
  rescue_password?: string | null;
  disable_ramdisk?: boolean | null;
  /** `service` verb (1.87): the validated service steps. */
  service_steps?: JsonObject[] | null;
}

export interface InterfaceValidation {
  result: boolean | null;
  reason?: string;
}

export interface ConductorApi {
  /** Hostname of the conductor owning the node; NoValidHost (400) when no alive conductor serves its group + driver. */
  hostFor(node: NodeRoute): Promise<string>;
  /** Like hostFor but null instead of throwing (the node's `conductor` field, ≥1.49). */
  conductorOf(node: NodeRoute): Promise<string | null>;
  /** Whether any alive conductor is in this conductor group ('' = default group). */
  hasConductorGroup(group: string): Promise<boolean>;
  /** PUT /states/provision: `verb` is the API target (active, deploy, rebuild, deleted, undeploy, manage, provide, ...). */
  doProvisionAction(node: NodeRoute, verb: string, args?: ProvisionArgs): Promise<void>;
  /** PUT /states/power. Returns once the action is accepted (it completes in the background). */
  changeNodePowerState(node: NodeRoute, target: string, timeout?: number | null): Promise<void>;
  getBootDevice(node: NodeRoute): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }>;
  setBootDevice(node: NodeRoute, device: string, persistent: boolean): Promise<void>;
  getSupportedBootDevices(node: NodeRoute): Promise<string[]>;
  /** GET /validate: one entry per interface kind except vendor. */
  validateDriverInterfaces(node: NodeRoute): Promise<Record<string, InterfaceValidation>>;
  /** PUT (on=true) / DELETE (on=false) /maintenance. Clearing also clears maintenance_reason and fault. */
  setMaintenance(node: NodeRoute, on: boolean, reason?: string | null): Promise<void>;
  /** Agent/BMC callbacks: continue a deployment, cleaning or servicing left in a wait state. */
  continueNodeDeploy(node: NodeRoute): Promise<void>;
  continueNodeClean(node: NodeRoute): Promise<void>;
  continueNodeService(node: NodeRoute): Promise<void>;
  /** Ramdisk lookup (Ironic get_node_with_token): the node with its agent token (issued once, later "******"). */
  getNodeWithToken?(node: NodeRoute): Promise<{ node: JsonObject; token: string }>;
  /** Ramdisk heartbeat: token checked (400 when wrong), agent fields stored, the wait state acted on. */
  heartbeat?(node: NodeRoute, args: AgentHeartbeat): Promise<void>;
  /** POST /v1/continue_inspection (1.84): the node in `inspect wait` resumes; hooks and rules run in the background. */
  continueInspection?(node: NodeRoute, inventory: JsonObject, pluginData: JsonObject): Promise<void>;
  /** VIFs (1.28) through the node's network interface. */
  vifList?(node: NodeRoute): Promise<{ id: string }[]>;
  vifAttach?(node: NodeRoute, vif: { id: string } & JsonObject): Promise<void>;
  vifDetach?(node: NodeRoute, vifId: string): Promise<void>;
  /** GET /states/console; PUT /states/console (spawned; failures land in last_error). */
  getConsoleInformation?(node: NodeRoute): Promise<{ console_enabled: boolean; console_info: JsonObject | null }>;
  setConsoleMode?(node: NodeRoute, enabled: boolean): Promise<void>;
  /** PUT /states/raid (1.12): validated by the raid interface, stored in target_raid_config. */
  setTargetRaidConfig?(node: NodeRoute, config: JsonObject): Promise<void>;
  /** PUT /management/inject_nmi (1.29). */
  injectNmi?(node: NodeRoute): Promise<void>;
  /** POST /vmedia (1.89): validated now, attached after the answer (failures in last_error). */
  attachVirtualMedia?(node: NodeRoute, deviceType: string, imageUrl: string, imageDownloadSource: string): Promise<void>;
  /** DELETE /vmedia (1.89): device types (null: all), detached after the answer. */
  detachVirtualMedia?(node: NodeRoute, deviceTypes: string[] | null): Promise<void>;
  /** GET /vmedia (1.93). */
  getVirtualMedia?(node: NodeRoute): Promise<JsonObject>;
  /** /management/indicators (1.63): component → indicator → {readonly, states}. */
  getSupportedIndicators?(node: NodeRoute): Promise<Record<string, Record<string, { readonly: boolean; states: string[] }>>>;
  getIndicatorState?(node: NodeRoute, component: string, indicator: string): Promise<string>;
  setIndicatorState?(node: NodeRoute, component: string, indicator: string, state: string): Promise<void>;
  /** PUT /states/boot_mode and /states/secure_boot (1.76): spawned; unstable provision state → 409. */
  setBootMode?(node: NodeRoute, mode: string): Promise<void>;
  setSecureBootState?(node: NodeRoute, state: boolean): Promise<void>;
  /**
   * Node vendor passthru: open a task (exclusive unless the method declares require_exclusive_lock=false) and run
   * @anvil/registry's invokeNodeVendor(task, ...) — async methods are spawned and answer at once.
   */
  vendorPassthru?(node: NodeRoute, method: string, httpMethod: string, body: JsonObject): Promise<VendorPassthruResult>;
  /**
   * POST /v1/allocations without `node` (Ironic create_allocation): a conductor — the owner of `near` (the first
   * candidate node) or any live one — creates the allocation with its conductor_affinity and picks the node in the
   * background; answers the record in state `allocating`. 503 when no conductor (or no free worker) takes it.
   */
  createAllocation?(values: Partial<AllocationRecord>, near?: NodeRoute | null): Promise<AllocationRecord>;
  /** Driver vendor passthru on a conductor serving the driver (@anvil/registry's invokeDriverVendor). */
  driverVendorPassthru?(driver: string, method: string, httpMethod: string, body: JsonObject): Promise<VendorPassthruResult>;
}

/** What a vendor passthru call returns to the API: 202 + empty body when async, else 200 + JSON of `return`. */
export interface VendorPassthruResult {
  return: unknown;
  async: boolean;
  attach: boolean;
}

/** What POST /v1/heartbeat/{node} hands to the conductor. */
export interface AgentHeartbeat {
  callback_url: string;
  agent_token: string | null;
  agent_version: string | null;
  agent_verify_ca?: string | null;
  agent_status?: string | null;
}
