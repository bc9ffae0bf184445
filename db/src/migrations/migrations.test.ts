import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../connect.ts';
import { type TestDatabase, testEngines } from '../testing.ts';
import { MIGRATION_TABLE, MIGRATIONS } from './index.ts';

const TABLES = [
  'nodes', 'ports', 'portgroups', 'chassis', 'node_traits', 'conductors', 'conductor_hardware_interfaces', 'allocations',
  'deploy_templates', 'deploy_template_steps', 'runbooks', 'runbook_steps', 'runbook_traits', 'firmware_information', 'node_history', 'volume_connectors', 'volume_targets', 'bios_settings', 'node_inventory', 'inspection_rules', 'inspector_rules', 'introspections',
];

for (const eng of testEngines()) {
  describe(`migrations [${eng.engine}]`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await eng.open();
    });
    after(async () => {
      await t?.cleanup();
    });

    test('creates every table and records each migration once', async () => {
      for (const table of TABLES) assert.equal(await t.db.knex.schema.hasTable(table), true, table);
      const rows = await t.db.knex(MIGRATION_TABLE).select('name').orderBy('id');
      assert.deepEqual(rows.map((r: { name: string }) => r.name), MIGRATIONS.map(([n]) => n));
    });

    test('running migrations again (and from a second handle) changes nothing', async () => {
      const n = await t.db.nodes.create({ driver: 'fake-hardware', name: 'keep-me' });
      await t.db.migrate();
      const again = await openDatabase(t.settings);
      try {
        await again.migrate();
        assert.equal((await again.nodes.getByUuid(n.uuid)).name, 'keep-me');
      } finally {
        await again.close();
      }
      const rows = await t.db.knex(MIGRATION_TABLE).count({ c: '*' }).first();
      assert.equal(Number(rows?.c), MIGRATIONS.length);
    });

    test('processes starting together on an empty database all migrate successfully', async () => {
      const fresh = await eng.open({ migrate: false });
      try {
        const handles = await Promise.all([0, 1, 2, 3, 4, 5].map(() => openDatabase(fresh.settings)));
        for (const h of handles) assert.deepEqual((await h.migrationStatus()).pending, []);
        await Promise.all(handles.map((h) => h.close()));
        const rows = await fresh.db.knex(MIGRATION_TABLE).count({ c: '*' }).first();
        assert.equal(Number(rows?.c), MIGRATIONS.length);
        // knex inserts its lock row when it sees none: racing starts once left two, and no start could lock again
        assert.deepEqual(await fresh.db.knex(`${MIGRATION_TABLE}_lock`).select('is_locked'), [{ is_locked: 0 }]);
      } finally {
        await fresh.cleanup();
      }
    });

    test('a lock table left with two rows by an older racing start is repaired, and migrations run', async () => {
      const fresh = await eng.open({ migrate: false });
      try {
        const k = fresh.db.knex;
        await k.schema.createTable(`${MIGRATION_TABLE}_lock`, (tb) => {
          tb.increments('index').primary();
          tb.integer('is_locked');
        });
        await k(`${MIGRATION_TABLE}_lock`).insert([{ is_locked: 0 }, { is_locked: 0 }]);
        await fresh.db.migrate();
        assert.deepEqual((await fresh.db.migrationStatus()).pending, []);
        assert.equal((await k(`${MIGRATION_TABLE}_lock`).select('index')).length, 1);
      } finally {
        await fresh.cleanup();
      }
    });

    test('engine settings: foreign keys enforced', async () => {
      await assert.rejects(t.db.ports.create({ address: '52:54:00:00:00:99', node_id: 999999 }), { code: 'InvalidParameterValue' });
      assert.equal((await t.db.ports.list()).length, 0);
    });

    if (eng.engine === 'sqlite') {
      test('sqlite runs in WAL mode with foreign keys on', async () => {
        const mode = await t.db.knex.raw('PRAGMA journal_mode');
        assert.equal(mode[0].journal_mode, 'wal');
        const fk = await t.db.knex.raw('PRAGMA foreign_keys');
        assert.equal(fk[0].foreign_keys, 1);
      });
    }
  });
}

test('openDatabase with migrate:false on an empty database does not create tables', async () => {
  const eng = testEngines()[0];
  const t = await eng.open({ migrate: false });
  try {
    assert.equal(await t.db.knex.schema.hasTable('nodes'), false);
    await t.db.migrate();
    assert.equal(await t.db.knex.schema.hasTable('nodes'), true);
  } finally {
    await t.cleanup();
  }
});
