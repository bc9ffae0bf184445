/** @anvil/plugin-manual-management: the manual-management type and the noop management interface. */
export { default as manualManagement } from './hardware-type.ts';
export { NoopManagement } from './management-noop.ts';
