import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootModeOf, capability } from './boot-mode.ts';
import { COMMON_PROPERTIES, parseDriverInfo } from './driver-info.ts';
import { parseRawBytes } from './vendor.ts';

test('driver_info: defaults like Ironic', () => {
  const i = parseDriverInfo({ ipmi_address: '10.0.0.5' });
  assert.equal(i.port, 623);
  assert.equal(i.username, '');
  assert.equal(i.privLevel, 'ADMINISTRATOR');
  assert.equal(i.cipherSuite, 'auto');
  assert.equal(i.forceBootDevice, false);
  assert.equal(i.disableBootTimeout, true);
});

test('driver_info: every documented key is parsed', () => {
  const i = parseDriverInfo({
    ipmi_address: 'bmc-1.example',
    ipmi_port: '6230',
    ipmi_username: 'admin',
    ipmi_password: 'secret',
    ipmi_priv_level: 'operator',
    ipmi_cipher_suite: '17',
    ipmi_force_boot_device: 'True',
    ipmi_disable_boot_timeout: 'false',
    ipmi_hex_kg_key: '0a0b',
    ipmi_bridging: 'no',
    ipmi_protocol_version: '2.0',
  });
  assert.deepEqual(
    { ...i },
    { address: 'bmc-1.example', port: 6230, username: 'admin', password: 'secret', kg: '0a0b', privLevel: 'OPERATOR', cipherSuite: 17, forceBootDevice: true, disableBootTimeout: false },
  );
  for (const k of ['ipmi_address', 'ipmi_port', 'ipmi_username', 'ipmi_password', 'ipmi_priv_level', 'ipmi_cipher_suite', 'ipmi_bridging', 'ipmi_protocol_version', 'ipmi_force_boot_device', 'ipmi_hex_kg_key']) {
    assert.ok(COMMON_PROPERTIES[k], `${k} is documented`);
  }
  assert.match(COMMON_PROPERTIES.ipmi_address, /Required\.$/);
  assert.match(COMMON_PROPERTIES.ipmi_password, /Optional\.$/);
});

test('driver_info: missing and invalid values raise Ironic\'s errors', () => {
  assert.throws(() => parseDriverInfo({}), { code: 'MissingParameterValue', message: /ipmi_address/ });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ipmi_port: 'x' }, /ipmi_port/],
    [{ ipmi_port: 70000 }, /ipmi_port/],
    [{ ipmi_priv_level: 'root' }, /privilege level/],
    [{ ipmi_cipher_suite: 5 }, /Cipher suite 5/],
    [{ ipmi_cipher_suite: 'abc' }, /cipher suite/i],
    [{ ipmi_bridging: 'maybe' }, /ipmi_bridging/],
    [{ ipmi_bridging: 'single' }, /not supported/],
    [{ ipmi_protocol_version: '3.0' }, /protocol version/],
    [{ ipmi_protocol_version: '1.5' }, /not supported/],
    [{ ipmi_force_boot_device: 'perhaps' }, /boolean/],
    [{ ipmi_hex_kg_key: 'xyz' }, /hexadecimal/],
    [{ ipmi_password: 'p'.repeat(21) }, /20 bytes/],
  ];
  for (const [extra, msg] of bad) {
    assert.throws(() => parseDriverInfo({ ipmi_address: '10.0.0.5', ...extra }), { code: 'InvalidParameterValue', message: msg }, JSON.stringify(extra));
  }
  // the password never shows up in a validation message
  try {
    parseDriverInfo({ ipmi_address: '10.0.0.5', ipmi_password: 'hunter2hunter2hunter2x' });
  } catch (e) {
    assert.doesNotMatch((e as Error).message, /hunter2/);
  }
});

test('boot mode: instance_info, then capabilities, then node.boot_mode, then the default', () => {
  const node = (ii: object, caps: unknown, bm: string | null = null) => ({ instance_info: ii, properties: { capabilities: caps }, boot_mode: bm }) as never;
  assert.equal(bootModeOf(node({}, undefined), 'uefi'), 'uefi');
  assert.equal(bootModeOf(node({}, undefined), 'bios'), 'bios');
  assert.equal(bootModeOf(node({}, 'boot_mode:bios,cpu_vt:true'), 'uefi'), 'bios');
  assert.equal(bootModeOf(node({ deploy_boot_mode: 'uefi' }, 'boot_mode:bios'), 'bios'), 'uefi');
  assert.equal(bootModeOf(node({}, { boot_mode: 'bios' }), 'uefi'), 'bios');
  assert.equal(bootModeOf(node({}, undefined, 'bios'), 'uefi'), 'bios');
  assert.equal(bootModeOf(node({ capabilities: { secure_boot: 'true' } }, 'boot_mode:bios'), 'bios'), 'uefi');
  assert.equal(capability('a:b, c:d', 'c'), 'd');
});

test('send_raw bytes', () => {
  assert.deepEqual(parseRawBytes('0x06 0x01'), [6, 1]);
  assert.deepEqual(parseRawBytes('0x00 0x08 0x03 0x08'), [0, 8, 3, 8]);
  assert.throws(() => parseRawBytes('0x06'), { code: 'InvalidParameterValue' });
  assert.throws(() => parseRawBytes('zz 01'), { code: 'InvalidParameterValue' });
});
