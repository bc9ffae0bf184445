/**
 * Ironic's "fake" RAID interface (21.4): validates target RAID configurations and lists the logical disk
 * properties; it has no clean or deploy steps (Ironic's create/delete_configuration are not steps on fake).
 */
import {
  InvalidParameterValue,
  RAID_LOGICAL_DISK_PROPERTIES,
  type InterfaceFactory,
  type JsonObject,
  type RaidInterface,
  type StepDeclaration,
  type Task,
} from '@anvil/sdk';

export class FakeRaid implements RaidInterface {
  readonly ironicClass = 'FakeRAID';
  readonly cleanSteps: StepDeclaration[] = [];
  readonly deploySteps: StepDeclaration[] = [];
  getProperties() {
    return {};
  }
  async validate(_task: Task): Promise<void> {}
  async validateRaidConfig(_task: Task, config: JsonObject): Promise<void> {
    const disks = config.logical_disks;
    if (!Array.isArray(disks)) throw new InvalidParameterValue("RAID config must have a 'logical_disks' list.");
    for (const d of disks) {
      if (typeof d !== 'object' || d === null || Array.isArray(d) || d.size_gb === undefined || d.raid_level === undefined) {
        throw new InvalidParameterValue('Each logical disk needs size_gb and raid_level.');
      }
    }
  }
  getLogicalDiskProperties(): Record<string, string> {
    return { ...RAID_LOGICAL_DISK_PROPERTIES };
  }
  async executeStep(_task: Task, step: string, _args: JsonObject, _kind: 'clean' | 'deploy'): Promise<void | 'wait'> {
    throw new InvalidParameterValue(`Unknown RAID step ${step}.`);
  }
}

const factory: InterfaceFactory<'raid'> = () => new FakeRaid();
export default factory;
