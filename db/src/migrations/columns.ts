/** Column helpers shared by migrations, so every table gets the same id/uuid/timestamp/JSON shapes on both engines. */
import type { Knex } from 'knex';
import { engineOf } from '../dialect/dialect.ts';
import { mysqlTableDefaults } from '../dialect/mysql.ts';
import { uniqueIndexName } from '../errors.ts';

/** JSON stored as text (LONGTEXT on MySQL: instance_info may carry a config drive). */
export function json(t: Knex.CreateTableBuilder, name: string): void {
  t.text(name, 'longtext').nullable();
}

export function timestamps(t: Knex.CreateTableBuilder): void {
  t.datetime('created_at', { precision: 0 }).notNullable();
  t.datetime('updated_at', { precision: 0 }).nullable();
}

/** Integer autoincrement id and unique uuid. */
export function ids(t: Knex.CreateTableBuilder, table: string): void {
  t.increments('id').primary();
  t.string('uuid', 36).notNullable();
  t.unique(['uuid'], { indexName: uniqueIndexName(table, ['uuid']) });
}

export function unique(t: Knex.CreateTableBuilder, table: string, columns: string[]): void {
  t.unique(columns, { indexName: uniqueIndexName(table, columns) });
}

/** An integer foreign key to <table>.id. */
export function ref(t: Knex.CreateTableBuilder, name: string, table: string, nullable = false): void {
  const c = t.integer(name).unsigned();
  if (nullable) c.nullable();
  else c.notNullable();
  t.foreign(name).references('id').inTable(table);
}

/** createTable with the engine's table defaults applied. */
export function create(k: Knex, table: string, build: (t: Knex.CreateTableBuilder) => void): Knex.SchemaBuilder {
  return k.schema.createTable(table, (t) => {
    if (engineOf(k) === 'mysql') mysqlTableDefaults(t);
    build(t);
  });
}
