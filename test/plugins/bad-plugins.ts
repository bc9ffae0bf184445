/** The broken plugin packages of issue 5, each a tiny package written to a temp dir. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BadPlugin {
  what: string;
  pkg: string;
  anvil: unknown;
  files: Record<string, string>;
  /** extra `anvil server` args that enable the broken entry */
  args: string[];
  message: RegExp;
}

const POWER_OK = `export default () => ({
  getProperties: () => ({}), async validate() {}, async getPowerState() { return 'power off'; },
  async setPowerState() {}, async reboot() {}, async getSupportedPowerStates() { return ['power on', 'power off']; },
});`;

export const BAD_PLUGINS: BadPlugin[] = [
  {
    what: 'throws on load',
    pkg: 'acme-throws',
    anvil: { interfaces: { power: { boom: './power.js' } } },
    files: { 'power.js': 'throw new Error("acme firmware table missing");' },
    args: ['--set', 'enabled_power_interfaces=fake,boom'],
    message: /throws on load \(\.\/power\.js\): acme firmware table missing/,
  },
  {
    what: 'lacks a required method',
    pkg: 'acme-partial',
    anvil: { interfaces: { power: { half: './power.js' } } },
    files: { 'power.js': 'export default () => ({ getProperties: () => ({}), async validate() {} });' },
    args: ['--set', 'enabled_power_interfaces=fake,half'],
    message: /power interface 'half' \(\.\/power\.js\) lacks required method\(s\): getPowerState, setPowerState, reboot, getSupportedPowerStates/,
  },
  {
    what: 'duplicates a name',
    pkg: 'acme-dup',
    anvil: { interfaces: { power: { fake: './power.js' } } },
    files: { 'power.js': POWER_OK },
    args: [],
    message: /declares power interface 'fake', which package @anvil\/plugin-fake-hardware already declares \(duplicate name\)/,
  },
  {
    what: 'declares an unknown interface kind',
    pkg: 'acme-kind',
    anvil: { interfaces: { teleport: { beam: './power.js' } } },
    files: { 'power.js': POWER_OK },
    args: [],
    message: /declares unknown interface kind 'teleport'/,
  },
];

export function writeBadPlugin(root: string, bad: BadPlugin): string {
  const dir = join(root, bad.pkg);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: bad.pkg, version: '0.0.1', type: 'module', anvil: bad.anvil }));
  for (const [p, text] of Object.entries(bad.files)) writeFileSync(join(dir, p), text);
  return dir;
}
