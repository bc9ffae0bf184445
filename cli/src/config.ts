/**
 * Settings: defaults (@anvil/sdk) ← config file (JSON) ← ANVIL_* environment ← command-line flags.
 * Every setting key can be given as a flag (--data-dir x / --data_dir=x) or env var (ANVIL_DATA_DIR).
 */
import { readFileSync, existsSync } from 'node:fs';
import { DEFAULT_SETTINGS, InvalidParameterValue, type Settings } from '@anvil/sdk';

export const SETTINGS_HELP = `settings (flag / env var / config-file key):
  --port N              ANVIL_PORT             API port (default 6385)
  --host ADDR           ANVIL_HOST             API listen address (default 127.0.0.1)
  --data-dir DIR        ANVIL_DATA_DIR         embedded database and state (default ./data)
  --database-url URL    ANVIL_DATABASE_URL     mysql://user:pass@host:port/db instead of embedded SQLite
  --rpc-transport T     ANVIL_RPC_TRANSPORT    local (default) or kafka
  --kafka-brokers LIST  ANVIL_KAFKA_BROKERS    host:port[,host:port]
  --hostname NAME       ANVIL_HOSTNAME         this conductor's name
  --conductor-group G   ANVIL_CONDUCTOR_GROUP
  --config FILE         ANVIL_CONFIG           JSON file with any of the keys above (snake_case)
  --set key=value       any other setting, e.g. --set deploy_callback_timeout=60
auth (api/README.md "Authentication and policy"):
  --auth-strategy S     ANVIL_AUTH_STRATEGY    noauth (default), http_basic or keystone
  --set http_basic_auth_user_file=FILE       htpasswd file, bcrypt entries only (default /etc/ironic/htpasswd)
  --set keystone_url=URL                      Keystone v3 endpoint that validates X-Auth-Token
  --set keystone_username=U / keystone_password=P / keystone_project_name=P   service credentials (project default service)
  --set keystone_user_domain_name=D / keystone_project_domain_name=D          service credential domains (default Default)
  --set keystone_token_cache_time=N           seconds a validated token is cached (default 300)
  --set keystone_www_authenticate_uri=URL     URL in WWW-Authenticate on 401 (default keystone_url)
  --set policy_enforce_new_defaults=true      scoped RBAC only (default false also allows legacy admin/baremetal_observer roles)
  --set rbac_service_project_name=NAME        project whose service role acts as system member (default service)
drivers (plugins/README.md):
  --enabled-hardware-types LIST   ANVIL_ENABLED_HARDWARE_TYPES  default fake-hardware,manual-management,ipmi,redfish
  --set enabled_<kind>_interfaces=LIST, --set default_<kind>_interface=NAME   (kind: power, boot, deploy, ...)
  --set plugin_dirs=DIR[,DIR]     extra plugin packages;  --set plugin_load_errors=warn  skip broken plugins`;

function coerce(key: string, raw: string): unknown {
  const def = (DEFAULT_SETTINGS as Record<string, unknown>)[key];
  if (Array.isArray(def) || key.startsWith('enabled_')) return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof def === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new InvalidParameterValue(`setting ${key} must be a number, got '${raw}'`);
    return n;
  }
  if (typeof def === 'boolean') return /^(1|true|yes|on)$/i.test(raw);
  return raw;
}

export interface ParsedArgs {
  settings: Settings;
  positional: string[];
  help: boolean;
}

export function loadSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--set') {
      const [k, ...v] = (argv[++i] ?? '').split('=');
      flags[k.replace(/-/g, '_')] = v.join('=');
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = (eq > 0 ? a.slice(2, eq) : a.slice(2)).replace(/-/g, '_');
      const val = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (val === undefined) throw new InvalidParameterValue(`option --${key} needs a value`);
      flags[key] = val;
    } else positional.push(a);
  }
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const file = flags.config ?? env.ANVIL_CONFIG ?? (existsSync('anvil.json') ? 'anvil.json' : undefined);
  if (file) Object.assign(merged, JSON.parse(readFileSync(file, 'utf8')));
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('ANVIL_') && k !== 'ANVIL_CONFIG' && v !== undefined) {
      const key = k.slice(6).toLowerCase();
      merged[key] = coerce(key, v);
    }
  }
  for (const [k, v] of Object.entries(flags)) if (k !== 'config') merged[k] = coerce(k, v);
  return { settings: merged as Settings, positional, help };
}
