/** @anvil/nova-bridge/service: the long-running compute service (`anvil compute`) and its API app. */
export { ComputeService, type ComputeServiceOptions } from './compute-service.ts';
export { createComputeApp } from '../api/app.ts';
export { ComputeStore } from '../compute/store.ts';
export { startComputeService } from './from-settings.ts';
