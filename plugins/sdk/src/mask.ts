/**
 * oslo.utils' mask_dict_password, the one copy (pure): a key whose lower-cased name contains a sensitive word → the
 * secret; nested objects recurse; string values have `password=…`-style fragments scrubbed. `deep` is oslo.utils
 * 10's _deep_mask (lists are masked item by item, as Ironic 39's step-flow history entries show them); without it
 * a list is left alone, as the older oslo.utils of Debian's Ironic does.
 */
import type { Json, JsonObject } from './objects.ts';

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
export function maskPassword(value: string, secret = '***'): string {
  const lower = value.toLowerCase();
  let out = value;
  for (const [key, patterns] of STRING_PATTERNS) {
    if (!lower.includes(key)) continue;
    for (const re of patterns) out = out.replace(re, `$1${secret}`);
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  return SANITIZE_KEYS.some((s) => k.includes(s));
}

function deepMask(v: Json, secret: string): Json {
  if (Array.isArray(v)) return v.map((x) => deepMask(x, secret));
  if (v !== null && typeof v === 'object') return maskDictPassword(v as JsonObject, secret, true);
  return typeof v === 'string' ? maskPassword(v, secret) : v;
}

/** Recursive key-based masking of an object (a new object; the input is not modified). */
export function maskDictPassword(obj: JsonObject, secret = '***', deep = false): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = maskDictPassword(v as JsonObject, secret, deep);
    else if (isSecretKey(k)) out[k] = secret;
    else if (typeof v === 'string') out[k] = maskPassword(v, secret);
    else if (deep && Array.isArray(v)) out[k] = deepMask(v, secret);
    else out[k] = v as Json;
  }
  return out;
}
