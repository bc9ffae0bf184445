/**
 * Every failure explained (issue "explain every failure"): one `anvil server` (SQLite, ipmi + pxe + direct, the
 * dnsmasq DHCP provider writing its files, 30 s callback timeouts, 8 rows at a time) and a table of failures injected through real
 * parts — ipmi_sim BMCs with a wrong password or gone, image servers that 404 or never answer, simulated machines
 * that PXE-boot the wrong firmware, cannot reach the API, lose power mid-deploy, or run a clean step their agent
 * lacks, an agent whose MAC no port has, a conductor that died holding a lock. Each row checks its diagnosis code,
 * hint and step through `GET /v1/anvil/nodes/{node}/why`, and that `anvil why` prints them (text and -f json). The
 * server and helpers are in world.ts, the rows in rows.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { missingIpmiSim, missingIpmitool } from 'ipmi-lan-ts/testing';
import { why } from '../../cli/src/commands/why.ts';
import { anvilServerMissing } from '../ipmi/anvil-server.ts';
import { startSim, until, waitState } from '../deploy/fixtures.ts';
import { failWithout } from '../prereq.ts';
import { failureRows } from './rows.ts';
import { anvilWhyBinary, type Ctx, PAST_CALLBACK_MS, WhyWorld } from './world.ts';

failWithout(anvilServerMissing() ?? missingIpmitool() ?? missingIpmiSim());

describe('anvil why: a table of injected failures, each with its own diagnosis', { concurrency: 8 }, () => {
  const w = new WhyWorld();
  const ROWS = failureRows(w);
  const withEvent = new Set<string>();
  before(() => w.start());
  after(() => w.stop());


  test('the boot trace of a simulated PXE deploy shows every step in order', { timeout: 180_000 }, async (t) => {
    const c: Ctx = { t, name: 'why-trace', mac: '52:54:00:18:01:01' };
    const { bmc: b, uuid } = await w.available(c);
    startSim(t, b, c.mac, w.tftp(), { name: c.name });
    await w.verb(c.name, 'active');
    await waitState(w.api, c.name, 'active', PAST_CALLBACK_MS);
    const r = await fetch(`${w.anvil.url}/v1/anvil/nodes/${c.name}/boot-trace`);
    assert.equal(r.status, 200);
    const { events, lines, diagnosis } = (await r.json()) as { events: { kind: string; result: string; detail: string; step?: string }[]; lines: string[]; diagnosis: unknown };
    const hy = c.mac.replace(/:/g, '-');
    const want: [string, RegExp][] = [
      ['dhcp', /dnsmasq host and options written/],
      ['bmc', /^boot device pxe$/],
      ['bmc', /^(power on|reboot)$/],
      ['tftp', new RegExp(`^grub\\.cfg-01-${hy}$`)],
      ['tftp', new RegExp(`^${uuid}/deploy_kernel$`)],
      ['tftp', new RegExp(`^${uuid}/deploy_ramdisk$`)],
      ['lookup', new RegExp(`^node ${uuid}`)],
      ['heartbeat', /wait call-back/],
      ['bmc', /^boot device disk \(persistent\)$/],
      ['bmc', /^(power on|reboot)$/],
    ];
    let at = 0;
    for (const [kind, detail] of want) {
      const found = events.findIndex((e, i) => i >= at && e.kind === kind && e.result === 'ok' && detail.test(e.detail));
      assert.ok(found >= 0, `${kind} ${detail} after event ${at}:\n${lines.join('\n')}`);
      at = found + 1;
    }
    assert.ok(events.some((e) => e.kind === 'heartbeat' && e.step === 'deploy.write_image'), 'a heartbeat names the running step');
    // (a heartbeat already in flight when the deploy ends may be refused: the token is gone by then)
    assert.equal(events.filter((e) => e.kind !== 'heartbeat' && e.result !== 'ok').length, 0, lines.join('\n'));
    assert.equal(diagnosis, null, 'nothing wrong in a good deploy');
    const text = (await why([c.name, '--endpoint', w.anvil.url])).out;
    assert.match(text, /boot trace \(\d+ events\)/);
    assert.match(text, /tftp ok grub\.cfg-01-/);
  });

  after(() => {
    // checked once every row ran: the failures that moved the node were streamed with their diagnosis
    assert.ok(withEvent.size >= 10, `rows whose diagnosis came with a node event: ${[...withEvent].join(', ')}`);
  });

  let i = 0;
  for (const row of ROWS) {
    const n = ++i;
    test(`${row.code}: ${row.name}`, { timeout: 180_000 }, async (t) => {
      const c: Ctx = { t, name: `why-${n}`, mac: `52:54:00:18:00:${n.toString(16).padStart(2, '0')}` };
      const ident = await row.run(c);
      const where = row.where ?? 'last_failure';
      // the JSON form: the code, cause, hint and step
      const json = await until(
        `diagnosis ${row.code} of ${ident}`,
        async () => {
          const r = await why([ident, '-f', 'json', '--endpoint', w.anvil.url]);
          assert.equal(r.code, 0, r.err);
          const body = JSON.parse(r.out);
          const d = where === 'mac' ? body.diagnosis : where === 'current' ? body.current : body.last_failure?.diagnosis;
          return d?.code === row.code ? { body, d } : undefined;
        },
        30_000,
        async () => (await why([ident, '--endpoint', w.anvil.url])).out,
      );
      assert.match(json.d.cause, row.cause);
      assert.match(json.d.hint, row.hint);
      if (row.step) assert.match(json.d.step ?? '', row.step);
      assert.ok(!json.d.cause.includes('\n'));
      // the text form prints the code, cause and hint (the first row through the real `anvil why` binary)
      const text = n === 1 ? await anvilWhyBinary(ident, w.anvil.url) : (await why([ident, '--endpoint', w.anvil.url])).out;
      assert.ok(text.includes(row.code), text);
      assert.ok(text.includes(json.d.hint), text);
      if (where === 'last_failure') {
        // recorded beside last_error, with Ironic's last_error untouched
        const node = (await w.api('GET', `/nodes/${ident}`)).body;
        assert.equal(json.body.last_failure.last_error, node.last_error);
        const recorded = (await w.db.diagnoses.list(node.uuid)).filter((d) => d.last_error === node.last_error).at(-1);
        assert.equal(recorded?.code, row.code);
        // every ERROR entry of the node history carries a diagnosis
        const history = (await (await fetch(`${w.anvil.url}/v1/anvil/nodes/${node.uuid}/history`)).json()) as { history: { severity: string; event: string; diagnosis: { code: string } | null }[] };
        for (const h of history.history.filter((e) => e.severity === 'ERROR')) assert.ok(h.diagnosis && h.diagnosis.code !== 'unclassified', `history entry "${h.event}" has a diagnosis`);
        // node events that carried this last_error carried its diagnosis
        for (const e of w.streamed.filter((x) => x.uuid === node.uuid && x.last_error === node.last_error)) {
          assert.equal(e.diagnosis?.code, row.code, JSON.stringify(e));
          withEvent.add(row.name);
        }
      }
    });
  }
});

