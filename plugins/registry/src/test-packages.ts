/** Test helper: write tiny plugin packages into a temp dir (real files, loaded by the real registry). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temp dir for plugin packages, removed when the test process exits (modules stay importable until then). */
export function tempPluginDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'anvil-plugins-'));
  made.push(d);
  return d;
}

/** Create <root>/<name>/package.json with the given "anvil" field and files (path → contents). */
export function writePackage(root: string, name: string, anvil: unknown, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', anvil }, null, 2));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** A complete power interface as plain JS (no imports), state kept in memory. */
export const GOOD_POWER_JS = `
const state = new Map();
export default () => ({
  getProperties: () => ({ box_address: 'Address of the box. Required.' }),
  async validate(task) { if (!task.node.driver_info.box_address) { const e = new Error('Missing box_address'); e.code = 'MissingParameterValue'; e.status = 400; throw e; } },
  async getPowerState(task) { return state.get(task.node.uuid) ?? 'power off'; },
  async setPowerState(task, target) { state.set(task.node.uuid, target === 'power off' ? 'power off' : 'power on'); },
  async reboot(task) { state.set(task.node.uuid, 'power on'); },
  async getSupportedPowerStates() { return ['power on', 'power off', 'rebooting']; },
});
`;

export const hardwareTypeJs = (name: string, supported: Record<string, string[]>) =>
  `export default ${JSON.stringify({ name, supported })};\n`;
