/**
 * Ironic's own API test suite (Debian `tempest` + `ironic-tempest-plugin`) run against a baremetal endpoint in the
 * Keystone catalog: a tempest workspace (tempest.conf, .stestr.conf, `stestr init`), `tempest run`, and the
 * parsed result (per-test outcome lines and the "Totals" block).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeystoneEnv } from './keystone-catalog.ts';

const PY = '/usr/bin/python3';
const TEMPEST_PKG = '/usr/lib/python3/dist-packages/tempest';

/** Why tempest cannot run here (names the missing piece), or null. */
export function missingTempest(): string | null {
  const probe = spawnSync(PY, ['-c', 'import tempest, ironic_tempest_plugin, stestr'], { encoding: 'utf8' });
  if (probe.status !== 0 || !existsSync('/usr/bin/tempest') || !existsSync(TEMPEST_PKG))
    return 'Debian tempest / ironic-tempest-plugin are not installed (bash scripts/services/tempest.sh start)';
  return null;
}

/**
 * What Anvil is started with and tempest is told about: fake-hardware with Ironic's fake interfaces, and `ipmi`
 * (tempest's TestResetInterfaces switches a node to it) with the interfaces its defaults resolve to.
 */
export const HARDWARE_TYPES = 'fake-hardware,ipmi';
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

export function tempestConf(ks: KeystoneEnv, o: { minMicroversion: string; maxMicroversion: string; logFile: string }): string {
  const baremetalKeys = ['enabled_bios_interfaces', 'enabled_boot_interfaces', 'enabled_deploy_interfaces', 'enabled_management_interfaces',
    'enabled_power_interfaces', 'enabled_raid_interfaces', 'enabled_rescue_interfaces', 'default_rescue_interface'];
  return `[DEFAULT]
log_file = ${o.logFile}
use_stderr = false
[auth]
use_dynamic_credentials = true
tempest_roles = admin
admin_username = admin
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
ironic = false
[service_available]
ironic = true
nova = false
neutron = false
glance = false
cinder = false
swift = false
[baremetal]
driver = fake-hardware
enabled_hardware_types = ${HARDWARE_TYPES}
${baremetalKeys.map((k) => `${k} = ${INTERFACES[k]}`).join('\n')}
min_microversion = ${o.minMicroversion}
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
export function writeWorkspace(dir: string, conf: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const confFile = join(dir, 'tempest.conf');
  writeFileSync(confFile, conf, { mode: 0o600 });
  writeFileSync(join(dir, '.stestr.conf'), `[DEFAULT]\ntest_path=${TEMPEST_PKG}/test_discover\ntop_dir=${TEMPEST_PKG}/..\n`);
  const init = spawnSync('/usr/bin/stestr', ['init'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`stestr init: ${init.stderr}`);
  return confFile;
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
export function runTempest(dir: string, confFile: string, regex: string, concurrency: number, timeoutMs: number): Promise<TempestResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/tempest', ['run', '--config-file', confFile, '--regex', regex, '--concurrency', String(concurrency)], {
      cwd: dir,
      env: { ...process.env, PYTHONWARNINGS: 'ignore', OS_TEST_TIMEOUT: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`tempest run did not finish in ${timeoutMs / 1000} s:\n${out.slice(-4000)}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(parseTempest(out, code ?? 1));
    });
  });
}
