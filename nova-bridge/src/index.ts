/** @anvil/nova-bridge: Nova's Ironic virt driver behaviour, a small Placement + scheduler, and the compute front. */
export { IronicClient, type ClientOptions } from './client/ironic-client.ts';
export { IronicHttpError, IronicConnectionError } from './client/http-error.ts';
export { IronicDriver, type DriverOptions } from './driver/driver.ts';
export { NODE_FIELDS, type NodeView, novaPowerState } from './driver/node-view.ts';
export { providerFor, unusableReasons, type ProviderData } from './driver/provider-tree.ts';
export { deployPatch } from './driver/instance-info.ts';
export * from './driver/nova-errors.ts';
export { createWaiter, PollingWaiter, SseWaiter, type WaitMode } from './events/index.ts';
export { EVENTS_PATH } from './events/sse.ts';
export { SseParser } from './events/sse-parser.ts';
export { PlacementStore } from './placement/store.ts';
export { schedule, NoValidHostError, type ScheduleResult, type Reason } from './placement/scheduler.ts';
export { customResourceClass } from './placement/resource-class.ts';
export { ComputeStore } from './compute/store.ts';
export { ComputeManager, type CreateRequest } from './compute/manager.ts';
export type { Flavor, Image, Instance, Nic } from './compute/types.ts';
