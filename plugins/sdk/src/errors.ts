/**
 * Errors carry a stable `code` (Ironic's exception class name) and the HTTP status Ironic answers with.
 * The API renders any AnvilError as Ironic's error body; anything else is a 500.
 */
export class AnvilError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(message: string, code = 'AnvilError', status = 500) {
    super(message);
    this.code = code;
    this.status = status;
    this.name = code;
  }
  static is(err: unknown): err is AnvilError {
    return err instanceof Error && typeof (err as AnvilError).code === 'string' && typeof (err as AnvilError).status === 'number';
  }
}

const make = (code: string, status: number) =>
  class extends AnvilError {
    constructor(message: string) {
      super(message, code, status);
    }
  };

export const InvalidParameterValue = make('InvalidParameterValue', 400);
export const MissingParameterValue = make('MissingParameterValue', 400);
export const InvalidStateRequested = make('InvalidStateRequested', 400);
export const NodeInMaintenance = make('NodeInMaintenance', 400);
export const PatchError = make('PatchError', 400);
export const InvalidUuidOrName = make('InvalidUuidOrName', 400);
export const UnsupportedDriverExtension = make('UnsupportedDriverExtension', 400);
export const NoValidHost = make('NoValidHost', 400);
export const IncompleteLookup = make('IncompleteLookup', 400);
export const NodeIsRetired = make('NodeIsRetired', 400);
export const ChassisNotEmpty = make('ChassisNotEmpty', 400);
export const PortgroupNotEmpty = make('PortgroupNotEmpty', 400);
export const InvalidInput = make('Invalid', 400);
export const Forbidden = make('Forbidden', 403);
export const NodeProtected = make('NodeProtected', 403);
export const NotFound = make('NotFound', 404);
export const NotAcceptable = make('NotAcceptable', 406);
export const Conflict = make('Conflict', 409);
export const NodeLocked = make('NodeLocked', 409);
export const NodeAssociated = make('NodeAssociated', 409);
export const InvalidState = make('InvalidState', 409);
export const DuplicateName = make('DuplicateName', 409);
export const MACAlreadyExists = make('MACAlreadyExists', 409);
export const AlreadyExists = make('AlreadyExists', 409);
export const PowerStateFailure = make('PowerStateFailure', 409);
export const PayloadTooLarge = make('PayloadTooLarge', 413);
export const DriverOperationError = make('DriverOperationError', 500);
export const InstanceDeployFailure = make('InstanceDeployFailure', 500);
export const NodeCleaningFailure = make('NodeCleaningFailure', 500);
/** A service step failed (Ironic's NodeServicingFailure); raised by the agent deploy interfaces when the agent reports a failed step. */
export const NodeServicingFailure = make('NodeServicingFailure', 500);
export const TemporaryFailure = make('TemporaryFailure', 503);
export const NoFreeConductorWorker = make('NoFreeConductorWorker', 503);
export const RpcTimeout = make('RpcTimeout', 503);
