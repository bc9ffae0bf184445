/**
 * Nova's exceptions that the Ironic virt driver raises, as AnvilErrors (code = Nova's class name).
 * The compute front turns them into instance faults; the CLI prints code + message.
 */
import { AnvilError } from '@anvil/sdk';

const make = (code: string, status: number) =>
  class extends AnvilError {
    constructor(message: string) {
      super(message, code, status);
    }
  };

export const InstanceDeployFailure = make('InstanceDeployFailure', 500);
export const InstanceNotFound = make('InstanceNotFound', 404);
/** prepare_for_spawn refused the node: the compute manager reschedules to another host. */
export const ComputeResourcesUnavailable = make('ComputeResourcesUnavailable', 409);
export const VirtualInterfacePlugException = make('VirtualInterfacePlugException', 500);
export const VirtDriverNotReady = make('VirtDriverNotReady', 503);
export const NoResourceClass = make('NoResourceClass', 500);
export const InstanceRescueFailure = make('InstanceRescueFailure', 500);
export const InstanceUnRescueFailure = make('InstanceUnRescueFailure', 500);
export const InstanceRebuildFailure = make('InstanceRebuildFailure', 500);
export const NovaTimeout = make('NovaException', 500);
export const NodeNotFound = make('ComputeHostNotFound', 404);
