/**
 * The agent's automatic TLS as Ironic handles it: ironic-python-agent 9.x serves its API over https with a
 * self-signed certificate it generates at start (EC P-256, its host name as CN, one *critical* subjectAltName with its
 * IP address, no basicConstraints) and sends that certificate as `agent_verify_ca`; Ironic keeps it as a file and
 * verifies the agent against it (agent_client._get_verify: driver_internal_info, then driver_info, then
 * [agent]verify_ca). The certificate here has IPA's shape (openssl with no default extensions), the server is real
 * https on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AgentClient, agentVerify } from './agent-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'agent-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A certificate shaped like the one IPA's tls_utils generates, for `ip`; returns its and its key's paths. */
function ipaCertificate(name: string, ip: string): { cert: string; key: string } {
  const cnf = join(dir, 'min.cnf');
  writeFileSync(cnf, '[req]\ndistinguished_name=dn\n[dn]\n');
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-config', cnf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-addext', `subjectAltName=critical,IP:${ip}`, '-addext', 'subjectKeyIdentifier=none',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

let server: Server;
let url: string;
let agentCert: { cert: string; key: string };
const seen: string[] = [];

before(async () => {
  agentCert = ipaCertificate('ipa-host', '127.0.0.1');
  const text = execFileSync('openssl', ['x509', '-in', agentCert.cert, '-noout', '-text']).toString();
  assert.match(text, /X509v3 Subject Alternative Name: critical\s+IP Address:127\.0\.0\.1/);
  assert.doesNotMatch(text, /Basic Constraints/, 'no basicConstraints, as IPA generates it');
  server = createServer({ cert: readFileSync(agentCert.cert), key: readFileSync(agentCert.key) }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const body =
      req.method === 'POST'
        ? { id: 'c1', command_name: 'get_partition_uuids', command_params: {}, command_status: 'SUCCEEDED', command_error: null, command_result: { 'root uuid': 'r' } }
        : { commands: [] };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('an https agent is verified against the certificate it sent (agent_verify_ca)', async () => {
  const c = new AgentClient(url, 'tok', 5000, agentCert.cert);
  assert.equal((await c.command('standby.get_partition_uuids', {}, true)).command_status, 'SUCCEEDED');
  assert.deepEqual(await c.commands(), []);
  assert.deepEqual(seen.slice(-2), ['POST /v1/commands/?wait=true&agent_token=tok', 'GET /v1/commands/']);
});

test('the system CAs, another certificate or one for another address refuse it; verify False accepts it', async () => {
  const refused = async (verify: boolean | string, why: RegExp) =>
    assert.rejects(new AgentClient(url, 'tok', 5000, verify).command('standby.sync', {}, true), (e: Error & { code: string }) => {
      assert.equal(e.code, 'AgentConnectionFailed');
      assert.match(e.message, why);
      return true;
    });
  await refused(true, /cannot reach the agent at https:\/\/127\.0\.0\.1:\d+: DEPTH_ZERO_SELF_SIGNED_CERT/);
  await refused(ipaCertificate('other', '127.0.0.1').cert, /SELF_SIGNED|unable to verify|certificate signature failure/i);
  // the agent's own certificate, but the agent_url's address is not the one it names
  const wrongIp = ipaCertificate('moved', '127.0.0.2');
  const moved = createServer({ cert: readFileSync(wrongIp.cert), key: readFileSync(wrongIp.key) }, (_q, r) => r.end('{}'));
  await new Promise<void>((r) => moved.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (moved.address() as { port: number }).port;
    await assert.rejects(new AgentClient(`https://127.0.0.1:${port}`, null, 5000, wrongIp.cert).commands(), /ERR_TLS_CERT_ALTNAME_INVALID: .*IP: 127\.0\.0\.1 is not in the cert's list: 127\.0\.0\.2/);
  } finally {
    moved.close();
  }
  assert.equal((await new AgentClient(url, 'tok', 5000, false).command('standby.sync', {}, true)).command_status, 'SUCCEEDED');
});

test("agentVerify: driver_internal_info, then driver_info, then the setting; booleans or a file's path (Ironic's _get_verify)", () => {
  const file = agentCert.cert;
  assert.equal(agentVerify({ agent_verify_ca: file }, { agent_verify_ca: 'False' }, 'True'), file);
  assert.equal(agentVerify({}, { agent_verify_ca: 'False' }, 'True'), false);
  assert.equal(agentVerify({}, { agent_verify_ca: false }, 'True'), false);
  assert.equal(agentVerify({ agent_verify_ca: null }, {}, 'no'), false);
  assert.equal(agentVerify({}, {}, undefined), true);
  assert.equal(agentVerify({}, {}, 'YES'), true);
  assert.equal(agentVerify({}, {}, file), file);
  assert.throws(
    () => agentVerify({ agent_verify_ca: '/nonexistent/agent.crt' }, {}, 'True'),
    (e: Error & { code: string }) => e.code === 'InvalidParameterValue' && e.message === 'Agent CA /nonexistent/agent.crt is neither a path nor a boolean',
  );
});
