/// <reference lib="dom" />
/**
 * The dashboard in Debian's headless chromium (puppeteer-core; scripts/services/chromium.sh installs it) against a
 * live `anvil server` (fake-hardware): the node table loads, a node changes state live (an API call made outside the
 * page shows up in the open page without a reload, through /v1/anvil/events), filters narrow the table, the node
 * page's actions ask for confirmation and act, the conductors page lists the nodes; under http_basic the page asks
 * for credentials and works with them. Takes the screenshots shown in dashboard/README.md.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type AnvilServer, startServer } from '../anvil-server.ts';
import { failWithout } from '../prereq.ts';
import { sleep } from '../wait.ts';

const chromium = process.env.ANVIL_CHROMIUM;
failWithout(!chromium && 'ANVIL_CHROMIUM is not set (bash scripts/services/chromium.sh start; export its env)');

// The screenshots go under .tmp (a test run leaves the tree clean); ANVIL_TEST_SCREENSHOT_DIR=dashboard/docs refreshes
// the ones dashboard/README.md shows.
const DOCS = resolve(process.env.ANVIL_TEST_SCREENSHOT_DIR ?? new URL('../../.tmp/screenshots/', import.meta.url).pathname);
mkdirSync(DOCS, { recursive: true });
let anvil: AnvilServer;
let browser: Browser;
const pageErrors: string[] = [];

before(async () => {
  anvil = await startServer({ env: { ANVIL_CONFIG: '' } });
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});
after(async () => {
  await browser?.close();
  await anvil?.stop();
});

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 760 });
  page.on('dialog', (d) => d.accept()); // the confirmation of each action
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page;
}

const cellText = (page: Page, uuid: string, cls: string) =>
  page.$eval(`#nodes tr[data-uuid="${uuid}"] .${cls}`, (el) => el.textContent ?? '').catch(() => '');

test('node table, a live state change, filters, node page actions, conductors', { timeout: 120_000 }, async () => {
  const a = (await anvil.api('POST', '/nodes', { driver: 'fake-hardware', name: 'rack1-node0', owner: 'proj-a' }, 'latest')).body;
  const b = (await anvil.api('POST', '/nodes', { driver: 'fake-hardware', name: 'rack1-node1' }, 'latest')).body;
  assert.ok(a.uuid && b.uuid);
  const page = await openPage(`${anvil.url}/dashboard`);
  await page.waitForSelector(`#nodes tr[data-uuid="${b.uuid}"]`, { timeout: 20_000 });
  await page.waitForSelector('#live.on', { timeout: 20_000 });
  await page.evaluate(() => {
    (window as unknown as { marker: number }).marker = 1; // gone if the page reloads
  });
  assert.equal(await cellText(page, a.uuid, 'provision'), 'enroll');

  // changed outside the page: the open table follows the event stream
  const r = await anvil.api('PUT', `/nodes/${a.uuid}/states/provision`, { target: 'manage' }, 'latest');
  assert.equal(r.status, 202);
  await page.waitForFunction(
    (u) => document.querySelector(`#nodes tr[data-uuid="${u}"] .provision`)?.textContent === 'manageable',
    { timeout: 20_000 },
    a.uuid,
  );
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'no reload');
  await page.screenshot({ path: join(DOCS, 'nodes.png') });

  // filters are Ironic's query parameters
  await page.select('select[name=provision_state]', 'manageable');
  await page.waitForFunction(() => document.querySelectorAll('#nodes tbody tr').length === 1, { timeout: 10_000 });
  assert.equal(await page.$eval('#nodes tbody tr', (el) => (el as HTMLElement).dataset.uuid), a.uuid);
  await page.select('select[name=provision_state]', '');
  await page.waitForFunction(() => document.querySelectorAll('#nodes tbody tr').length === 2, { timeout: 10_000 });
  await page.type('input[name=owner]', 'proj-a');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('owner=proj-a') && document.querySelectorAll('#nodes tbody tr').length === 1, { timeout: 10_000 });

  // node page: provide (confirmed) → the state and the timeline follow live
  await page.goto(`${anvil.url}/dashboard/#/nodes/${a.uuid}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#actions button[data-verb=provide]', { timeout: 10_000 });
  await page.waitForSelector('#live.on', { timeout: 20_000 });
  assert.ok(await page.$('#why'), 'the explanation panel is shown');
  await page.click('#actions button[data-verb=provide]');
  await page.waitForFunction(() => document.getElementById('provision-state')?.textContent === 'available', { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#timeline li.tl-live').length > 0, { timeout: 10_000 });
  assert.equal((await anvil.api('GET', `/nodes/${a.uuid}`, undefined, 'latest')).body.provision_state, 'available');
  await page.screenshot({ path: join(DOCS, 'node.png'), fullPage: true });

  // an API refusal is shown as Ironic's message, not a stack
  await anvil.api('PUT', `/nodes/${b.uuid}/maintenance`, { reason: 'screenshot' }, 'latest');
  await page.goto(`${anvil.url}/dashboard/#/nodes/${b.uuid}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#actions button[data-verb=manage]', { timeout: 10_000 });
  await page.click('#actions button[data-verb=manage]');
  await page.waitForSelector('#action-result .notice', { timeout: 10_000 });

  // a failure explained: an ipmi node without ipmi_address fails verification (a real driver check)
  const c = (await anvil.api('POST', '/nodes', { driver: 'ipmi', name: 'rack1-node2', driver_info: { ipmi_username: 'admin' } }, 'latest')).body;
  await page.goto(`${anvil.url}/dashboard/#/nodes/${c.uuid}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#actions button[data-verb=manage]', { timeout: 10_000 });
  await page.waitForSelector('#live.on', { timeout: 20_000 });
  await page.click('#actions button[data-verb=manage]');
  await page.waitForSelector('#diagnosis', { timeout: 30_000 });
  const diagnosis = await page.$eval('#diagnosis', (el) => el.textContent ?? '');
  assert.match(diagnosis, /driver\.invalid_config/);
  assert.match(await page.$eval('#why .last-error', (el) => el.textContent ?? ''), /ipmi_address/);
  await page.screenshot({ path: join(DOCS, 'why.png'), fullPage: true });

  // conductors and their nodes
  await page.goto(`${anvil.url}/dashboard/#/conductors`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('section.conductor li a', { timeout: 10_000 });
  const names = await page.$$eval('section.conductor li a', (els) => els.map((e) => e.textContent));
  assert.deepEqual([...names].sort(), ['rack1-node0', 'rack1-node1', 'rack1-node2']);
  await page.close();
  assert.deepEqual(pageErrors, []);
});

test('http_basic: the page asks for credentials and uses them; the files themselves are public', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-dash-auth-'));
  writeFileSync(join(dir, 'htpasswd'), `admin:${bcrypt.hashSync('s3cret', 5)}\n`);
  const s = await startServer({ env: { ANVIL_CONFIG: '' }, driver: null, settings: { auth_strategy: 'http_basic', http_basic_auth_user_file: join(dir, 'htpasswd') } });
  try {
    for (let i = 0; i < 300 && (await fetch(`${s.url}/v1/drivers`).catch(() => null))?.status !== 401; i++) await sleep(100);
    assert.equal((await fetch(`${s.url}/v1/nodes`)).status, 401);
    assert.equal((await fetch(`${s.url}/dashboard/`)).status, 200);
    const page = await openPage(`${s.url}/dashboard/`);
    await page.waitForSelector('dialog#login[open]', { timeout: 20_000 }).catch((e) => {
      throw new Error(`${e}; page errors: ${pageErrors.join('; ')}`);
    });
    await page.type('input[name=user]', 'admin');
    await page.type('input[name=password]', 's3cret');
    await page.click('dialog#login button[type=submit]');
    await page.waitForSelector('#nodes', { timeout: 20_000 });
    await page.waitForSelector('#live.on', { timeout: 20_000 });
    await page.close();
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
