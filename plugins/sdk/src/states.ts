/** Ironic's provision and power state strings (Ironic 39's set), exactly as clients see them. The transition table is in @anvil/conductor. */
export const ProvisionState = {
  ENROLL: 'enroll',
  VERIFYING: 'verifying',
  MANAGEABLE: 'manageable',
  AVAILABLE: 'available',
  DEPLOYING: 'deploying',
  DEPLOYWAIT: 'wait call-back',
  DEPLOYFAIL: 'deploy failed',
  ACTIVE: 'active',
  DELETING: 'deleting',
  CLEANING: 'cleaning',
  CLEANWAIT: 'clean wait',
  CLEANFAIL: 'clean failed',
  ERROR: 'error',
  INSPECTING: 'inspecting',
  INSPECTWAIT: 'inspect wait',
  INSPECTFAIL: 'inspect failed',
  ADOPTING: 'adopting',
  ADOPTFAIL: 'adopt failed',
  RESCUING: 'rescuing',
  RESCUEWAIT: 'rescue wait',
  RESCUEFAIL: 'rescue failed',
  RESCUE: 'rescue',
  UNRESCUING: 'unrescuing',
  UNRESCUEFAIL: 'unrescue failed',
  // Ironic 39 (API 1.85 hold steps, 1.87 servicing)
  DEPLOYHOLD: 'deploy hold',
  CLEANHOLD: 'clean hold',
  SERVICING: 'servicing',
  SERVICEWAIT: 'service wait',
  SERVICEFAIL: 'service failed',
  SERVICEHOLD: 'service hold',
} as const;
export type ProvisionStateName = (typeof ProvisionState)[keyof typeof ProvisionState];
export const ALL_PROVISION_STATES: readonly string[] = Object.values(ProvisionState);

/** Ironic 39's LOOKUP_ALLOWED_STATES: where a ramdisk may look its node up (with restrict_lookup, the default). */
export const LOOKUP_ALLOWED_STATES: readonly string[] = ['deploying', 'wait call-back', 'cleaning', 'clean wait', 'rescuing', 'rescue wait', 'inspecting', 'inspect wait', 'service wait'];

export const PowerState = {
  ON: 'power on',
  OFF: 'power off',
  REBOOT: 'rebooting',
  SOFT_REBOOT: 'soft rebooting',
  SOFT_POWER_OFF: 'soft power off',
  ERROR: 'error',
} as const;
export type PowerStateName = (typeof PowerState)[keyof typeof PowerState];

export const Fault = {
  POWER_FAILURE: 'power failure',
  CLEAN_FAILURE: 'clean failure',
  RESCUE_ABORT_FAILURE: 'rescue abort failure',
  SERVICE_FAILURE: 'service failure',
} as const;

export const BOOT_DEVICES = ['pxe', 'disk', 'cdrom', 'bios', 'safe', 'wanboot', 'iscsiboot', 'floppy'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];
