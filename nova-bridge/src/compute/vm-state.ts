/** Nova's vm_state for an instance status (pure): what the API shows and what state errors name. */
const VM_STATE: Record<string, string> = {
  BUILD: 'building',
  ACTIVE: 'active',
  REBOOT: 'active',
  HARD_REBOOT: 'active',
  REBUILD: 'active',
  SHUTOFF: 'stopped',
  RESCUE: 'rescued',
  ERROR: 'error',
  DELETED: 'deleted',
};

export const vmState = (status: string): string => VM_STATE[status] ?? 'error';
