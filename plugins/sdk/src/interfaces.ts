/**
 * Driver interface contracts, one per concern, like Ironic's drivers/base.py.
 * Every method takes the task (node + ports + resolved driver under a lock), never a raw node.
 */
import type { InspectionHook } from './inspection.ts';
import type { BootDevice } from './states.ts';
import type { InterfaceKind, JsonObject, NodeRecord, PortgroupRecord, PortRecord } from './objects.ts';

export interface TaskLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What a driver method sees. Implemented by @anvil/conductor's task manager. */
export interface Task {
  readonly node: NodeRecord;
  readonly ports: PortRecord[];
  readonly portgroups: PortgroupRecord[];
  readonly driver: ResolvedDriver;
  /** true when the task holds only a shared lock (reads, validate) */
  readonly shared: boolean;
  readonly conductor: string;
  readonly log: TaskLogger;
  /** Persist node fields (the task must hold the exclusive lock). */
  saveNode(fields: Partial<NodeRecord>): Promise<void>;
  /** Merge keys into driver_internal_info (null value removes the key) and persist. */
  setInternalInfo(values: Record<string, unknown>): Promise<void>;
  /** Persist fields of one of the task's ports (network interfaces record VIFs in internal_info). */
  savePort?(portUuid: string, fields: Partial<PortRecord>): Promise<void>;
  /** Persist fields of one of the task's portgroups. */
  savePortgroup?(portgroupUuid: string, fields: Partial<PortgroupRecord>): Promise<void>;
  /** Create a port on the task's node (out-of-band inspection); it joins task.ports. */
  createPort?(fields: Partial<PortRecord> & { address: string }): Promise<PortRecord>;
  /** Record the node's hardware inventory (GET /v1/nodes/{node}/inventory), replacing the previous one. */
  saveInventory?(inventory: JsonObject, pluginData?: JsonObject): Promise<void>;
  /** Make the node's cached BIOS settings exactly these (GET /v1/nodes/{node}/bios). */
  saveBiosSettings?(settings: BiosSettingInput[]): Promise<void>;
  /** Make the node's cached firmware components these (GET /v1/nodes/{node}/firmware; a known component keeps its initial_version, and a last_version_flashed not given becomes the new current_version when it changed, else stays, as Ironic syncs them). */
  saveFirmwareComponents?(components: FirmwareComponentInput[]): Promise<void>;
  /** Settings of the running Anvil (read-only), e.g. conductor timeouts, tftp root. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One cached BIOS setting as a bios interface reports it (Ironic's BIOSSetting fields). */
export interface BiosSettingInput {
  name: string;
  value: string | null;
  attribute_type?: string | null;
  allowable_values?: string[] | null;
  lower_bound?: number | null;
  upper_bound?: number | null;
  min_length?: number | null;
  max_length?: number | null;
  read_only?: boolean | null;
  reset_required?: boolean | null;
  unique?: boolean | null;
}

export interface PropertyDoc {
  [name: string]: string;
}

export interface BaseInterface {
  /** Documented driver_info keys this interface reads: name → description (with "Required."/"Optional."). */
  getProperties(): PropertyDoc;
  /** Throw InvalidParameterValue / MissingParameterValue when the node cannot be used. */
  validate(task: Task): Promise<void>;
}

export interface StepDeclaration {
  step: string;
  priority: number;
  abortable?: boolean;
  argsinfo?: Record<string, StepArgInfo>;
  requires_ramdisk?: boolean;
}

/** One argument of a step (Ironic's argsinfo entry). */
export interface StepArgInfo {
  description: string;
  required?: boolean;
}

/** Interfaces may expose deploy/clean/service steps: method name → declaration. */
export interface StepProvider {
  cleanSteps?: StepDeclaration[];
  deploySteps?: StepDeclaration[];
  /** Service steps (Ironic 39, API 1.87): run only when a user names them; priority is not used. */
  serviceSteps?: StepDeclaration[];
  /** Run a declared step. Return 'wait' when the step continues asynchronously (agent / BMC callback). */
  executeStep?(task: Task, step: string, args: JsonObject, kind: 'clean' | 'deploy' | 'service'): Promise<void | 'wait'>;
  /** The class name of Ironic's own implementation, for its error text about a step it does not have. */
  readonly ironicClass?: string;
}

export interface PowerInterface extends BaseInterface, StepProvider {
  /** null: the state is unknown (Ironic's fake power answers the stored state, None before any power action) */
  getPowerState(task: Task): Promise<string | null>;
  setPowerState(task: Task, target: string, timeoutSec?: number): Promise<void>;
  reboot(task: Task, timeoutSec?: number): Promise<void>;
  getSupportedPowerStates(task: Task): Promise<string[]>;
  /** Whether the periodic power sync may force the recorded state onto the hardware (Ironic default: true). */
  supportsPowerSync?(task: Task): boolean;
}

export interface ManagementInterface extends BaseInterface, StepProvider {
  getSupportedBootDevices(task: Task): Promise<BootDevice[]>;
  setBootDevice(task: Task, device: BootDevice, persistent: boolean): Promise<void>;
  getBootDevice(task: Task): Promise<{ boot_device: BootDevice | null; persistent: boolean | null }>;
  injectNmi?(task: Task): Promise<void>;
  getBootMode?(task: Task): Promise<'uefi' | 'bios' | null>;
  setBootMode?(task: Task, mode: 'uefi' | 'bios'): Promise<void>;
  getSecureBootState?(task: Task): Promise<boolean | null>;
  setSecureBootState?(task: Task, state: boolean): Promise<void>;
  getSupportedIndicators?(task: Task): Promise<Record<string, Record<string, { readonly: boolean; states: string[] }>>>;
  getIndicatorState?(task: Task, component: string, indicator: string): Promise<string>;
  setIndicatorState?(task: Task, component: string, indicator: string, state: string): Promise<void>;
  getSensorsData?(task: Task): Promise<JsonObject>;
  /** MAC addresses of the node's NICs as the BMC reports them (inspection). */
  getMacAddresses?(task: Task): Promise<string[]>;
  /** Hardware vendor as the BMC reports it (stored in properties.vendor). */
  detectVendor?(task: Task): Promise<string | null>;
  /** Ironic 39 (API 1.89): insert an image (already published) into a virtual media device: disk, cdrom or floppy. */
  attachVirtualMedia?(task: Task, deviceType: string, imageUrl: string): Promise<void>;
  /** Ironic 39 (API 1.89): eject these device types (null: every one). */
  detachVirtualMedia?(task: Task, deviceTypes: string[] | null): Promise<void>;
  /** Ironic 39 (API 1.93): the virtual media devices as the BMC reports them. */
  getVirtualMedia?(task: Task): Promise<JsonObject>;
}

export interface BootInterface extends BaseInterface, StepProvider {
  prepareRamdisk(task: Task, ramdiskParams: Record<string, string>): Promise<void>;
  cleanUpRamdisk(task: Task): Promise<void>;
  prepareInstance(task: Task): Promise<void>;
  cleanUpInstance(task: Task): Promise<void>;
  validateRescue?(task: Task): Promise<void>;
  /** Check what in-band inspection needs (Ironic validate_inspection); UnsupportedDriverExtension when none. */
  validateInspection?(task: Task): Promise<void>;
  /**
   * Ironic's ImageHandler (virtual media, API 1.89): make imageUrl reachable by the BMC as fileName —
   * downloadSource "http" keeps an http(s) URL, "local" serves a copy from Anvil. Absent: the boot interface cannot
   * publish images (the attach fails as in Ironic).
   */
  publishImage?(task: Task, imageUrl: string, fileName: string, downloadSource: string): Promise<string>;
}

export interface DeployInterface extends BaseInterface, StepProvider {
  /** Start deployment; returns the provision state to go to ('deploying' work continues, or 'wait call-back'). */
  deploy(task: Task): Promise<'done' | 'wait'>;
  tearDown(task: Task): Promise<void>;
  prepare(task: Task): Promise<void>;
  cleanUp(task: Task): Promise<void>;
  takeOver(task: Task): Promise<void>;
  prepareCleaning?(task: Task): Promise<'done' | 'wait'>;
  tearDownCleaning?(task: Task): Promise<void>;
  /** Servicing (Ironic 39): boot the ramdisk for in-band service steps ('wait' until it heartbeats); undo it after. */
  prepareService?(task: Task): Promise<'done' | 'wait'>;
  tearDownService?(task: Task): Promise<void>;
  /**
   * Called on agent heartbeat in a wait state (deploy, clean, service or rescue wait) under the exclusive lock.
   * 'continue' asks the conductor to resume the paused flow (next step, or finish rescue); throwing fails it (in
   * service wait a NodeServicingFailure means the agent reported the running step as failed).
   */
  heartbeat?(task: Task, callbackUrl: string, agentVersion: string | null, status?: string | null): Promise<void | 'continue'>;
}

export interface NetworkInterface extends BaseInterface {
  portChanged?(task: Task, port: PortRecord): Promise<void>;
  vifList(task: Task): Promise<{ id: string }[]>;
  vifAttach(task: Task, vif: { id: string; port_uuid?: string; portgroup_uuid?: string } & JsonObject): Promise<void>;
  vifDetach(task: Task, vifId: string): Promise<void>;
  addProvisioningNetwork(task: Task): Promise<void>;
  removeProvisioningNetwork(task: Task): Promise<void>;
  /** Ironic add_inspection_network / remove_inspection_network (in-band inspection). */
  addInspectionNetwork?(task: Task): Promise<void>;
  removeInspectionNetwork?(task: Task): Promise<void>;
  configureTenantNetworks(task: Task): Promise<void>;
  unconfigureTenantNetworks(task: Task): Promise<void>;
  addCleaningNetwork(task: Task): Promise<void>;
  removeCleaningNetwork(task: Task): Promise<void>;
  addRescuingNetwork?(task: Task): Promise<void>;
  removeRescuingNetwork?(task: Task): Promise<void>;
  /** Ironic add_servicing_network / remove_servicing_network (servicing through the agent, 1.87). */
  addServicingNetwork?(task: Task): Promise<void>;
  removeServicingNetwork?(task: Task): Promise<void>;
  portgroupChanged?(task: Task, portgroup: PortgroupRecord): Promise<void>;
  /** The VIF attached to a port or portgroup, or null. */
  getCurrentVif?(task: Task, holder: PortRecord | PortgroupRecord): string | null;
  /** Whether network changes need the node powered on (smart NICs). */
  needPowerOn?(task: Task): boolean;
}

export interface InspectInterface extends BaseInterface {
  inspectHardware(task: Task): Promise<'done' | 'wait'>;
  abort?(task: Task): Promise<void>;
  /**
   * In-band inspection data arrived (POST /v1/continue_inspection) and the conductor ran the hooks and rules:
   * tear down what inspectHardware prepared; 'done' finishes, 'wait' keeps waiting.
   */
  continueInspection?(task: Task, inventory: JsonObject, pluginData: JsonObject): Promise<'done' | 'wait'>;
  /** Clean up after a failed in-band inspection (boot tear-down, power off). */
  cleanUpAfterFailure?(task: Task): Promise<void>;
}

export interface ConsoleInterface extends BaseInterface {
  startConsole(task: Task): Promise<void>;
  stopConsole(task: Task): Promise<void>;
  getConsole(task: Task): Promise<{ type: string; url: string }>;
}

export interface RaidInterface extends BaseInterface, StepProvider {
  validateRaidConfig?(task: Task, config: JsonObject): Promise<void>;
  getLogicalDiskProperties(): Record<string, string>;
}

export interface BiosInterface extends BaseInterface, StepProvider {
  cacheBiosSettings(task: Task): Promise<void>;
}

/** One firmware component as a firmware interface reports it (Ironic's FirmwareComponent; identity fields 1.114). */
export interface FirmwareComponentInput {
  component: string;
  initial_version: string;
  current_version: string | null;
  last_version_flashed?: string | null;
  vendor?: string | null;
  model?: string | null;
  serial_number?: string | null;
}

/** Ironic 39's firmware interface (API 1.86): firmware steps, and the components it caches for GET …/firmware. */
export interface FirmwareInterface extends BaseInterface, StepProvider {
  /** Read the components from the hardware and store them (task.saveFirmwareComponents); a no-op when unsupported. */
  cacheFirmwareComponents(task: Task): Promise<void>;
}

export interface RescueInterface extends BaseInterface {
  rescue(task: Task): Promise<'done' | 'wait'>;
  unrescue(task: Task): Promise<void>;
  cleanUp(task: Task): Promise<void>;
}

export interface StorageInterface extends BaseInterface {
  attachVolumes(task: Task): Promise<void>;
  detachVolumes(task: Task): Promise<void>;
  shouldWriteImage(task: Task): boolean;
}

export interface VendorMethod {
  http_methods: string[];
  async: boolean;
  description: string;
  attach: boolean;
  require_exclusive_lock: boolean;
}

export interface VendorInterface extends BaseInterface, StepProvider {
  /** Node vendor passthru methods: name → declaration. */
  methods(): Record<string, VendorMethod>;
  callMethod(task: Task, method: string, httpMethod: string, body: JsonObject): Promise<unknown>;
  /** Check a passthru call's arguments before it runs (Ironic's validate(task, method, **kwargs)); throw 400s. */
  validateMethod?(task: Task, method: string, httpMethod: string, body: JsonObject): Promise<void>;
  /** Driver-level vendor passthru (no node). */
  driverMethods?(): Record<string, VendorMethod>;
  callDriverMethod?(method: string, httpMethod: string, body: JsonObject): Promise<unknown>;
  /** Check a driver-level passthru call's arguments before it runs; throw 400s. */
  validateDriverMethod?(method: string, httpMethod: string, body: JsonObject): Promise<void>;
}

export interface InterfaceByKind {
  bios: BiosInterface;
  boot: BootInterface;
  console: ConsoleInterface;
  deploy: DeployInterface;
  firmware: FirmwareInterface;
  inspect: InspectInterface;
  management: ManagementInterface;
  network: NetworkInterface;
  power: PowerInterface;
  raid: RaidInterface;
  rescue: RescueInterface;
  storage: StorageInterface;
  vendor: VendorInterface;
}

/** A node's driver after resolution: hardware type name + one implementation per kind (with the chosen names). */
export interface ResolvedDriver {
  hardwareType: string;
  names: Record<InterfaceKind, string>;
  get<K extends InterfaceKind>(kind: K): InterfaceByKind[K];
}

/** A hardware type lists, per kind, the interface names it supports in priority order (first = default). */
export interface HardwareType {
  name: string;
  supported: Partial<Record<InterfaceKind, string[]>>;
  /** Driver-level properties documentation merged from its default interfaces if absent. */
  description?: string;
  /**
   * Accept any enabled implementation on a node even if not listed in `supported` (Ironic special-cases
   * fake-hardware this way: its lists only pick defaults).
   */
  acceptAnyEnabled?: boolean;
}

/** Factory shape exported by a plugin module for one interface implementation. */
export type InterfaceFactory<K extends InterfaceKind = InterfaceKind> = (
  config: Readonly<Record<string, unknown>>,
) => InterfaceByKind[K];

/**
 * The driver registry as the API and conductor see it. Implemented by @anvil/registry (plugins/registry),
 * which discovers plugin packages through the "anvil" field of their package.json.
 */
export interface DriverRegistry {
  /** Enabled hardware types that loaded. */
  hardwareTypeNames(): string[];
  hardwareType(name: string): HardwareType | undefined;
  /** Enabled interface names of a kind (enabled_<kind>_interfaces, filtered to the ones that loaded). */
  enabledInterfaces(kind: InterfaceKind): string[];
  /** default_<kind>_interface if set and supported, else the first supported and enabled one; null when none. */
  defaultInterface(hardwareType: string, kind: InterfaceKind): string | null;
  /**
   * Resolve a node's interface fields like Ironic: explicit value (must be supported by the type and enabled,
   * else InvalidParameterValue naming the enabled ones) → configured default → first supported and enabled.
   * `reset` drops explicit values not given in `explicit` (PATCH with reset_interfaces).
   * Unknown or disabled driver → NoValidHost-like 400.
   */
  resolveInterfaces(
    driver: string,
    explicit: Partial<Record<`${InterfaceKind}_interface`, string | null>>,
  ): Record<`${InterfaceKind}_interface`, string>;
  /** Load (lazily, cached) the implementations for a node's resolved interface names. */
  load(node: Pick<NodeRecord, 'driver'> & Record<`${InterfaceKind}_interface`, string | null>): Promise<ResolvedDriver>;
  /** One interface implementation by kind and name. */
  getInterface<K extends InterfaceKind>(kind: K, name: string): Promise<InterfaceByKind[K]>;
  /** Every installed inspection hook by name (declared under "inspection_hooks" in a plugin manifest). */
  inspectionHooks?(): ReadonlyMap<string, InspectionHook>;
}
