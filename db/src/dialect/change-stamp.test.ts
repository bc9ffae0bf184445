import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines, reopen } from '../testing.ts';
import { mysqlDialect } from './mysql.ts';

const sqlite = testEngines().find((e) => e.engine === 'sqlite')!;

test('SQLite change stamp: still on reads, moves on every write of this process, on a rollback, on another connection\'s commit', async () => {
  const t = await sqlite.open();
  const other = await reopen(t); // a second connection on the same file, as another process would have
  try {
    const { db } = t;
    const node = await db.nodes.create({ driver: 'fake-hardware', name: 'stamp-0' });
    const s0 = db.changeStamp();
    assert.equal(typeof s0, 'number');
    await db.nodes.getByUuid(node.uuid, { withTraits: true });
    await db.nodes.list({});
    assert.equal(db.changeStamp(), s0, 'reads leave the stamp alone');

    await db.nodes.update(node.uuid, { extra: { a: 1 } });
    const s1 = db.changeStamp();
    assert.notEqual(s1, s0, 'an UPDATE by this process');
    await db.traits.set(node.id, ['CUSTOM_A']);
    const s2 = db.changeStamp();
    assert.notEqual(s2, s1, 'a write to another table');

    await assert.rejects(
      db.transaction(async (tx) => {
        assert.equal(tx.changeStamp(), null, 'a transaction handle never gives a stamp');
        await tx.nodes.update(node.uuid, { extra: { b: 2 } });
        throw new Error('roll back');
      }),
      /roll back/,
    );
    const s3 = db.changeStamp();
    assert.notEqual(s3, s2, 'a rolled-back transaction moves the stamp too (its uncommitted rows were readable)');
    assert.deepEqual((await db.nodes.getByUuid(node.uuid)).extra, { a: 1 });

    assert.equal(db.changeStamp(), s3);
    await other.nodes.update(node.uuid, { extra: { c: 3 } });
    const s4 = db.changeStamp();
    assert.notEqual(s4, s3, "another connection's commit (PRAGMA data_version)");
    assert.equal(db.changeStamp(), s4, 'and then still again');
  } finally {
    await other.close();
    await t.cleanup();
  }
  assert.equal(t.db.changeStamp(), null, 'a closed database gives no stamp');
});

test('MariaDB/MySQL never gives a change stamp (other processes write the same server)', () => {
  assert.equal(mysqlDialect('mysql://u:p@127.0.0.1:3306/anvil').changeStamp(), null);
});
