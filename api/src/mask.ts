/**
 * Secrets masking for API output (pure), following oslo.utils mask_dict_password as Ironic uses it:
 * a key whose lower-cased name contains a sensitive word → "******"; nested objects recurse; string values
 * have `password=...`-style fragments scrubbed. Ironic's node rules on top: instance_info.configdrive and
 * instance_info.image_url masked when non-empty, driver_internal_info.agent_secret_token always.
 */
import type { Json, JsonObject } from '@anvil/sdk';

export const SECRET = '******';

const SANITIZE_KEYS = [
  'adminpass', 'admin_pass', 'password', 'admin_password', 'auth_token', 'new_pass', 'auth_password',
  'secret_uuid', 'secret', 'sys_pswd', 'token', 'configdrive', 'chappassword', 'encrypted_key', 'private_key',
  'fernetkey', 'sslkey', 'passphrase', 'cephclusterfsid', 'octaviaheartbeatkey', 'rabbitcookie',
  'cephmanilaclientkey', 'pacemakerremoteauthkey', 'designaterndckey', 'cephadminkey', 'heatauthencryptionkey',
  'cephclientkey', 'keystonecredential', 'barbicansimplecryptokek', 'cephrgwkey', 'swifthashsuffix',
  'migrationsshkey', 'cephmdskey', 'cephmonkey',
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STRING_PATTERNS: [string, RegExp[]][] = SANITIZE_KEYS.map((k) => {
  const key = escapeRe(k);
  return [
    k,
    [
      // key=value, key: value, "key": "value", 'key' = 'value'
      new RegExp(`(["']?${key}["']?\\s*[:=]\\s*["']?)[^"'\\s,&;]+`, 'gi'),
      // --key value
      new RegExp(`(--${key}\\s+["']?)[^"'\\s]+`, 'gi'),
      // <key>value</key>
      new RegExp(`(<${key}>)[^<]*`, 'gi'),
    ],
  ];
});

/** Scrub secrets embedded in a free-form string. */
export function maskString(value: string): string {
  const lower = value.toLowerCase();
  let out = value;
  for (const [key, patterns] of STRING_PATTERNS) {
    if (!lower.includes(key)) continue;
    for (const re of patterns) out = out.replace(re, `$1${SECRET}`);
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  return SANITIZE_KEYS.some((s) => k.includes(s));
}

/** Recursive key-based masking of an object (a new object; the input is not modified). */
export function maskDict(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = maskDict(v as JsonObject);
    else if (isSecretKey(k)) out[k] = SECRET;
    else if (typeof v === 'string') out[k] = maskString(v);
    else out[k] = v as Json;
  }
  return out;
}

export function maskDriverInfo(info: JsonObject): JsonObject {
  return maskDict(info);
}

export function maskInstanceInfo(info: JsonObject): JsonObject {
  const out = maskDict(info);
  if (info.configdrive) out.configdrive = SECRET;
  if (info.image_url) out.image_url = SECRET;
  return out;
}

export function maskDriverInternalInfo(info: JsonObject): JsonObject {
  if (!info.agent_secret_token) return info;
  return { ...info, agent_secret_token: SECRET };
}
