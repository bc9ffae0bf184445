/**
 * Settings: declared defaults ← config file (JSON or YAML) ← ANVIL_* environment ← command-line flags, every key and
 * value checked against the one declaration of each setting (@anvil/sdk core-options.ts and each plugin package's
 * `anvil.options`, found by @anvil/registry). A key that names no setting or a value of the wrong type refuses
 * start with one line naming it and the nearest valid name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { declaredOptions, type DeclaredOption } from '@anvil/registry';
import {
  CORE_OPTIONS,
  InvalidParameterValue,
  NON_SETTING_ENV,
  NON_SETTING_ENV_PREFIXES,
  nearest,
  type OptionSource,
  type OptionValue,
  parseOption,
  type Settings,
} from '@anvil/sdk';
import { parse as parseYaml } from 'yaml';

export const SETTINGS_HELP = `settings (flag / env var / config-file key; \`anvil config show\` lists all with their help):
  --port N              ANVIL_PORT             API port (default 6385)
  --host ADDR           ANVIL_HOST             API listen address (default 127.0.0.1)
  --data-dir DIR        ANVIL_DATA_DIR         embedded database and state (default ./data)
  --database-url URL    ANVIL_DATABASE_URL     mysql://user:pass@host:port/db instead of embedded SQLite
  --rpc-transport T     ANVIL_RPC_TRANSPORT    local (default) or kafka
  --kafka-brokers LIST  ANVIL_KAFKA_BROKERS    host:port[,host:port]
  --hostname NAME       ANVIL_HOSTNAME         this conductor's name
  --conductor-group G   ANVIL_CONDUCTOR_GROUP
  --log-level L         ANVIL_LOG_LEVEL        debug, info (default), warn, error
  --config FILE         ANVIL_CONFIG           JSON or YAML file with any setting (snake_case keys; default ./anvil.json, ./anvil.yaml)
  --set key=value       any other setting, e.g. --set deploy_callback_timeout=60
auth (api/README.md "Authentication and policy"):
  --auth-strategy S     ANVIL_AUTH_STRATEGY    noauth (default), http_basic or keystone
  --set http_basic_auth_user_file=FILE       htpasswd file, bcrypt entries only (default /etc/ironic/htpasswd)
  --set keystone_url=URL                      Keystone v3 endpoint that validates X-Auth-Token
  --set keystone_username=U / keystone_password=P / keystone_project_name=P   service credentials (project default service)
  --set policy_enforce_new_defaults=true      scoped RBAC only (default false also allows legacy admin/baremetal_observer roles)
drivers (plugins/README.md):
  --enabled-hardware-types LIST   ANVIL_ENABLED_HARDWARE_TYPES  default fake-hardware,manual-management,ipmi,redfish
  --set enabled_<kind>_interfaces=LIST, --set default_<kind>_interface=NAME   (kind: power, boot, deploy, ...)
  --set plugin_dirs=DIR[,DIR]     extra plugin packages;  --set plugin_load_errors=warn  skip broken plugins
An unknown setting or a bad value refuses start; \`anvil config check FILE\` checks a file.`;

/** Where an effective value came from, as the user wrote it (--port, ANVIL_PORT, anvil.yaml). */
export interface SettingOrigin {
  source: OptionSource;
  where: string;
}

export interface ParsedArgs {
  settings: Settings;
  positional: string[];
  help: boolean;
  /** the command's own flags (not settings), by name without dashes */
  flags: Record<string, string | true>;
  origins: Map<string, SettingOrigin>;
  options: Map<string, DeclaredOption>;
}

/** The command's own flags: boolean ones take no value. */
export type CommandFlags = Record<string, 'bool' | 'value'>;

const flagName = (key: string) => `--${key.replace(/_/g, '-')}`;
const envName = (key: string) => `ANVIL_${key.toUpperCase()}`;

/** The settings a config file holds (JSON or YAML, one flat mapping of setting name → value). */
export function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new InvalidParameterValue(`config file ${file} does not exist`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidParameterValue(`config file ${file} is not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidParameterValue(`config file ${file} must hold a mapping of setting names to values`);
  return doc as Record<string, unknown>;
}

function defaultConfigFile(): string | undefined {
  return ['anvil.json', 'anvil.yaml', 'anvil.yml'].find((f) => existsSync(f));
}

interface RawArgs {
  settingFlags: [key: string, raw: string, where: string][];
  flags: Record<string, string | true>;
  positional: string[];
  help: boolean;
  config?: string;
}

function splitArgv(argv: string[], commandFlags: CommandFlags): RawArgs {
  const out: RawArgs = { settingFlags: [], flags: {}, positional: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--set') {
      const kv = argv[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new InvalidParameterValue(`--set needs key=value, got '${kv}'`);
      const key = kv.slice(0, eq).replace(/-/g, '_');
      out.settingFlags.push([key, kv.slice(eq + 1), `--set ${key}`]);
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const key = name.replace(/-/g, '_');
      const own = commandFlags[name] ?? commandFlags[key];
      if (own === 'bool' && eq < 0) {
        out.flags[name] = true;
        continue;
      }
      const val = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (val === undefined) throw new InvalidParameterValue(`option --${name} needs a value`);
      if (own) out.flags[name] = val;
      else if (key === 'config') out.config = val;
      else out.settingFlags.push([key, val, `--${name}`]);
    } else out.positional.push(a);
  }
  return out;
}

function unknownKey(key: string, where: string, options: Map<string, DeclaredOption>, spell: (k: string) => string): Error {
  const near = nearest(key, options.keys());
  return new InvalidParameterValue(`unknown setting ${where}${near ? ` (did you mean ${spell(near)}?)` : ''}`);
}

/** The setting-named ANVIL_* variables of `env` (the tools' and the test harness' own variables left out). */
function settingEnv(env: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(env).filter(
    (e): e is [string, string] => e[0].startsWith('ANVIL_') && e[1] !== undefined && !NON_SETTING_ENV.includes(e[0]) && !NON_SETTING_ENV_PREFIXES.some((p) => e[0].startsWith(p)),
  );
}

/** plugin_dirs as the sources give it, before the plugins' own options are known (flags win). */
function pluginDirsOf(raw: RawArgs, env: [string, string][], file: Record<string, unknown>, fileName: string): string[] {
  const spec = CORE_OPTIONS.find((o) => o.name === 'plugin_dirs') as DeclaredOption;
  const flag = raw.settingFlags.filter(([k]) => k === 'plugin_dirs').at(-1);
  if (flag) return parseOption(spec, flag[1], flag[2]) as string[];
  const fromEnv = env.find(([k]) => k === 'ANVIL_PLUGIN_DIRS');
  if (fromEnv) return parseOption(spec, fromEnv[1], fromEnv[0]) as string[];
  return file.plugin_dirs === undefined ? [] : ((parseOption(spec, file.plugin_dirs, `plugin_dirs in ${fileName}`) as string[] | null) ?? []);
}

/** Check a config file alone against every declared setting (`anvil config check FILE`). */
export async function checkConfigFile(file: string): Promise<number> {
  const doc = readConfigFile(file);
  const options = await declaredOptions(pluginDirsOf({ settingFlags: [], flags: {}, positional: [], help: false }, [], doc, file));
  for (const [key, value] of Object.entries(doc)) {
    const spec = options.get(key);
    if (!spec) throw unknownKey(key, `'${key}' in ${file}`, options, (k) => `'${k}'`);
    parseOption(spec, value, `${key} in ${file}`);
  }
  return Object.keys(doc).length;
}

export async function loadSettings(argv: string[], env: NodeJS.ProcessEnv = process.env, commandFlags: CommandFlags = {}): Promise<ParsedArgs> {
  const raw = splitArgv(argv, commandFlags);
  const fileName = raw.config ?? env.ANVIL_CONFIG ?? defaultConfigFile();
  const file = fileName ? readConfigFile(fileName) : {};
  const envVars = settingEnv(env);
  const options = await declaredOptions(pluginDirsOf(raw, envVars, file, fileName ?? ''));
  const values: Record<string, OptionValue> = {};
  const origins = new Map<string, SettingOrigin>();
  for (const o of options.values()) {
    values[o.name] = Array.isArray(o.default) ? [...o.default] : o.default;
    origins.set(o.name, { source: 'default', where: 'default' });
  }
  const set = (key: string, rawValue: unknown, origin: SettingOrigin, spell: (k: string) => string) => {
    const spec = options.get(key);
    if (!spec) throw unknownKey(key, origin.where, options, spell);
    values[key] = parseOption(spec, rawValue, origin.where);
    origins.set(key, origin);
  };
  for (const [key, value] of Object.entries(file)) set(key, value, { source: 'file', where: `'${key}' in ${fileName}` }, (k) => `'${k}'`);
  for (const [name, value] of envVars) set(name.slice(6).toLowerCase(), value, { source: 'env', where: name }, envName);
  for (const [key, value, where] of raw.settingFlags) set(key, value, { source: 'flag', where }, where.startsWith('--set') ? (k) => `--set ${k}` : flagName);
  if (env === process.env) {
    // the logger (@anvil/conductor log.ts) reads these; the settings decide them
    process.env.ANVIL_LOG_LEVEL = String(values.log_level);
    process.env.ANVIL_LOG_FORMAT = String(values.log_format);
  }
  return { settings: values as unknown as Settings, positional: raw.positional, help: raw.help, flags: raw.flags, origins, options };
}
