/** openDatabase(): chooses the engine from settings, opens knex, migrates, builds the repositories. */
import type { Database, DbSettings, OpenOptions } from './types.ts';

export async function openDatabase(_settings: DbSettings, _opts: OpenOptions = {}): Promise<Database> {
  throw new Error('@anvil/db: openDatabase is being implemented');
}
