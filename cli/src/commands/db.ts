/**
 * `anvil db migrate` — brings the database (embedded SQLite in --data-dir, or --database-url mysql://…) to the
 * latest schema. `anvil db status` — lists applied and pending migrations (-f table|json|yaml|value). Exit 0 on success, 1 on failure, 2 on usage.
 */
import { dialectFor, maskUrl, openDatabase } from '@anvil/db';
import { OUTPUT_USAGE, type OutputOptions, formatObject, splitOutputArgs } from '@anvil/sdk/output';
import { loadSettings, SETTINGS_HELP } from '../config.ts';

const USAGE = `usage: anvil db <migrate|status> [--database-url URL] [--data-dir DIR]

  migrate   create or upgrade every table (idempotent)
  status    show applied and pending migrations (-f json|yaml|value, -c: database, applied, pending)
${OUTPUT_USAGE}

${SETTINGS_HELP}`;

export async function run(argv: string[]): Promise<number> {
  let parsed: Awaited<ReturnType<typeof loadSettings>>;
  let output: OutputOptions;
  try {
    const split = splitOutputArgs(argv, process.env);
    output = split.output;
    parsed = await loadSettings(split.rest);
  } catch (err) {
    console.error(`anvil db: ${(err as Error).message}`);
    return 2;
  }
  const { settings, positional, help } = parsed;
  const verb = positional[0];
  if (help || !verb) {
    console.log(USAGE);
    return help ? 0 : 2;
  }
  if (verb !== 'migrate' && verb !== 'status') {
    console.error(`anvil db: unknown subcommand '${verb}'\n${USAGE}`);
    return 2;
  }
  let where: string;
  try {
    where = dialectFor(settings).describe();
  } catch (err) {
    console.error(`anvil db: ${(err as Error).message}`);
    return 2;
  }
  try {
    const db = await openDatabase(settings, { migrate: false });
    try {
      if (verb === 'migrate') {
        const before = await db.migrationStatus();
        await db.migrate();
        const after = await db.migrationStatus();
        const ran = after.applied.filter((m) => !before.applied.includes(m));
        console.log(ran.length ? `applied ${ran.join(', ')} to ${where}` : `${where} is up to date`);
      } else {
        const st = await db.migrationStatus();
        const prose = () => [`database: ${where}`, ...st.applied.map((m) => `  applied  ${m}`), ...st.pending.map((m) => `  pending  ${m}`)].join('\n');
        console.log(formatObject({ database: where, applied: st.applied, pending: st.pending }, output, prose));
      }
    } finally {
      await db.close();
    }
    return 0;
  } catch (err) {
    const msg = settings.database_url ? String((err as Error).message).split(settings.database_url).join(maskUrl(settings.database_url)) : (err as Error).message;
    console.error(`anvil db ${verb}: ${msg}`);
    return 1;
  }
}
