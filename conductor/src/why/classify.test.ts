/**
 * The diagnosis schema test: every last_error shape the conductor writes (one row per error path, the text as the
 * flow words it) gets a specific diagnosis — a known code other than `unclassified`, a non-empty one-sentence
 * cause, a hint, and the expected code. Also the trace rules on hand-made timelines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BootTraceEvent, DIAGNOSIS_CODES } from '@anvil/sdk';
import { diagnose } from './classify.ts';
import { diagnoseTrace, summarizeTrace } from './trace.ts';

const U = '1be26c0b-03f2-4d2d-ae87-c02d7f33c123';
const BMC_DOWN = 'BMC 127.0.0.1:41234 did not answer Get Channel Authentication Capabilities after 2 attempts (timeout 0.3 s); check ipmi_address/ipmi_port and that the BMC is reachable';
const BMC_AUTH = '127.0.0.1:41234 rejected the credentials at RAKP 4: invalid integrity check value (wrong ipmi_password or BMC key)';

/** [source, state, last_error, expected code] — one per error path. */
const PATHS: [string, string, string, string][] = [
  ['verify.ts power validate', 'verifying', `Failed to validate power driver interface for node ${U}. Error: Some parameters were missing in node's driver_info. Missing are: ['ipmi_address']`, 'driver.invalid_config'],
  ['verify.ts power state, BMC down', 'verifying', `Failed to get power state for node ${U}. Error: IPMI call failed: power status. ${BMC_DOWN}`, 'bmc.unreachable'],
  ['redfish power, bad password', 'manageable', `Failed to change power state to 'power on' for node ${U}. Error: Redfish read the System failed for node ${U}. Error: HTTP GET http://127.0.0.1:8000/redfish/v1/Systems/1 returned code 401. The BMC rejected the credentials of user 'admin' (Unauthorized); check redfish_username and redfish_password. Base.1.0.GeneralError`, 'bmc.auth_failed'],
  ['redfish power, refused', 'manageable', `Failed to change power state to 'power on' for node ${U}. Error: Unable to connect to the Redfish BMC of node ${U} to read the System. Redfish BMC at 127.0.0.1:8000 refused the connection (ECONNREFUSED).`, 'bmc.unreachable'],
  ['redfish power, TLS', 'manageable', `Failed to change power state to 'power on' for node ${U}. Error: Unable to connect to the Redfish BMC of node ${U} to read the System. TLS handshake with the Redfish BMC at 127.0.0.1:8443 failed (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate); check redfish_verify_ca and the BMC's certificate.`, 'driver.invalid_config'],
  ['redfish power, BMC 500', 'manageable', `Failed to change power state to 'power on' for node ${U}. Error: Redfish read the System failed for node ${U}. Error: HTTP GET http://127.0.0.1:8000/redfish/v1/Systems/1 returned code 500. Base.1.8.InternalError: The request failed due to an internal service error.`, 'bmc.command_failed'],
  ['verify.ts power state, bad password', 'verifying', `Failed to get power state for node ${U}. Error: IPMI call failed: power status. ${BMC_AUTH}`, 'bmc.auth_failed'],
  ['power.ts', 'available', `Failed to change power state to 'power on' by 'power on'. Error: Failed to set node ${U} power state to power on: the BMC still reports the old state 5 seconds after power on.`, 'bmc.command_failed'],
  ['power.ts generic', 'available', `Failed to change power state to 'power off' by 'power off'. Error: something odd`, 'power.action_failed'],
  ['power-sync.ts', 'active', `During sync_power_state, max retries exceeded for node ${U}, node state power off does not match expected state 'power on'. Updating DB state to 'power off' Switching node to maintenance mode.`, 'power.sync_failed'],
  ['deploy.ts prepare ramdisk', 'deploying', `Failed to deploy on node ${U}. Error: Cannot download image http://127.0.0.1:1/kernel: HTTP 404`, 'boot.deploy_image_unavailable'],
  ['deploy.ts checksum', 'wait call-back', `Deploy step deploy.write_image failed on node ${U}. Error: Agent returned error for deploy step {"step":"write_image"} on node ${U} : Error verifying image checksum: Image failed to verify against checksum. location: x; image ID: y; image checksum: a; verification checksum: b.`, 'image.checksum_mismatch'],
  ['deploy.ts image 404', 'wait call-back', `Deploy step deploy.write_image failed on node ${U}. Error: Agent returned error for deploy step {"step":"write_image"} on node ${U} : Error downloading image: Download of image x failed: HTTP 404.`, 'image.unreachable'],
  ['deploy.ts agent gone', 'wait call-back', `Deploy step deploy.write_image failed on node ${U}. Error: Agent command execute_deploy_step failed: cannot reach the agent at http://127.0.0.1:9/: connect ECONNREFUSED`, 'agent.unreachable'],
  ['deploy.ts bootloader', 'wait call-back', `Deploy step deploy.prepare_instance_boot failed on node ${U}. Error: Failed to install a bootloader when deploying node ${U}. Error: Agent failed: no EFI partition`, 'agent.command_failed'],
  ['deploy.ts dhcp', 'deploying', `Failed to deploy on node ${U}. Error: No VIFs found for node ${U} when attempting to update DHCP BOOT options.`, 'boot.dhcp_update_failed'],
  ['deploy.ts neutron', 'deploying', `Failed to deploy on node ${U}. Error: Could not reach Neutron at http://127.0.0.1:9696: ECONNREFUSED`, 'network.failed'],
  ['deploy.ts other step', 'deploying', `Deploy step deploy.deploy failed on node ${U}. Error: Unknown deploy step deploy.x`, 'deploy.step_failed'],
  ['callback-timeouts.ts deploy', 'wait call-back', `Timeout reached while waiting for callback for node ${U}`, 'deploy.callback_timeout'],
  ['callback-timeouts.ts clean', 'clean wait', 'Timeout reached while cleaning the node. Please check if the ramdisk responsible for the cleaning is running on the node. Failed on step {}.', 'clean.callback_timeout'],
  ['callback-timeouts.ts rescue', 'rescue wait', `Timeout reached while waiting for rescue ramdisk callback for node ${U}`, 'rescue.failed'],
  ['callback-timeouts.ts inspect', 'inspect wait', 'timeout reached while inspecting the node', 'inspect.failed'],
  ['clean.ts step', 'clean wait', `Node ${U} failed step {'interface': 'deploy', 'step': 'erase_devices', 'abortable': True, 'priority': 10}: Agent returned error for clean step {"step":"erase_devices"} on node ${U} : disk is read-only.`, 'clean.step_failed'],
  ['direct heartbeat: the agent failed the step', 'clean wait', `Clean step deploy.erase_devices failed on node ${U}. disk is read-only`, 'clean.step_failed'],
  ['clean.ts prepare', 'cleaning', `Failed to prepare node ${U} for cleaning: Cannot write PXE config`, 'clean.failed'],
  ['clean.ts steps', 'cleaning', `Cannot clean node ${U}: node does not support this clean step: {'interface': 'deploy', 'step': 'nope'}`, 'clean.failed'],
  ['clean.ts first heartbeat', 'clean wait', "Node failed to start the first cleaning step: node does not support this clean step: {'interface': 'deploy', 'step': 'nope'}", 'clean.failed'],
  ['clean.ts clean abort', 'clean wait', 'By request, the clean operation was aborted during or after the completion of step "deploy.erase_devices"', 'operation.aborted'],
  ['task.ts history of an abort', 'clean failed', 'Node moved to provision state "clean failed" from state "clean wait"; target provision state is "manageable"', 'operation.aborted'],
  ['rescue.ts abort', 'rescue failed', 'Rescue operation was aborted by request.', 'operation.aborted'],
  ['rescue.ts', 'rescuing', `Failed to rescue node ${U}: Agent failed to finalize rescue: no password`, 'rescue.failed'],
  ['rescue.ts unrescue', 'unrescuing', `Failed to unrescue node ${U}: boom`, 'rescue.failed'],
  ['inspect.ts', 'inspecting', 'Failed to inspect hardware. Reason: no inventory', 'inspect.failed'],
  ['adopt.ts', 'adopting', `Error while attempting to adopt node ${U}: image_source missing.`, 'adopt.failed'],
  ['tear-down.ts', 'deleting', `Error while tearing down node ${U}: disk busy`, 'deploy.step_failed'],
  ['orphans.ts', 'deploying', 'Conductor c1 went offline (no heartbeat for 6 s) while the node was in state "deploying"; the operation was aborted.', 'conductor.lost'],
  ['node-extras.ts boot mode', 'manageable', "Failed to change boot mode to 'uefi: Driver ipmi does not support set_boot_mode", 'driver.operation_failed'],
  ['node-extras.ts console', 'active', `Error enabling the console on node ${U}. Reason: no console`, 'driver.operation_failed'],
];

for (const [source, state, msg, code] of PATHS) {
  test(`diagnosis of ${source}: ${code}`, () => {
    const d = diagnose(msg, { state });
    assert.equal(d.code, code, `${source}: ${msg}`);
    assert.ok((DIAGNOSIS_CODES as readonly string[]).includes(d.code));
    assert.notEqual(d.code, 'unclassified');
    assert.ok(d.cause.length > 10 && !d.cause.includes('\n'), `cause: ${d.cause}`);
    assert.ok(d.hint.length > 10, `hint: ${d.hint}`);
    assert.equal(typeof d.retryable, 'boolean');
    assert.ok(d.step, 'a step is named');
  });
}

test('error paths cover at least 20 distinct codes', () => {
  assert.ok(new Set(PATHS.map((p) => p[3])).size >= 20);
});

test('an unknown message is unclassified, never empty', () => {
  const d = diagnose('something new', { state: 'active' });
  assert.equal(d.code, 'unclassified');
  assert.equal(d.cause, 'something new');
});

test('step and interface come from the failing step', () => {
  const d = diagnose(`Deploy step deploy.write_image failed on node ${U}. Error: Error downloading image: Download of image x failed: HTTP 404.`, { state: 'wait call-back' });
  assert.equal(d.step, 'deploy.write_image');
  assert.equal(d.interface, 'deploy');
  assert.match(d.cause, /HTTP 404/);
  const b = diagnose(`Failed to get power state for node ${U}. Error: ${BMC_DOWN}`, { state: 'verifying' });
  assert.equal(b.interface, 'power');
  assert.match(b.cause, /127\.0\.0\.1:41234/);
});

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const ev = (s: number, kind: BootTraceEvent['kind'], result: string, detail: string, extra: Partial<BootTraceEvent> = {}): BootTraceEvent => ({
  mac: '52:54:00:00:00:01',
  node_uuid: U,
  kind,
  result,
  detail,
  at: new Date(T0 + s * 1000).toISOString(),
  ...extra,
});
const W = { lookupWithinSec: 5, heartbeatStaleSec: 5 };
const start = [ev(0, 'bmc', 'ok', 'boot device pxe'), ev(0.1, 'dhcp', 'ok', 'dnsmasq host and options written'), ev(0.2, 'bmc', 'ok', 'power on')];

test('trace: DHCP answered but no TFTP request came', () => {
  const d = diagnoseTrace(start, { now: T0 + 30_000, ...W });
  assert.equal(d?.code, 'boot.no_tftp_request');
  assert.match(d?.cause ?? '', /DHCP answered but no TFTP request came/);
});

test('trace: TFTP file not found names the file', () => {
  const d = diagnoseTrace([...start, ev(1, 'tftp', 'ok', 'grub.cfg-01-52-54-00-00-00-01'), ev(1.1, 'tftp', 'not_found', `${U}/deploy_kernel`)], { now: T0 + 30_000, ...W });
  assert.equal(d?.code, 'boot.tftp_file_not_found');
  assert.match(d?.cause ?? '', new RegExp(`TFTP file not found: ${U}/deploy_kernel`));
});

test('trace: kernel fetched, no lookup within N s; none yet inside the window', () => {
  const t = [...start, ev(1, 'tftp', 'ok', `${U}/deploy_kernel`), ev(1.2, 'tftp', 'ok', `${U}/deploy_ramdisk`)];
  assert.equal(diagnoseTrace(t, { now: T0 + 3000, ...W }), null);
  const d = diagnoseTrace(t, { now: T0 + 30_000, ...W });
  assert.equal(d?.code, 'agent.no_lookup');
  assert.match(d?.cause ?? '', /no lookup came within 28 s/);
  assert.match(d?.hint ?? '', /ipa-api-url/);
});

test('trace: lookup from a MAC no port has', () => {
  const d = diagnoseTrace([ev(0, 'lookup', 'rejected', 'lookup from a MAC no port has (52:54:00:00:00:01)', { node_uuid: null })], { now: T0 + 1000, ...W });
  assert.equal(d?.code, 'agent.lookup_rejected');
  assert.match(d?.cause ?? '', /no port has/);
});

test('trace: heartbeats stopped at step X; a later power on starts a new attempt', () => {
  const t = [...start, ev(1, 'tftp', 'ok', `${U}/deploy_kernel`), ev(2, 'lookup', 'ok', 'node'), ev(3, 'heartbeat', 'ok', 'wait call-back', { mac: null, step: 'deploy.write_image' })];
  const d = diagnoseTrace(t, { now: T0 + 20_000, ...W });
  assert.equal(d?.code, 'agent.no_heartbeat');
  assert.equal(d?.step, 'deploy.write_image');
  assert.match(d?.cause ?? '', /Heartbeats stopped at step deploy\.write_image/);
  assert.equal(diagnoseTrace(t, { now: T0 + 4000, ...W }), null, 'fresh heartbeats: nothing wrong');
  const again = [...t, ev(10, 'bmc', 'ok', 'power on')];
  assert.equal(diagnoseTrace(again, { now: T0 + 40_000, ...W })?.code, 'boot.no_tftp_request');
});

test('trace: a power on with the boot device on disk expects no network boot', () => {
  const t = [...start, ev(1, 'tftp', 'ok', `${U}/deploy_kernel`), ev(2, 'lookup', 'ok', 'node'), ev(3, 'heartbeat', 'ok', 'x', { mac: null }), ev(4, 'bmc', 'ok', 'boot device disk (persistent)'), ev(5, 'bmc', 'ok', 'power on')];
  assert.equal(diagnoseTrace(t, { now: T0 + 60_000, ...W }), null);
});

test('trace summary: one line per event, relative times', () => {
  const lines = summarizeTrace([...start, ev(1, 'tftp', 'ok', 'x', { bytes: 12, duration_ms: 3 })]);
  assert.equal(lines.length, 4);
  assert.equal(lines[0], '+0.000s bmc ok boot device pxe [52:54:00:00:00:01]');
  assert.equal(lines[3], '+1.000s tftp ok x [52:54:00:00:00:01] (12 B, 3 ms)');
});

test('a timeout with a trace gets the trace diagnosis', () => {
  const d = diagnose(`Timeout reached while waiting for callback for node ${U}`, { state: 'wait call-back', trace: start, now: T0 + 60_000, ...W });
  assert.equal(d.code, 'boot.no_tftp_request');
});
