/** @anvil/plugin-fake-hardware: the fake-hardware type, Ironic's fake interfaces and the no-op (no-*) interfaces. */
export { FakePower, resultingPowerState } from './power.ts';
export { FakeManagement } from './management.ts';
export { FakeBoot } from './boot.ts';
export { FakeDeploy } from './deploy.ts';
export { FakeInspect } from './inspect.ts';
export { FakeConsole } from './console.ts';
export { FakeRaid } from './raid.ts';
export { FakeBios } from './bios.ts';
export { FakeRescue } from './rescue.ts';
export { FakeStorage } from './storage.ts';
export { NoopStorage } from './storage-noop.ts';
export { FakeVendor } from './vendor.ts';
export { NoopNetwork } from './network-noop.ts';
export { unsupported, unsupportedError } from './unsupported.ts';
export { default as fakeHardware } from './hardware-type.ts';
