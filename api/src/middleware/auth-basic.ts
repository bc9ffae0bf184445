/**
 * auth_strategy=http_basic: Apache-style user file (http_basic_auth_user_file) with bcrypt digests only ($2y$/$2a$/$2b$),
 * as ironic-lib's auth_basic. Failures answer 401 with WWW-Authenticate: Basic realm="Baremetal API".
 */
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';

export class BasicAuthError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const BCRYPT_PREFIXES = ['$2y$', '$2a$', '$2b$'];

/** Parse the user file; a non-bcrypt entry is a configuration error, reported at startup as Ironic does. */
export function parseUserFile(text: string, file = 'user file'): Map<string, string> {
  const users = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const entry = line.trim();
    if (!entry.includes(':')) continue;
    const i = entry.indexOf(':');
    const user = entry.slice(0, i);
    const crypted = entry.slice(i + 1);
    if (!BCRYPT_PREFIXES.includes(crypted.slice(0, 4)))
      throw new Error(`Invalid configuration file. Only bcrypt digested passwords are supported for ${user} (${file})`);
    if (!users.has(user)) users.set(user, crypted);
  }
  return users;
}

export function loadUserFile(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Invalid configuration file. Problem reading auth user file: ${file}`);
  }
  return parseUserFile(text, file);
}

/** Decode an Authorization header value; returns the user name or throws BasicAuthError (400/401). */
export function parseBasicHeader(header: string | undefined): { user: string; password: string } {
  if (!header) throw new BasicAuthError(401, 'Authorization required');
  const parts = header.trim().split(/\s+/);
  if (parts.length < 2) throw new BasicAuthError(400, 'Could not parse Authorization header');
  if (parts[0].toLowerCase() !== 'basic') throw new BasicAuthError(400, `Unsupported authorization type "${parts[0]}"`);
  const token = parts[1];
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) throw new BasicAuthError(400, 'Could not decode authorization token');
  const pair = Buffer.from(token, 'base64').toString('utf8');
  const i = pair.indexOf(':');
  if (i < 0) throw new BasicAuthError(400, 'Could not decode authorization token');
  return { user: pair.slice(0, i), password: pair.slice(i + 1) };
}

/** Check credentials against the user file (re-read each time, as Ironic does, so edits apply without restart). */
export async function authenticateBasic(file: string, header: string | undefined): Promise<string> {
  const { user, password } = parseBasicHeader(header);
  const crypted = loadUserFile(file).get(user);
  // $2y$ is PHP/Apache's name for the same algorithm as $2b$.
  if (!crypted || !(await bcrypt.compare(password, crypted.replace(/^\$2y\$/, '$2b$'))))
    throw new BasicAuthError(401, 'Incorrect username or password');
  return user;
}

/** ironic-lib's error document for http_basic failures. */
export function basicErrorBody(e: BasicAuthError): string {
  return JSON.stringify({ error: { message: e.message, code: e.status } });
}
