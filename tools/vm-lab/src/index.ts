export { type AnvilHandle, enroll, type Lab, type LabOptions, labSettings, startLab } from './lab.ts';
export { addTap, createNet, destroyNet, type LabNet, labNamespaces, setCable } from './netns.ts';
export { qmp, sendKey } from './qmp.ts';
export { type Dnsmasq, startDnsmasq } from './dnsmasq.ts';
export { createVm, powerOffQemu, qemuArgs, type Vm, vmMac, type VmSpec } from './vm.ts';
export { labImages, type LabImages, missingLabImages } from './images.ts';
export { readExt4File, partitions } from './disk-read.ts';
