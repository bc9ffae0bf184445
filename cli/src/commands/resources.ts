/**
 * `anvil node|port|portgroup|chassis|conductor|driver|allocation|deploy-template|runbook list|show`: read the
 * Ironic API's resources as `baremetal <resource> list|show` does — the list with its default columns (the same
 * headers, which `-c` names), a show with every field sorted (links left out) — through the one formatter
 * (`-f table|json|yaml|value`, `-c`, `--noindent`, `--max-width`). Finds the API and authenticates as endpoint.ts.
 */
import { AnvilError } from '@anvil/sdk';
import { OUTPUT_USAGE, formatObject, formatRecords, splitOutputArgs } from '@anvil/sdk/output';
import { endpointOf, ironicCaller } from '../endpoint.ts';

interface Resource {
  /** the API collection path and the key of its list */
  path: string;
  key: string;
  /** list columns: [header, field], as the baremetal CLI shows them */
  columns: readonly (readonly [string, string])[];
  /** a field shown as the CLI shows it (the driver list's hosts: joined by ', ') */
  shown?: (item: Record<string, unknown>) => Record<string, unknown>;
}

export const RESOURCES: Record<string, Resource> = {
  node: {
    path: '/nodes',
    key: 'nodes',
    columns: [
      ['UUID', 'uuid'],
      ['Name', 'name'],
      ['Instance UUID', 'instance_uuid'],
      ['Power State', 'power_state'],
      ['Provisioning State', 'provision_state'],
      ['Maintenance', 'maintenance'],
    ],
  },
  port: { path: '/ports', key: 'ports', columns: [['UUID', 'uuid'], ['Address', 'address']] },
  portgroup: { path: '/portgroups', key: 'portgroups', columns: [['UUID', 'uuid'], ['Address', 'address'], ['Name', 'name']] },
  chassis: { path: '/chassis', key: 'chassis', columns: [['UUID', 'uuid'], ['Description', 'description']] },
  conductor: { path: '/conductors', key: 'conductors', columns: [['Hostname', 'hostname'], ['Conductor Group', 'conductor_group'], ['Alive', 'alive']] },
  driver: { path: '/drivers', key: 'drivers', columns: [['Supported driver(s)', 'name'], ['Active host(s)', 'hosts']], shown: (d) => ({ ...d, hosts: (d.hosts as string[]).join(', ') }) },
  allocation: {
    path: '/allocations',
    key: 'allocations',
    columns: [
      ['UUID', 'uuid'],
      ['Name', 'name'],
      ['Resource Class', 'resource_class'],
      ['State', 'state'],
      ['Node UUID', 'node_uuid'],
    ],
  },
  'deploy-template': { path: '/deploy_templates', key: 'deploy_templates', columns: [['UUID', 'uuid'], ['Name', 'name']] },
  runbook: { path: '/runbooks', key: 'runbooks', columns: [['UUID', 'uuid'], ['Name', 'name']] },
};

export function usage(name: string): string {
  return `usage: anvil ${name} list [--endpoint URL] [output options]
       anvil ${name} show ${name.toUpperCase().replace(/-/g, '_')} [--endpoint URL] [output options]
${OUTPUT_USAGE}
The API: --endpoint, else OS_ENDPOINT (default http://127.0.0.1:6385). Auth as openstackclient: OS_TOKEN;
OS_AUTH_TYPE=http_basic with OS_USERNAME/OS_PASSWORD; or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (Keystone).`;
}

/** a show's fields: every one but links, sorted (as `baremetal … show`) */
export function showFields(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(obj)
      .filter((k) => k !== 'links')
      .sort()
      .map((k) => [k, obj[k]]),
  );
}

/** `anvil <name> list|show …`; returns null when argv is not such a verb (the caller runs its own command). */
export async function runResource(name: string, argv: string[]): Promise<number | null> {
  const [verb] = argv;
  if (verb !== 'list' && verb !== 'show') return null;
  const res = RESOURCES[name];
  const { output, rest } = splitOutputArgs(argv.slice(1), process.env);
  let endpoint: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--endpoint') endpoint = rest[++i];
    else if (rest[i].startsWith('--endpoint=')) endpoint = rest[i].slice(11);
    else if (rest[i] === '-h' || rest[i] === '--help') {
      console.log(usage(name));
      return 0;
    } else if (rest[i].startsWith('-')) throw new AnvilError(`anvil ${name} ${verb}: unrecognized arguments: ${rest[i]}`, 'InvalidParameterValue', 400);
    else positional.push(rest[i]);
  }
  const call = ironicCaller(endpointOf(endpoint), 'latest');
  if (verb === 'list') {
    if (positional.length) throw new AnvilError(`anvil ${name} list: unrecognized arguments: ${positional.join(' ')}`, 'InvalidParameterValue', 400);
    const items: Record<string, unknown>[] = [];
    // follow the API's pages (`next`) as the clients do
    for (let path: string | null = res.path; path; ) {
      const page = await call('GET', path);
      items.push(...(page[res.key] as Record<string, unknown>[]));
      path = typeof page.next === 'string' ? page.next.replace(/^.*?\/v1(?=\/)/, '') : null;
    }
    const text = formatRecords(res.columns, res.shown ? items.map(res.shown) : items, output);
    if (text) console.log(text);
    return 0;
  }
  if (positional.length !== 1) {
    console.error(usage(name));
    return 2;
  }
  console.log(formatObject(showFields(await call('GET', `${res.path}/${encodeURIComponent(positional[0])}`)), output));
  return 0;
}
