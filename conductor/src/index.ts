/**
 * @anvil/conductor: Ironic's conductor semantics — the provision state machine as data, node locks and tasks,
 * flows driving the driver interfaces, RPC (in-process and Kafka) with a hash-ring routed API facade,
 * conductor registration/heartbeat/takeover and periodic tasks.
 */
export * from './states/table.ts';
export { HashRing, HashRings, type RingMember } from './hash-ring.ts';
export { NodeEvents, type NodeStateEvent } from './events.ts';
export { createLogger, currentRequest, REQUEST_ID_HEADER, requestContext, withRequest, type Logger, type RequestContext } from './log.ts';
export * from './metrics.ts';
export { startMetricsServer, type MetricsServer } from './metrics-server.ts';
export type { ConductorContext } from './context.ts';
export { TaskManager, withTask, type AcquireOptions } from './task/task.ts';
export { Workers } from './task/workers.ts';
export { LocalTransport } from './rpc/local.ts';
export { createTransport, localTransport } from './rpc/transport.ts';
export { RpcStepStats, STEP_NAMES, type StepName } from './rpc/rpc-steps.ts';
export { createRpcHandler, rpcMethods } from './rpc/handler.ts';
export { ConductorRpcApi, RpcStats, type RpcApiOptions } from './rpcapi.ts';
export { Conductor, type ConductorOptions } from './service.ts';
export { POWER_TARGETS } from './flows/power.ts';
export { takeOverDeadConductors } from './periodic/orphans.ts';
export { cleanStaleReservations } from './periodic/stale-reservations.ts';
export { checkCallbackTimeouts } from './periodic/callback-timeouts.ts';
export { syncPowerStates, recoverPowerFailures, PowerSyncCounters, incidentPolicy } from './periodic/power-sync.ts';
export { decideRound, incidentDiagnosis, type IncidentPolicy, type OpenIncident } from './periodic/bmc-incident.ts';
export { untilAvailable, isTransientStartError, startRetryDelay, type StartRetryOptions } from './startup.ts';
export { startConductor, connectConductors, type RunningConductor, type ConductorClient } from './process.ts';
export { processAllocation, backfillAllocation, deallocationRefusal, candidateNodes } from './flows/allocation.ts';
export { UPDATE_ALLOWED_STATES, UNSTABLE_STATES } from './states/table.ts';
export { unstableMessage } from './flows/node-extras.ts';
export { transientDeadline, type Deadline, type DeadlineNode } from './states/deadlines.ts';
export { pxeFilterDir, syncPxeFilter } from './periodic/pxe-filter.ts';
