/**
 * A fresh Anvil install in a temp directory, with a plugin installed from its `npm pack` tarball:
 *   1. `npm pack` the plugin (the artifact a vendor would publish);
 *   2. `npm install <tarball>` into <tmp>/anvil (offline, no peer install: the SDK comes from the Anvil install);
 *   3. link Anvil's own packages and dependencies (this checkout's node_modules entries) beside it, without
 *      the workspace copy of the plugin — so the only copy Anvil can find is the one from the tarball.
 * Anvil then runs with cwd <tmp>/anvil, where the registry discovers <tmp>/anvil/node_modules first.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export function npmPack(pkgDir: string, dest: string): string {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: pkgDir, encoding: 'utf8' });
  const info = JSON.parse(out) as { filename: string }[];
  return join(dest, info[0].filename);
}

export interface Install {
  dir: string;
  tarball: string;
}

export function freshInstallWithPlugin(pluginDir: string, pluginName: string): Install {
  const base = mkdtempSync(join(tmpdir(), 'anvil-install-'));
  const tarball = npmPack(pluginDir, base);
  const dir = join(base, 'anvil');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'anvil-site', private: true, type: 'module' }, null, 2));
  execFileSync(
    'npm',
    ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball],
    { cwd: dir, stdio: 'pipe' },
  );
  const nm = join(dir, 'node_modules');
  const mainNm = join(ROOT, 'node_modules');
  for (const name of readdirSync(mainNm)) {
    if (name === pluginName || name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      mkdirSync(join(nm, name), { recursive: true });
      for (const sub of readdirSync(join(mainNm, name))) {
        const full = `${name}/${sub}`;
        if (full === pluginName || existsSync(join(nm, name, sub))) continue;
        symlinkSync(join(mainNm, name, sub), join(nm, name, sub));
      }
    } else if (!existsSync(join(nm, name))) symlinkSync(join(mainNm, name), join(nm, name));
  }
  return { dir, tarball };
}
