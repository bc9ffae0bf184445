/**
 * Differential replay: every contract row (test/contract/cases.ts, below and at its boundary), every bad-input case
 * (test/bad-input/cases.ts) and a scripted lifecycle (lifecycle.ts) are sent to Anvil AND to Debian's real Ironic
 * 21.4 (a private instance from scripts/services/real-ironic.sh), each with the same fixture built through its API
 * plus a database backdoor. Status codes and normalised bodies (normalise.ts) must be equal, except for the
 * differences listed in deliberate.ts; the expected answers are the real server's.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { after, before, test } from 'node:test';
import { setupBadInput } from '../bad-input/fixture.ts';
import { buildWorld, callApi } from '../contract/fixture.ts';
import { ANY, DELIBERATE, type Deliberate, glob } from './deliberate.ts';
import { type Answer, type Difference, diffAnswers, Normaliser } from './normalise.ts';
import { type Peer, startAnvilPeer, startIronicPeer } from './peers.ts';
import { badInputSteps, contractSteps, lifecycleSteps, type Step } from './steps.ts';

const STEPS: Step[] = [...contractSteps(), ...badInputSteps(), ...lifecycleSteps()];

async function replay(peer: Peer): Promise<Answer[]> {
  const w = await buildWorld(peer.url, peer.db, 'r');
  const bad = await setupBadInput((m, p, b) => callApi(peer.url, m, p, b), peer.db);
  const state: Record<string, string> = {};
  const answers: Answer[] = [];
  for (const s of STEPS) {
    let r: { status: number; body: unknown };
    try {
      const sent = await s.send(w, bad, state);
      r = await callApi(peer.url, sent.method, sent.path, sent.body, sent.version);
    } catch (e) {
      r = { status: -1, body: `not sent: ${e instanceof Error ? e.message : e}` };
    }
    answers.push({ status: r.status, body: r.body });
    await s.after?.(w, state, r as { status: number; body: any }).catch((e) => answers.push({ status: -2, body: `after: ${e.message}` }));
  }
  return answers;
}

let anvil: Peer;
let ironic: Peer;
before(async () => {
  [ironic, anvil] = await Promise.all([startIronicPeer(), startAnvilPeer()]);
});
after(async () => {
  await Promise.all([anvil?.close(), ironic?.close()]);
});

test('differential replay: Anvil answers as real Ironic 21.4 does, but for the listed deliberate differences', { timeout: 600_000 }, async (t) => {
  const [theirs, ours] = await Promise.all([replay(ironic), replay(anvil)]);
  assert.equal(ours.length, theirs.length, 'both replays ran every step');
  const nI = new Normaliser(ironic.url);
  const nA = new Normaliser(anvil.url);
  const found: (Difference & { key: string })[] = [];
  STEPS.forEach((s, i) => {
    for (const d of diffAnswers(nI.answer(theirs[i], i), nA.answer(ours[i], i))) found.push({ key: s.key, ...d });
  });
  const same = (want: unknown, got: unknown) => want === ANY || isDeepStrictEqual(want, got);
  const covers = (e: Deliberate, d: Difference & { key: string }) => glob(e.key, d.key) && glob(e.at, d.at) && same(e.ironic, d.ironic) && same(e.anvil, d.anvil);
  const unexpected = found.filter((d) => !DELIBERATE.some((e) => covers(e, d)));
  const stale = DELIBERATE.filter((e) => !found.some((d) => covers(e, d)));
  t.diagnostic(`replayed ${STEPS.length} requests on each server (${contractSteps().length} contract, ${badInputSteps().length} bad-input, ${lifecycleSteps().length} lifecycle)`);
  t.diagnostic(`deliberate differences: ${DELIBERATE.length} entries in test/differential/deliberate.ts, covering ${found.length - unexpected.length} differences`);
  for (const e of DELIBERATE) {
    const n = found.filter((d) => covers(e, d)).length;
    t.diagnostic(`  [${n}] ${e.key} ${e.at}: Ironic ${JSON.stringify(e.ironic)} / Anvil ${JSON.stringify(e.anvil)} — ${e.why}`);
  }
  for (const e of stale) t.diagnostic(`no longer seen (remove from deliberate.ts): ${e.key} ${e.at}`);
  if (process.env.ANVIL_REPLAY_DUMP) writeFileSync(process.env.ANVIL_REPLAY_DUMP, JSON.stringify({ unexpected, theirs, ours, keys: STEPS.map((s) => s.key) }, null, 1));
  for (const d of unexpected.slice(0, 60)) t.diagnostic(`UNEXPECTED ${d.key} ${d.at}: Ironic ${JSON.stringify(d.ironic)} / Anvil ${JSON.stringify(d.anvil)}`);
  assert.equal(unexpected.length, 0, `${unexpected.length} differences from real Ironic that deliberate.ts does not list`);
});
