import { request, Agent } from 'undici';
import { startEmulator } from './test/redfish/emulator.ts';
import { RedfishClient } from 'redfish-ts';
import { RedfishPower, closeAll } from '@anvil/plugin-redfish';
import { makeTask } from './test/redfish/task.ts';
const p = await startEmulator({ powerDelay: 0, systems: [{ uuid: '11111111-1111-4111-8111-111111111111', name: 'node-a', mac: '52:54:00:aa:00:01' }] });
const path = '/redfish/v1/Systems/11111111-1111-4111-8111-111111111111';
const N = 300;
const res: Record<string, number[]> = {};
const time = async (name: string, fn: () => Promise<unknown>) => { const t = performance.now(); for (let i = 0; i < N; i++) await fn(); (res[name] ??= []).push((performance.now() - t) / N); };
const c = new RedfishClient({ address: p.url });
const ag = new Agent();
const ag2 = new Agent({ connect: { rejectUnauthorized: true, timeout: 30000 }, headersTimeout: 60000, bodyTimeout: 60000, keepAliveTimeout: 30000 });
const power = new RedfishPower();
const task = makeTask({ redfish_address: p.url, redfish_system_id: path });
for (let r = 0; r < 3; r++) {
  await time('undici default agent', async () => (await request(p.url + path, { dispatcher: ag })).body.text());
  await time('undici our agent opts', async () => (await request(p.url + path, { dispatcher: ag2 })).body.text());
  await time('RedfishClient.get', () => c.get(path));
  await time('RedfishPower.getPowerState', () => power.getPowerState(task));
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(30), v.map((x) => x.toFixed(2)).join(' '), 'ms');
await c.close(); await ag.close(); await ag2.close(); await closeAll(); await p.stop();
