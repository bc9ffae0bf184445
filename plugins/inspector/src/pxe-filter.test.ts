/** The dnsmasq PXE filter's file plan (pure): allow/deny lines, the unknown-hosts wildcard, only changed files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planPxeFilter, UNKNOWN_HOSTS_FILE } from './pxe-filter.ts';

const base = { knownMacs: ['52:54:00:00:00:01', '52:54:00:00:00:02'], activeMacs: [] as string[], current: {}, autoDiscovery: false, denyUnknownMacs: false };

test('nothing inspected: every known MAC and unknown hosts denied', () => {
  assert.deepEqual(planPxeFilter(base), {
    '52:54:00:00:00:01': '52:54:00:00:00:01,ignore\n',
    '52:54:00:00:00:02': '52:54:00:00:00:02,ignore\n',
    [UNKNOWN_HOSTS_FILE]: '*:*:*:*:*:*,ignore\n',
  });
});

test('inspecting: its MACs (any case) allowed, others denied, unknown hosts allowed unless deny_unknown_macs', () => {
  const plan = planPxeFilter({ ...base, activeMacs: ['52:54:00:00:00:02'.toUpperCase()] });
  assert.equal(plan['52:54:00:00:00:02'], '52:54:00:00:00:02\n');
  assert.equal(plan['52:54:00:00:00:01'], '52:54:00:00:00:01,ignore\n');
  assert.equal(plan[UNKNOWN_HOSTS_FILE], '*:*:*:*:*:*\n');
  assert.equal(planPxeFilter({ ...base, activeMacs: ['52:54:00:00:00:02'], denyUnknownMacs: true })[UNKNOWN_HOSTS_FILE], '*:*:*:*:*:*,ignore\n');
  assert.equal(planPxeFilter({ ...base, autoDiscovery: true })[UNKNOWN_HOSTS_FILE], '*:*:*:*:*:*\n');
});

test('only changed files are written; a removed port is an unknown host; nothing is deleted', () => {
  const current = { '52:54:00:00:00:01': '52:54:00:00:00:01,ignore\n', '52:54:00:00:00:09': '52:54:00:00:00:09,ignore\n', [UNKNOWN_HOSTS_FILE]: '*:*:*:*:*:*,ignore\n' };
  assert.deepEqual(planPxeFilter({ ...base, current }), { '52:54:00:00:00:02': '52:54:00:00:00:02,ignore\n' });
  assert.deepEqual(planPxeFilter({ ...base, current, autoDiscovery: true }), {
    '52:54:00:00:00:02': '52:54:00:00:00:02,ignore\n',
    '52:54:00:00:00:09': '52:54:00:00:00:09\n',
    [UNKNOWN_HOSTS_FILE]: '*:*:*:*:*:*\n',
  });
});
