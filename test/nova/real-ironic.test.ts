/**
 * The bridge against Debian's REAL OpenStack Ironic (fake-hardware, noop network): proves it speaks the public
 * API exactly as Nova does. Needs NOVA_REAL_IRONIC_URL (scripts/services/real-ironic.sh provides it).
 */
import { test } from 'node:test';
import { computeScenario } from './scenario.ts';
import { failWithout } from '../prereq.ts';

const url = process.env.NOVA_REAL_IRONIC_URL;

failWithout(!url && 'NOVA_REAL_IRONIC_URL is not set (bash scripts/services/real-ironic.sh start; export its env)');

test('nova-bridge end to end against real Ironic (polling)', { timeout: 180_000 }, async (t) => {
  await computeScenario(url!, { recordsVifs: false, waitMode: 'auto', invalidImageFails: true }, (m) => t.diagnostic(m));
});
