/**
 * Ironic's own API test suite (`tempest` + `ironic-tempest-plugin`) run against a baremetal endpoint in the
 * Keystone catalog: a tempest workspace (tempest.conf, .stestr.conf, `stestr init`), `tempest run`, and the
 * parsed result (per-test outcome lines and the "Totals" block). The same code drives either installation:
 * Debian's packages (DEBIAN_TEMPEST) or the newest PyPI release in a venv (latestTempest()).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeystoneEnv } from './keystone-catalog.ts';

/** One installation of tempest + ironic-tempest-plugin: its interpreter, commands and package folder. */
export interface TempestInstall {
  /** what it is, for messages */
  name: string;
  python: string;
  tempest: string;
  stestr: string;
  /** the folder of the `tempest` package (test discovery starts there) */
  pkgDir: string;
  /** the script that installs it */
  script: string;
}

/** Debian's tempest 33 + ironic-tempest-plugin 2.5.0 under /usr/bin/python3 (scripts/services/tempest.sh). */
export const DEBIAN_TEMPEST: TempestInstall = {
  name: 'Debian tempest / ironic-tempest-plugin',
  python: '/usr/bin/python3',
  tempest: '/usr/bin/tempest',
  stestr: '/usr/bin/stestr',
  pkgDir: '/usr/lib/python3/dist-packages/tempest',
  script: 'scripts/services/tempest.sh',
};

/**
 * The newest tempest + ironic-tempest-plugin from PyPI in the venv that scripts/services/tempest-latest.sh made
 * (ANVIL_TEST_TEMPEST_LATEST is the venv); throws naming the script when it is not there.
 */
export function latestTempest(env: NodeJS.ProcessEnv = process.env): TempestInstall {
  const venv = env.ANVIL_TEST_TEMPEST_LATEST;
  const script = 'scripts/services/tempest-latest.sh';
  if (!venv) throw new Error(`missing ANVIL_TEST_TEMPEST_LATEST: the newest tempest venv is not installed (bash ${script} start; export its env)`);
  const python = join(venv, 'bin/python');
  const probe = spawnSync(python, ['-c', 'import os, tempest; print(os.path.dirname(tempest.__file__))'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${python} cannot import tempest (bash ${script} start): ${probe.stderr}`);
  return { name: 'PyPI tempest / ironic-tempest-plugin', python, tempest: join(venv, 'bin/tempest'), stestr: join(venv, 'bin/stestr'), pkgDir: probe.stdout.trim(), script };
}

/** Why `inst` cannot run here (names the missing piece and the script that installs it), or null. */
export function missingTempest(inst: TempestInstall = DEBIAN_TEMPEST): string | null {
  const probe = spawnSync(inst.python, ['-c', 'import tempest, ironic_tempest_plugin, stestr'], { encoding: 'utf8' });
  if (probe.status !== 0 || !existsSync(inst.tempest) || !existsSync(inst.stestr) || !existsSync(inst.pkgDir))
    return `${inst.name} are not installed (bash ${inst.script} start)`;
  return null;
}

/**
 * What Anvil is started with and tempest is told about: fake-hardware with Ironic's fake interfaces, and `ipmi`
 * (tempest's TestResetInterfaces switches a node to it) with the interfaces its defaults resolve to.
 */
export const HARDWARE_TYPES = 'fake-hardware,ipmi';
/**
 * Ironic 39's graphical console for tempest's TestGraphicalConsole / TestNodeGraphicalConsole: `fake-graphical`
 * enabled, the noVNC proxy on a port it picks (vnc_port 0; console_info's URL follows) serving Debian's noVNC files
 * (scripts/services/novnc.sh), and the simulated console provider (a VNC server per enabled console) behind it.
 */
export const GRAPHICAL_CONSOLE_INTERFACES = 'fake,no-console,fake-graphical';
export function graphicalConsoleSettings(): Record<string, string> {
  const web = process.env.ANVIL_TEST_NOVNC_WEB;
  if (!web) throw new Error("missing ANVIL_TEST_NOVNC_WEB: noVNC's web files are not unpacked (bash scripts/services/novnc.sh start; export its env)");
  return {
    enabled_console_interfaces: GRAPHICAL_CONSOLE_INTERFACES,
    vnc_enabled: 'true',
    vnc_port: '0',
    vnc_novnc_web: web,
    vnc_container_provider: 'simulated',
  };
}

export const INTERFACES: Record<string, string> = {
  enabled_bios_interfaces: 'fake,no-bios',
  enabled_boot_interfaces: 'fake,pxe',
  enabled_console_interfaces: 'fake,no-console',
  enabled_deploy_interfaces: 'fake,direct',
  enabled_inspect_interfaces: 'fake,no-inspect',
  enabled_management_interfaces: 'fake,ipmitool',
  enabled_network_interfaces: 'noop',
  default_network_interface: 'noop',
  enabled_power_interfaces: 'fake,ipmitool',
  enabled_raid_interfaces: 'fake,no-raid',
  enabled_rescue_interfaces: 'fake,no-rescue',
  default_rescue_interface: 'fake',
  enabled_storage_interfaces: 'noop',
  enabled_vendor_interfaces: 'fake,ipmitool,no-vendor',
};

/**
 * tempest.conf for Anvil. `enforceScope`: tempest's [enforce_scope] ironic — true makes the admin tests use a
 * system-scoped admin and enables the plugin's RBAC tests, whose personas (project reader, system reader ...) then
 * get only their own roles (Anvil must run with policy_enforce_new_defaults, as Ironic 39 does by default); false
 * uses a project admin and gives every tempest user the admin role. `catalogType`: the service type Anvil is
 * registered under (registerBaremetal). `consoleInterfaces`: [baremetal]enabled_console_interfaces (the plugin's
 * default, fake and no-console, when not given).
 */
export function tempestConf(
  ks: KeystoneEnv,
  o: { minMicroversion: string; maxMicroversion: string; logFile: string; enforceScope?: boolean; catalogType?: string; consoleInterfaces?: string },
): string {
  const baremetalKeys = ['enabled_bios_interfaces', 'enabled_boot_interfaces', 'enabled_deploy_interfaces', 'enabled_management_interfaces',
    'enabled_power_interfaces', 'enabled_raid_interfaces', 'enabled_rescue_interfaces', 'default_rescue_interface'];
  return `[DEFAULT]
log_file = ${o.logFile}
use_stderr = false
[auth]
use_dynamic_credentials = true
${o.enforceScope ? '' : 'tempest_roles = admin\n'}admin_username = admin
admin_password = ${ks.adminPassword}
admin_project_name = admin
admin_domain_name = Default
admin_system = all
[identity]
auth_version = v3
uri_v3 = ${ks.url}
region = RegionOne
[identity-feature-enabled]
api_v2 = false
[enforce_scope]
ironic = ${o.enforceScope ? 'true' : 'false'}
[service_available]
ironic = true
nova = false
neutron = false
glance = false
cinder = false
swift = false
[baremetal]
catalog_type = ${o.catalogType ?? 'baremetal'}
driver = fake-hardware
enabled_hardware_types = ${HARDWARE_TYPES}
${baremetalKeys.map((k) => `${k} = ${INTERFACES[k]}`).join('\n')}
${o.consoleInterfaces ? `enabled_console_interfaces = ${o.consoleInterfaces}\n` : ''}min_microversion = ${o.minMicroversion}
max_microversion = ${o.maxMicroversion}
power_timeout = 60
unprovision_timeout = 120
active_timeout = 120
[baremetal_feature_enabled]
ipxe_enabled = false
adoption = false
software_raid = false
deploy_time_raid = false
`;
}

/** Writes a tempest workspace in `dir` (tempest.conf with the admin password: the folder is the caller's, 0700). */
export function writeWorkspace(dir: string, conf: string, inst: TempestInstall = DEBIAN_TEMPEST): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const confFile = join(dir, 'tempest.conf');
  writeFileSync(confFile, conf, { mode: 0o600 });
  writeFileSync(join(dir, '.stestr.conf'), `[DEFAULT]\ntest_path=${inst.pkgDir}/test_discover\ntop_dir=${inst.pkgDir}/..\n`);
  const init = spawnSync(inst.stestr, ['init'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`stestr init: ${init.stderr}`);
  return confFile;
}

/** The test ids (without their [tags]) that `stestr list` finds under `suite` in a workspace. */
export function listTests(dir: string, confFile: string, suite: string, inst: TempestInstall = DEBIAN_TEMPEST): string[] {
  const listed = spawnSync(inst.stestr, ['list', suite], { cwd: dir, encoding: 'utf8', env: { ...process.env, TEMPEST_CONFIG: confFile } });
  const ids = listed.stdout.split('\n').filter((l) => l.startsWith(suite)).map((l) => l.replace(/\[.*$/, ''));
  if (ids.length === 0) throw new Error(`stestr list ${suite} found no tests:\n${listed.stderr}`);
  return ids;
}

export interface TempestResult {
  status: number;
  output: string;
  /** "Ran: N tests in S sec." */
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
  /** test id → reason, for every skipped test */
  skips: Map<string, string>;
  /** test ids that failed */
  failures: string[];
  /** the Totals block as tempest printed it */
  summary: string;
}

export function parseTempest(output: string, status: number): TempestResult {
  const count = (label: string) => Number(new RegExp(`^\\s*- ${label}: (\\d+)`, 'm').exec(output)?.[1] ?? Number.NaN);
  const skips = new Map<string, string>();
  const failures: string[] = [];
  // "{0} setUpClass (pkg.Class) ... SKIPPED: why" for a class, "{0} pkg.Class.test [0.1s] ... SKIPPED: why" for one test
  for (const m of output.matchAll(/^\{\d+\} (?:setUpClass \((\S+)\)|(\S+))(?: \[[^\]]*\])? \.\.\. SKIPPED: (.*)$/gm))
    skips.set(m[1] ?? m[2], m[3].trim());
  for (const m of output.matchAll(/^\{\d+\} (\S+) \[[^\]]*\] \.\.\. FAILED$/gm)) failures.push(m[1]);
  const totalsAt = output.indexOf('Totals\n');
  const summary = totalsAt >= 0 ? output.slice(totalsAt).split('\n').slice(2, 10).join('\n') : '';
  return {
    status,
    output,
    ran: Number(/^Ran: (\d+) tests/m.exec(output)?.[1] ?? Number.NaN),
    passed: count('Passed'),
    failed: count('Failed'),
    skipped: count('Skipped'),
    skips,
    failures,
    summary,
  };
}

/** `tempest run` in the workspace; resolves with the parsed result (never rejects on test failures). */
export function runTempest(
  dir: string,
  confFile: string,
  regex: string,
  concurrency: number,
  timeoutMs: number,
  inst: TempestInstall = DEBIAN_TEMPEST,
): Promise<TempestResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(inst.tempest, ['run', '--config-file', confFile, '--regex', regex, '--concurrency', String(concurrency)], {
      cwd: dir,
      env: { ...process.env, PYTHONWARNINGS: 'ignore', OS_TEST_TIMEOUT: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    // its own process group outlives this process: a test runner that times the file out must not leave it running
    // (node's test runner ends a timed-out file with SIGTERM, which skips 'exit' handlers unless one exits)
    const onTerm = () => process.exit(143);
    process.once('exit', killGroup);
    process.once('SIGTERM', onTerm);
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`tempest run did not finish in ${timeoutMs / 1000} s:\n${out.slice(-4000)}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      process.off('exit', killGroup);
      process.off('SIGTERM', onTerm);
      resolve(parseTempest(out, code ?? 1));
    });
  });
}
