/**
 * Where the lab's images are: scripts/services/vm-lab.sh builds them (scripts/images/build.sh, cached by script hash)
 * and exports ANVIL_VM_IMAGES (the served directory), ANVIL_VM_AGENT and ANVIL_VM_INSTANCE (its sub-directories).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabImages {
  dir: string;
  agent: string; // sub-directory with vmlinuz, initramfs, build.json
  instance: string; // sub-directory with disk.raw, build.json
  instanceSha256: string;
  agentBuild: Record<string, unknown>;
  instanceBuild: Record<string, unknown>;
}

export function missingLabImages(env = process.env): string | null {
  const { ANVIL_VM_IMAGES: dir, ANVIL_VM_AGENT: agent, ANVIL_VM_INSTANCE: inst } = env;
  if (!dir || !agent || !inst) return 'ANVIL_VM_IMAGES/ANVIL_VM_AGENT/ANVIL_VM_INSTANCE unset (run scripts/services/vm-lab.sh start, then its env)';
  for (const f of [join(agent, 'vmlinuz'), join(agent, 'initramfs'), join(inst, 'disk.raw')]) {
    if (!existsSync(join(dir, f))) return `${join(dir, f)} missing (scripts/services/vm-lab.sh start builds it)`;
  }
  return null;
}

export function labImages(env = process.env): LabImages {
  const why = missingLabImages(env);
  if (why) throw new Error(why);
  const dir = env.ANVIL_VM_IMAGES as string;
  const agent = env.ANVIL_VM_AGENT as string;
  const instance = env.ANVIL_VM_INSTANCE as string;
  const json = (d: string) => JSON.parse(readFileSync(join(dir, d, 'build.json'), 'utf8'));
  const instanceBuild = json(instance);
  return { dir, agent, instance, instanceSha256: instanceBuild.sha256, agentBuild: json(agent), instanceBuild };
}
