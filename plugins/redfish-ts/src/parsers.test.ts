import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { connectionError, errorDetail } from './errors.ts';
import { action, actionInfoValues, etagOf, expandedMembers, link, memberIds, parseAddress, urlOf } from './odata.ts';
import { taskStatus } from './task-monitor.ts';

const fx = (n: string) => JSON.parse(readFileSync(new URL(`./fixtures/${n}`, import.meta.url), 'utf8'));

test('parseAddress: https assumed, http kept, ports and IPv6, no path or credentials', () => {
  assert.equal(parseAddress('bmc.example.com'), 'https://bmc.example.com');
  assert.equal(parseAddress('http://127.0.0.1:8000'), 'http://127.0.0.1:8000');
  assert.equal(parseAddress('https://[fd00::1]:443/'), 'https://[fd00::1]');
  assert.throws(() => parseAddress('ftp://x'), /scheme/);
  assert.throws(() => parseAddress('https://x/redfish/v1'), /no path/);
  assert.throws(() => parseAddress('https://u:p@x'), /credentials/);
  assert.equal(urlOf('http://h:1', '/redfish/v1/Systems'), 'http://h:1/redfish/v1/Systems');
});

test('sushy-tools system (recorded): links, Reset allowable values, members', () => {
  const sys = fx('system.json');
  const reset = action(sys, '#ComputerSystem.Reset');
  assert.ok(reset);
  assert.match(reset.target, /Actions\/ComputerSystem.Reset$/);
  assert.deepEqual(reset.allowable.ResetType, ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi', 'ForceOn']);
  assert.equal(action(sys, '#ComputerSystem.Nope'), null);
  assert.match(link(sys, 'VirtualMedia') ?? '', /VirtualMedia$/);
  assert.match(link(sys, 'Links', 'ManagedBy') ?? 'none', /none/); // an array, not a link
  const systems = fx('systems.json');
  assert.equal(memberIds(systems).length, 2);
  assert.equal(expandedMembers(systems), null); // not expanded
  assert.equal(expandedMembers({ Members: [{ '@odata.id': '/a', Id: 'a' }] })?.length, 1);
  assert.deepEqual(actionInfoValues({ Parameters: [{ Name: 'ResetType', AllowableValues: ['On', 'ForceOff'] }] }, 'ResetType'), ['On', 'ForceOff']);
});

test('errorDetail: every @Message.ExtendedInfo entry in one message; plain error.message; non-JSON bodies', () => {
  const d = errorDetail(fx('idrac-400.json'));
  assert.deepEqual(d.messageIds, ['Base.1.8.ActionNotSupported', 'IDRAC.2.8.UnableToModifyDuringSystemPOST']);
  assert.match(d.detail, /^Base.1.8.ActionNotSupported: Unable to perform .* Enter a valid HTTP method and retry the operation.; IDRAC.2.8.UnableToModifyDuringSystemPOST: Unable to modify/);
  const nf = errorDetail(fx('error-404.json'));
  assert.deepEqual(nf.messageIds, ['Base.1.0.GeneralError']);
  assert.equal(nf.detail, 'Fake system nope was not found (Base.1.0.GeneralError)');
  assert.equal(errorDetail({ error: { code: 'Base.1.0.GeneralError', message: 'Fake system nope was not found' } }).detail, 'Fake system nope was not found');
  assert.equal(errorDetail(null, '<html><body>502 Bad Gateway</body></html>').detail, '<html><body>502 Bad Gateway</body></html>');
  assert.equal(errorDetail(null).detail, 'No error details.');
});

test('connectionError names the cause: refused, unreachable, timeout, TLS', () => {
  const u = 'https://10.0.0.5:443/redfish/v1/';
  assert.equal(connectionError(u, { cause: { code: 'ECONNREFUSED' } }).reason, 'refused');
  assert.equal(connectionError(u, { cause: { code: 'EHOSTUNREACH' } }).reason, 'unreachable');
  assert.equal(connectionError(u, { code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout Error' }).reason, 'timeout');
  const tls = connectionError(u, { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' } });
  assert.equal(tls.reason, 'tls');
  assert.match(tls.message, /TLS handshake with the Redfish BMC at 10.0.0.5 failed .*redfish_verify_ca/);
});

test('taskStatus: running, completed, failed with the task messages; ETag from header or body', () => {
  assert.equal(taskStatus({ TaskState: 'Running', PercentComplete: 10 }).phase, 'running');
  assert.equal(taskStatus({ TaskState: 'Completed', TaskStatus: 'OK' }).phase, 'completed');
  const f = taskStatus(fx('task-failed.json'));
  assert.equal(f.phase, 'failed');
  assert.equal(f.percent, 40);
  assert.match(f.message, /IDRAC.2.8.RED014: The firmware image file is not valid./);
  assert.equal(etagOf({ etag: 'W/"1"' }, null), 'W/"1"');
  assert.equal(etagOf({}, { '@odata.etag': '"2"' }), '"2"');
  assert.equal(etagOf({}, {}), null);
});
