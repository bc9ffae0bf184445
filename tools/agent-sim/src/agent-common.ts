/** Shapes the simulated agent shares with its command sets: IPA's command failure and hardware manager version. */

/** An agent command's failure as IPA reports it: command_error {type, code 500, message, details}. */
export class CommandFailed extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly details = message,
  ) {
    super(message);
  }
}

export const HW_VERSION = { generic_hardware_manager: '1.2' };
