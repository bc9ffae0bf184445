/**
 * The migration list, in code (no filesystem scan, no build step): a knex MigrationSource over these modules.
 * Add a migration by writing NNN_name.ts with up/down and appending it here; never edit a released one.
 */
import type { Knex } from 'knex';
import * as m001 from './001_chassis_nodes.ts';
import * as m002 from './002_ports_portgroups_traits.ts';
import * as m003 from './003_conductors.ts';
import * as m004 from './004_allocations_templates.ts';
import * as m005 from './005_node_details.ts';
import * as m006 from './006_anvil_why.ts';
import * as m007 from './007_compute.ts';
import * as m008 from './008_api_1_115.ts';
import * as m009 from './009_runbooks.ts';
import * as m010 from './010_inspection_rules.ts';
import * as m011 from './011_firmware.ts';
import * as m012 from './012_servicing_history.ts';
import * as m013 from './013_inspector.ts';
import * as m014 from './014_bmc_incidents.ts';

interface Migration {
  up(k: Knex): Promise<void>;
  down(k: Knex): Promise<void>;
}

export const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['001_chassis_nodes', m001],
  ['002_ports_portgroups_traits', m002],
  ['003_conductors', m003],
  ['004_allocations_templates', m004],
  ['005_node_details', m005],
  ['006_anvil_why', m006],
  ['007_compute', m007],
  ['008_api_1_115', m008],
  ['009_runbooks', m009],
  ['010_inspection_rules', m010],
  ['011_firmware', m011],
  ['012_servicing_history', m012],
  ['013_inspector', m013],
  ['014_bmc_incidents', m014],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => MIGRATIONS.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};

export const MIGRATION_TABLE = 'anvil_migrations';
