export { IpmitoolPower } from './power.ts';
export { IpmitoolManagement, applyForcedBootDevice } from './management.ts';
export { IpmitoolVendor, parseRawBytes } from './vendor.ts';
export { parseDriverInfo, COMMON_PROPERTIES, REQUIRED_PROPERTIES, OPTIONAL_PROPERTIES, type IpmiDriverInfo } from './driver-info.ts';
export { bootModeOf, capability } from './boot-mode.ts';
export { closeAll } from './bmc-pool.ts';
export { default as ipmiHardwareType } from './hardware-type.ts';
