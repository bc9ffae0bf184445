/**
 * GET one node from kept answers (node-show-cache.ts) is byte for byte what the Koa app answers, and every change
 * is seen by the next GET: two servers on one database — one with createHandler (the cache), one with the bare Koa
 * app (the truth) — asked the same requests at every microversion / fields / identifier form, before and after
 * writes by the API, by the conductor, by another connection, and a change of the serving conductor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { DEFAULT_SETTINGS, type Settings } from '@anvil/sdk';
import { reopen, testEngines } from '@anvil/db/testing';
import { createRegistry } from '@anvil/registry';
import { createLogger } from '@anvil/conductor';
import { startTestConductor } from '@anvil/conductor/testing';
import { createApp, createHandler } from './app.ts';
import { listen } from './server.ts';

interface Answer {
  status: number;
  /** "Name: value" in the order sent; request ids as ID, Date dropped */
  headers: string[];
  ids: string[];
  body: string;
}

function get(base: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: string[] = [];
        const ids: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const [name, value] = [res.rawHeaders[i], res.rawHeaders[i + 1]];
          if (name.toLowerCase() === 'date') continue;
          const isId = /^(x-)?openstack-request-id$/i.test(name);
          if (isId) ids.push(value);
          out.push(`${name}: ${isId ? 'ID' : value}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: out, ids, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const VERSIONS = [null, '1.5', '1.37', '1.46', '1.49', '1.52', 'latest'];
const FIELDS = [undefined, 'uuid,name,extra,traits', 'conductor,allocation_uuid,provision_state,extra,chassis_uuid'];

test('GET one node: kept answers equal the Koa app\'s, and the next GET after any change sees it', { timeout: 120_000 }, async () => {
  const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
  const t = await sqlite.open();
  // no heartbeat or power sync write during a round (each write drops every kept answer; the bound below allows some)
  const tc = await startTestConductor(t.db, { heartbeat_interval: 60, heartbeat_timeout: 600, sync_power_state_interval: 3600 });
  const settings = { ...DEFAULT_SETTINGS, ...t.settings, port: 0, hostname: tc.settings.hostname, public_url: 'http://anvil.test:6385' } as Settings;
  let owner: string | null = tc.settings.hostname;
  const deps = {
    settings,
    db: t.db,
    registry: await createRegistry(settings, { warn: () => {} }),
    conductor: tc.rpcapi,
    conductorForNode: () => owner,
    log: createLogger({ component: 'api' }, 'error'),
  };
  const handler = createHandler(deps);
  assert.ok(handler.showCache.enabled, 'noauth on SQLite keeps answers');
  const cached = await listen(createServer(handler), 0, '127.0.0.1');
  const truth = await listen(createServer(createApp(deps).callback()), 0, '127.0.0.1');
  const other = await reopen(t);
  try {
    const send = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(cached.url + path, {
        method,
        headers: { 'X-OpenStack-Ironic-API-Version': 'latest', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const chassis = await send('POST', '/v1/chassis', { description: 'rack 1' });
    const node = await send('POST', '/v1/nodes', { name: 'show-0', driver: 'fake-hardware', chassis_uuid: chassis.uuid, extra: { n: 0 } });
    await send('PUT', `/v1/nodes/${node.uuid}/traits`, { traits: ['CUSTOM_A'] });

    const paths: { path: string; version: string | null }[] = [];
    for (const ident of [node.uuid, 'show-0'])
      for (const version of VERSIONS)
        for (const fields of FIELDS) paths.push({ path: `/v1/nodes/${ident}${fields ? `?fields=${fields}` : ''}`, version });
    paths.push({ path: `/nodes/${node.uuid}`, version: '1.46' }, { path: `/v1/nodes/${node.uuid}.json`, version: '1.46' });

    /** Every request to both servers; the cached one twice (the second from a kept answer when it was a 200). */
    const round = async (label: string) => {
      const hits = handler.showCache.hits;
      let ok200 = 0;
      for (const { path, version } of paths) {
        const h: Record<string, string> = version ? { 'X-OpenStack-Ironic-API-Version': version } : {};
        const want = await get(truth.url, path, h);
        for (const n of [1, 2]) {
          const got = await get(cached.url, path, h);
          const what = `${label}: ${path} at ${version ?? 'no version'} (request ${n})`;
          assert.equal(got.status, want.status, what);
          assert.equal(got.body, want.body, what);
          assert.deepEqual(got.headers, want.headers, what);
          assert.equal(got.ids.length, 2, what);
          assert.match(got.ids[0], /^req-[0-9a-f-]{36}$/, what);
          assert.equal(got.ids[0], got.ids[1], what);
        }
        if (want.status !== 200) continue;
        ok200++;
        const etag = want.headers.find((l) => l.startsWith('ETag: '))!.slice(6);
        const want304 = await get(truth.url, path, { ...h, 'If-None-Match': etag });
        const got304 = await get(cached.url, path, { ...h, 'If-None-Match': `"x", ${etag}` });
        assert.equal(want304.status, 304);
        assert.equal(got304.status, 304);
        assert.deepEqual(got304.headers, want304.headers, `${label}: ${path} If-None-Match`);
        assert.equal(got304.body, '');
      }
      // the second request and the If-None-Match one of each 200 come from kept answers, but for those a periodic
      // write in between dropped (two per write at most), so at least half of them
      assert.ok(handler.showCache.hits - hits >= ok200, `${label}: ${handler.showCache.hits - hits} kept answers served for ${ok200} × 2`);
      return ok200;
    };
    const shown = async (version = 'latest') => JSON.parse((await get(cached.url, `/v1/nodes/${node.uuid}`, { 'X-OpenStack-Ironic-API-Version': version })).body);

    assert.equal(await round('created'), 29, 'the 200s: 2 identifiers × 7 versions × 3 field sets less the refused (name before 1.5, traits before 1.37, conductor before 1.49), + 2 path forms');
    await send('PATCH', `/v1/nodes/${node.uuid}`, [{ op: 'replace', path: '/extra/n', value: 1 }]);
    assert.deepEqual((await shown()).extra, { n: 1 }, 'a PATCH by the API');
    await round('after PATCH');
    await send('PUT', `/v1/nodes/${node.uuid}/traits/CUSTOM_B`);
    assert.deepEqual((await shown()).traits, ['CUSTOM_A', 'CUSTOM_B'], 'a trait added');
    await round('after trait');
    await send('PUT', `/v1/nodes/${node.uuid}/states/provision`, { target: 'manage' });
    await tc.waitFor(node.uuid, (n) => n.provision_state === 'manageable' && !n.reservation);
    assert.equal((await shown()).provision_state, 'manageable', 'the conductor moved the node');
    await round('after manage');
    await other.nodes.update(node.uuid, { extra: { n: 2 } });
    assert.deepEqual((await shown()).extra, { n: 2 }, "another connection's commit");
    await round('after another connection');
    owner = 'another-conductor';
    assert.equal((await shown()).conductor, 'another-conductor', 'the serving conductor changed (no database write)');
    assert.equal((await shown('1.46')).conductor, undefined);
    await round('after conductor change');
    await send('DELETE', `/v1/nodes/${node.uuid}`);
    assert.equal(await round('after DELETE'), 0, 'every answer a 404 now');
  } finally {
    await other.close();
    await cached.close();
    await truth.close();
    await tc.stop();
    await t.cleanup();
  }
});

test('nothing is kept under http_basic or keystone, nor on MariaDB (no change stamp)', async () => {
  const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;
  const t = await sqlite.open();
  try {
    const settings = { ...DEFAULT_SETTINGS, ...t.settings, auth_strategy: 'keystone' } as Settings;
    const registry = await createRegistry(settings, { warn: () => {} });
    const log = createLogger({ component: 'api' }, 'error');
    assert.equal(createHandler({ settings, db: t.db, registry, log }).showCache.enabled, false);
    const noStamp = { ...t.db, changeStamp: () => null };
    assert.equal(createHandler({ settings: { ...settings, auth_strategy: 'noauth' }, db: noStamp, registry, log }).showCache.enabled, false);
  } finally {
    await t.cleanup();
  }
});
