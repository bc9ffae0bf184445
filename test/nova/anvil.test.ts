/**
 * The bridge end to end against Anvil itself (`anvil server`, fake-hardware), with event-driven waits over
 * GET /v1/anvil/events: the same scenario as against real Ironic, plus VIF records and the event stream.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IronicDriver } from '@anvil/nova-bridge';
import { startAnvil } from './anvil-process.ts';
import { computeScenario } from './scenario.ts';


test('nova-bridge end to end against Anvil (events)', { timeout: 180_000 }, async (t) => {
  const anvil: Awaited<ReturnType<typeof startAnvil>> = await startAnvil();
  try {
    const probe = await IronicDriver.create({ endpoint: anvil.url });
    assert.equal(probe.waitMode, 'sse', 'Anvil serves the node event stream');
    await probe.close();
    await computeScenario(anvil.url, { recordsVifs: true, waitMode: 'sse', invalidImageFails: false }, (m) => t.diagnostic(m));
  } catch (err) {
    t.diagnostic(anvil.output().slice(-4000));
    throw err;
  } finally {
    await anvil.stop();
  }
});
