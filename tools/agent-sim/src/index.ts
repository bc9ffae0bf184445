export { SimAgent, type AgentOptions, type CommandResult } from './agent.ts';
export { FileDisk } from './disk.ts';
export { parseBootConfig, type BootEntry } from './boot-config.ts';
export { netboot, tftpGet, type NetbootTarget, type BootedRamdisk } from './firmware.ts';
export { SimMachine, type BmcView, type MachineEvent, type SimMachineOptions } from './machine.ts';
export { diskId, hasMbr, readPartitions, SECTOR } from './mbr.ts';
export { isElTorito, isoFile } from './iso-read.ts';
export { tarGz } from './tar.ts';
