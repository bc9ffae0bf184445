/** Console tokens and URLs, checked against Python itself (urllib.parse.quote, datetime.strptime) as Ironic uses them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { authorize, consoleInfo, pyQuote, tokenValid, tokenValidUntil } from './token.ts';

const py = (code: string, ...args: string[]) => {
  const r = spawnSync('/usr/bin/python3', ['-c', code, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `/usr/bin/python3 is needed: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '');
};

test("pyQuote matches urllib.parse.quote, the console URL matches Ironic's get_console", () => {
  const samples = ['websockify?node=1be26c0b-03f2-4d2e-ae87-c02d7f33c123&token=Ab_9-x', 'a b/c~d.e!*()\'é', ''];
  for (const s of samples) assert.equal(pyQuote(s), py('import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))', s), s);
  const uuid = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
  const url = consoleInfo('http://127.0.0.1:6090/vnc_auto.html', uuid, 'tok_EN-1');
  const expect = py(
    'import sys; from urllib import parse; u, t = sys.argv[1:]; print("http://127.0.0.1:6090/vnc_auto.html?path=" + parse.quote(f"websockify?node={u}&token={t}"))',
    uuid, 'tok_EN-1');
  assert.deepEqual(url, { type: 'vnc', url: expect });
});

test('authorize: a 43-character URL-safe token and a creation time Python parses with Ironic\'s format', () => {
  const now = new Date(Date.UTC(2026, 11, 6, 8, 30, 5, 123));
  const a = authorize(now);
  assert.match(a.novnc_secret_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(a.novnc_secret_token_created, '2026-12-06T08:30:05.123000');
  assert.equal(py("import sys, datetime; print(datetime.datetime.strptime(sys.argv[1], '%Y-%m-%dT%H:%M:%S.%f').isoformat())", a.novnc_secret_token_created), a.novnc_secret_token_created);
  assert.notEqual(authorize(now).novnc_secret_token, a.novnc_secret_token);
});

test('tokenValid: the node\'s own token until created + timeout; wrong, empty, missing or expired ones refused', () => {
  const created = Date.UTC(2026, 0, 1, 0, 0, 0);
  const dii = authorize(new Date(created), 'secret');
  assert.equal(tokenValidUntil(dii, 600), created + 600_000);
  assert.equal(tokenValid(dii, 'secret', created + 600_000, 600), true);
  assert.equal(tokenValid(dii, 'secret', created + 600_001, 600), false);
  assert.equal(tokenValid(dii, 'other', created, 600), false);
  assert.equal(tokenValid(dii, '', created, 600), false);
  assert.equal(tokenValid({}, 'secret', created, 600), false);
  assert.equal(tokenValid({ novnc_secret_token: 'secret' }, 'secret', created, 600), false, 'no creation time');
});
