/**
 * cloud-init user-data helpers: a MIME multipart builder (what `cloud-init devel make-mime` writes),
 * part-type detection from the first line, gzip (cloud-init inflates gzip'd user-data), and size checks.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ConfigDriveTooLarge, InvalidConfigDrive, MAX_CONFIG_DRIVE_BYTES } from '../errors.ts';

/** cloud-init part types, by the first-line marker each one uses. */
export const PART_TYPES = {
  'cloud-config': 'text/cloud-config',
  'x-shellscript': 'text/x-shellscript',
  'x-include-url': 'text/x-include-url',
  'cloud-boothook': 'text/cloud-boothook',
  'part-handler': 'text/part-handler',
  'upstart-job': 'text/upstart-job',
  'cloud-config-archive': 'text/cloud-config-archive',
  jinja2: 'text/jinja2',
} as const;

export type PartType = keyof typeof PART_TYPES;

const MARKERS: [string, PartType][] = [
  ['#cloud-config-archive', 'cloud-config-archive'],
  ['#cloud-config', 'cloud-config'],
  ['#cloud-boothook', 'cloud-boothook'],
  ['#include', 'x-include-url'],
  ['#part-handler', 'part-handler'],
  ['#upstart-job', 'upstart-job'],
  ['## template: jinja', 'jinja2'],
  ['#!', 'x-shellscript'],
];

/** The part type cloud-init would pick for `content` from its first line, or null. */
export function detectPartType(content: string | Uint8Array): PartType | null {
  const s = typeof content === 'string' ? content : Buffer.from(content.subarray(0, 64)).toString('latin1');
  for (const [m, t] of MARKERS) if (s.startsWith(m)) return t;
  return null;
}

export interface MimePart {
  content: string | Uint8Array;
  /** Part type; default: detected from the first line (error when it cannot be). */
  type?: PartType;
  filename?: string;
}

export interface MimeOptions {
  /** Fixed boundary for reproducible output; default derived from the content. */
  boundary?: string;
}

const isAscii = (b: Buffer) => b.every((c) => c < 0x80);

function wrap76(s: string): string {
  return s.replace(/.{1,76}/g, '$&\n');
}

/** Builds a multipart/mixed user-data document cloud-init splits into its parts. */
export function buildMimeMultipart(parts: readonly MimePart[], opts: MimeOptions = {}): Buffer {
  if (parts.length === 0) throw new InvalidConfigDrive('MIME user-data needs at least one part');
  const bodies = parts.map((p, i) => {
    const data = typeof p.content === 'string' ? Buffer.from(p.content, 'utf8') : Buffer.from(p.content);
    const type = p.type ?? detectPartType(data);
    if (!type) throw new InvalidConfigDrive(`user-data part ${i} has no known type (first line ${JSON.stringify(data.subarray(0, 20).toString('latin1'))}); give one of ${Object.keys(PART_TYPES).join(', ')}`);
    if (!(type in PART_TYPES)) throw new InvalidConfigDrive(`unknown user-data part type '${type}'`);
    return { data, type, filename: p.filename ?? `part-${String(i + 1).padStart(3, '0')}` };
  });
  const boundary = opts.boundary ?? `===============${BigInt(`0x${createHash('sha256').update(Buffer.concat(bodies.map((b) => b.data))).digest('hex').slice(0, 15)}`)}==`;
  if (bodies.some((b) => b.data.includes(`--${boundary}`))) throw new InvalidConfigDrive('MIME boundary occurs inside a part');
  let out = `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n`;
  for (const b of bodies) {
    const ascii = isAscii(b.data);
    out += `--${boundary}\n`;
    out += `Content-Type: ${PART_TYPES[b.type]}; charset="${ascii ? 'us-ascii' : 'utf-8'}"\n`;
    out += 'MIME-Version: 1.0\n';
    out += `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}\n`;
    out += `Content-Disposition: attachment; filename="${b.filename.replace(/["\\\r\n]/g, '_')}"\n\n`;
    const text = ascii ? b.data.toString('latin1') : wrap76(b.data.toString('base64'));
    out += text.endsWith('\n') ? text : `${text}\n`;
  }
  out += `--${boundary}--\n`;
  return Buffer.from(out, 'latin1');
}

/** gzip'd user-data (cloud-init detects the gzip magic and inflates it). */
export function gzipUserData(data: string | Uint8Array): Buffer {
  return gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { level: 9 });
}

/** Nova's limit: user_data must be at most 65535 bytes once base64 encoded. */
export const NOVA_USER_DATA_LIMIT = 65535;

/**
 * Checks user-data size. `limit` applies to the raw bytes (default: what fits the 64 MiB drive);
 * with `novaLimit` the base64 form must also fit Nova's 65535 bytes.
 */
export function checkUserDataSize(data: Uint8Array, opts: { limit?: number; novaLimit?: boolean } = {}): void {
  const limit = opts.limit ?? MAX_CONFIG_DRIVE_BYTES;
  if (data.length > limit) throw new ConfigDriveTooLarge(`user-data is ${data.length} bytes, over the limit of ${limit}`);
  if (opts.novaLimit) {
    const b64 = Math.ceil(data.length / 3) * 4;
    if (b64 > NOVA_USER_DATA_LIMIT) throw new ConfigDriveTooLarge(`user-data is ${b64} bytes once base64 encoded, over Nova's limit of ${NOVA_USER_DATA_LIMIT}`);
  }
}
