/**
 * `anvil configdrive build|decode`: config-2 drives from files, with the cloud-config-drive package.
 *   build  --meta-data m.json [--network-data n.json] [--user-data u] [--vendor-data v.json]
 *          [--file /path/on/instance=local-file ...] [--layout nova|ironic] [--format iso9660|vfat]
 *          [--size-mib N] [--base64] [--fixed-time T] -o drive.iso
 *   decode <file with the API string> -o drive.iso      (gzip+base64 -> image, validated)
 * Output is written to a temporary file and renamed, so on any error nothing is written.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ConfigDriveError,
  type DriveFile,
  buildIso,
  buildVfat,
  decodeFromApi,
  dictDriveFiles,
  encodeForApi,
  novaDriveFiles,
  parseJson,
} from 'cloud-config-drive';

const USAGE = `usage: anvil configdrive build --meta-data FILE [options] -o OUT
       anvil configdrive decode IN -o OUT

build options:
  --meta-data FILE      meta_data.json content (JSON object with at least "uuid")
  --network-data FILE   network_data.json content (links, networks, services)
  --user-data FILE      user data (any bytes: cloud-config, script, MIME multipart, gzip)
  --vendor-data FILE    vendor data JSON (vendor_data.json; vendor_data2.json gets {"static": ...})
  --file DEST=SRC       inject SRC as DEST on the instance (openstack/content/NNNN), repeatable
  --layout nova|ironic  Nova's full tree (default) or the tree Ironic builds from a configdrive object
  --format iso9660|vfat image type (default iso9660)
  --size-mib N          VFAT image size (default: smallest that fits; Nova uses 64)
  --base64              write the gzip+base64 string the Ironic provision API takes instead of the image
  --fixed-time T        timestamp for every record (ISO 8601 or Unix seconds; default $SOURCE_DATE_EPOCH or now)
  -o, --output FILE     output file ("-" for stdout)`;

function parseTime(v: string | undefined): Date | undefined {
  const raw = v ?? process.env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  const d = /^\d+$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
  if (Number.isNaN(d.getTime())) throw new ConfigDriveError(`--fixed-time: cannot read '${raw}' as a time`);
  return d;
}

function readJson(path: string | undefined, what: string): Record<string, unknown> | undefined {
  if (path === undefined) return undefined;
  const v = parseJson(readFileSync(path), `${what} (${path})`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigDriveError(`${what} (${path}) must be a JSON object`);
  return v as Record<string, unknown>;
}

function writeOut(out: string, data: Uint8Array | string): void {
  if (out === '-') {
    process.stdout.write(data);
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function build(argv: string[]): number {
  const { values: o } = parseArgs({
    args: argv,
    options: {
      'meta-data': { type: 'string' },
      'network-data': { type: 'string' },
      'user-data': { type: 'string' },
      'vendor-data': { type: 'string' },
      file: { type: 'string', multiple: true },
      layout: { type: 'string', default: 'nova' },
      format: { type: 'string', default: 'iso9660' },
      'size-mib': { type: 'string' },
      base64: { type: 'boolean', default: false },
      'fixed-time': { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
    strict: true,
  });
  if (!o.output) throw new ConfigDriveError('-o/--output is required');
  if (o.format !== 'iso9660' && o.format !== 'vfat') throw new ConfigDriveError(`--format must be iso9660 or vfat, not '${o.format}'`);
  if (o.layout !== 'nova' && o.layout !== 'ironic') throw new ConfigDriveError(`--layout must be nova or ironic, not '${o.layout}'`);
  const metaData = readJson(o['meta-data'], 'meta data');
  if (!metaData) throw new ConfigDriveError('--meta-data is required');
  const networkData = readJson(o['network-data'], 'network data');
  const vendorData = readJson(o['vendor-data'], 'vendor data');
  const userData = o['user-data'] === undefined ? null : readFileSync(o['user-data']);
  const injected = (o.file ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new ConfigDriveError(`--file wants DEST=SRC, got '${spec}'`);
    return { path: spec.slice(0, eq), contents: readFileSync(spec.slice(eq + 1)) };
  });
  const time = parseTime(o['fixed-time']);
  let files: DriveFile[];
  if (o.layout === 'ironic') {
    if (injected.length) throw new ConfigDriveError('--file is not part of the ironic layout');
    const uuid = String(metaData.uuid ?? '');
    const ud = userData === null ? undefined : userData.toString('utf8');
    files = dictDriveFiles({ meta_data: metaData, network_data: networkData, user_data: ud, vendor_data: vendorData }, { uuid });
  } else {
    files = novaDriveFiles({ metaData, networkData, userData, vendorData, files: injected });
  }
  const sizeMib = o['size-mib'] === undefined ? undefined : Number(o['size-mib']);
  if (sizeMib !== undefined && !(sizeMib >= 1 && Number.isInteger(sizeMib))) throw new ConfigDriveError('--size-mib must be a whole number of MiB');
  const image =
    o.format === 'vfat'
      ? buildVfat(files, { time, sizeBytes: sizeMib && sizeMib * 1048576 })
      : buildIso(files, { time, publisher: o.layout === 'ironic' ? 'metalsmith' : 'Anvil' });
  writeOut(o.output, o.base64 ? encodeForApi(image) : image);
  return 0;
}

function decode(argv: string[]): number {
  const { values: o, positionals } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || !o.output) throw new ConfigDriveError('decode wants one input file and -o OUT');
  const { image } = decodeFromApi(readFileSync(positionals[0], 'utf8'));
  writeOut(o.output, image);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return verb ? 0 : 2;
  }
  try {
    if (verb === 'build') return build(rest);
    if (verb === 'decode') return decode(rest);
    console.error(`anvil configdrive: unknown verb '${verb}'\n${USAGE}`);
    return 2;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ConfigDriveError || err.code === 'ENOENT' || err.code === 'EACCES' || err.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`anvil configdrive: ${err.message}`);
      return 1;
    }
    throw e;
  }
}
