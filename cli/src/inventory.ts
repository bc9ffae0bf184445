/**
 * Inventories for `anvil node enroll FILE` (pure): bifrost's shape in YAML or JSON — a mapping of name → node, or a
 * list — with driver, driver_info, properties, nics [{mac}] (or ports [{address}]) and any other node field; or CSV
 * with a header row: name, driver, mac (several separated by ';'), driver_info.<key>, properties.<key>, and other
 * node fields as columns. Each entry is checked (name or MAC present, driver present) with its line/entry named.
 */
import { InvalidParameterValue } from '@anvil/sdk';
import { parse as parseYaml } from 'yaml';

export interface InventoryNode {
  name: string | null;
  /** fields of POST /v1/nodes (driver, driver_info, properties, resource_class, *_interface …) */
  fields: Record<string, unknown>;
  macs: string[];
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

function entry(where: string, key: string | null, raw: unknown): InventoryNode {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidParameterValue(`${where}: must be a mapping of node fields`);
  const { nics, ports, ...rest } = raw as Record<string, unknown>;
  const fields: Record<string, unknown> = { ...rest };
  const name = typeof fields.name === 'string' ? fields.name : key;
  if (name) fields.name = name;
  if (typeof fields.driver !== 'string' || !fields.driver) throw new InvalidParameterValue(`${where}: driver is required`);
  const list = [...(Array.isArray(nics) ? nics : []), ...(Array.isArray(ports) ? ports : [])] as Record<string, unknown>[];
  const macs = list.map((n) => String(n?.mac ?? n?.address ?? ''));
  for (const m of macs) if (!MAC.test(m)) throw new InvalidParameterValue(`${where}: '${m}' is not a MAC address`);
  return { name, fields, macs: macs.map((m) => m.toLowerCase()) };
}

function parseCsv(text: string): InventoryNode[] {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(',').map((c) => c.trim()));
  const [header, ...body] = rows;
  if (!header?.includes('driver')) throw new InvalidParameterValue('CSV inventory: the first row must name the columns (name, driver, mac, driver_info.<key>, properties.<key> …)');
  return body.map((cells, i) => {
    const node: Record<string, unknown> = {};
    const nics: { mac: string }[] = [];
    header.forEach((col, j) => {
      const v = cells[j] ?? '';
      if (v === '') return;
      if (col === 'mac') for (const m of v.split(';')) nics.push({ mac: m.trim() });
      else if (col.includes('.')) {
        const [group, key] = [col.slice(0, col.indexOf('.')), col.slice(col.indexOf('.') + 1)];
        node[group] = { ...((node[group] as object) ?? {}), [key]: /^\d+$/.test(v) ? Number(v) : v };
      } else node[col] = v;
    });
    return entry(`CSV line ${i + 2}`, null, { ...node, nics });
  });
}

export function parseInventory(text: string, fileName: string): InventoryNode[] {
  let nodes: InventoryNode[];
  if (/\.csv$/i.test(fileName)) nodes = parseCsv(text);
  else {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new InvalidParameterValue(`${fileName} is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (Array.isArray(doc)) nodes = doc.map((n, i) => entry(`${fileName} entry ${i + 1}`, null, n));
    else if (doc && typeof doc === 'object') nodes = Object.entries(doc).map(([k, n]) => entry(`${fileName} '${k}'`, k, n));
    else throw new InvalidParameterValue(`${fileName}: expected a mapping of name → node or a list of nodes`);
  }
  const seen = new Set<string>();
  for (const n of nodes) {
    if (!n.name && !n.macs.length) throw new InvalidParameterValue(`${fileName}: every node needs a name or a MAC`);
    if (n.name && seen.has(n.name)) throw new InvalidParameterValue(`${fileName}: node name '${n.name}' appears twice`);
    if (n.name) seen.add(n.name);
  }
  return nodes;
}
