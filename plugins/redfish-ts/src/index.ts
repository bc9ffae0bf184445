export { RedfishClient, type AuthType, type RedfishClientOptions, type RedfishResponse } from './client.ts';
export * from './errors.ts';
export * from './odata.ts';
export { taskStatus, type TaskStatus, type TaskPhase } from './task-monitor.ts';
