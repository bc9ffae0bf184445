/**
 * Errors raised by cloud-config-drive. They carry a stable `code` (Ironic's exception class name) and the
 * HTTP status Ironic answers with, so Anvil's API renders them like its own errors (duck-typed AnvilError).
 * The package imports nothing from Anvil on purpose: it is usable on its own.
 */
export class ConfigDriveError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(message: string, code = 'InvalidParameterValue', status = 400) {
    super(message);
    this.code = code;
    this.status = status;
    this.name = code;
  }
}

/** Bad caller input: invalid JSON, bad names, duplicate paths, a name that does not fit. */
export class InvalidConfigDrive extends ConfigDriveError {
  constructor(message: string) {
    super(message, 'InvalidParameterValue', 400);
  }
}

/** The drive (or the data it would hold) is larger than the 64 MiB config drive partition. */
export class ConfigDriveTooLarge extends ConfigDriveError {
  constructor(message: string) {
    super(message, 'InstanceDeployFailure', 400);
  }
}

/** 64 MiB: the size of the partition Ironic creates for the config drive at the end of the disk. */
export const MAX_CONFIG_DRIVE_BYTES = 64 * 1024 * 1024;
