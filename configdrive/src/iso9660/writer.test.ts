import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIso, streamIso } from './writer.ts';

const T = new Date('2024-01-02T03:04:05.670Z');
const S = 2048;
const files = [
  { path: 'openstack/latest/meta_data.json', data: '{"uuid": "u"}' },
  { path: 'ec2/latest/user-data', data: 'hi\n' },
  { path: 'big.bin', data: Buffer.alloc(5000, 7) },
];

const sec = (img: Buffer, n: number) => img.subarray(n * S, (n + 1) * S);
const le32 = (b: Buffer, o: number) => b.readUInt32LE(o);
/** Checks an ECMA-119 both-endian 32-bit field and returns its value. */
function both32(b: Buffer, o: number): number {
  assert.equal(b.readUInt32LE(o), b.readUInt32BE(o + 4), `both-endian mismatch at ${o}`);
  return b.readUInt32LE(o);
}

interface Rec {
  len: number;
  extent: number;
  size: number;
  flags: number;
  id: Buffer;
  su: Buffer;
}
function records(img: Buffer, extent: number, size: number): Rec[] {
  const out: Rec[] = [];
  for (let s = 0; s < size / S; s++) {
    const b = sec(img, extent + s);
    for (let o = 0; o < S && b[o] !== 0; o += b[o]) {
      const len = b[o];
      const idLen = b[o + 32];
      const suStart = o + 33 + idLen + (idLen % 2 === 0 ? 1 : 0);
      out.push({ len, extent: both32(b, o + 2), size: both32(b, o + 10), flags: b[o + 25], id: b.subarray(o + 33, o + 33 + idLen), su: b.subarray(suStart, o + len) });
    }
  }
  return out;
}
function suEntries(su: Buffer): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (let o = 0; o + 4 <= su.length && su[o + 2] > 0; o += su[o + 2]) m.set(su.toString('latin1', o, o + 2), su.subarray(o, o + su[o + 2]));
  return m;
}

test('primary volume descriptor: CD001, label config-2, sizes, dates, root record', () => {
  const img = buildIso(files, { time: T, publisher: 'pub' });
  const pvd = sec(img, 16);
  assert.equal(pvd[0], 1);
  assert.equal(pvd.toString('latin1', 1, 6), 'CD001');
  assert.equal(pvd[6], 1);
  assert.equal(pvd.toString('latin1', 8, 40), 'LINUX'.padEnd(32));
  assert.equal(pvd.toString('latin1', 40, 72), 'config-2'.padEnd(32));
  assert.equal(both32(pvd, 80) * S, img.length);
  assert.equal(pvd.readUInt16LE(128), 2048);
  assert.equal(pvd.readUInt16BE(130), 2048);
  assert.equal(pvd.toString('latin1', 318, 321), 'pub');
  assert.equal(pvd.toString('latin1', 813, 830), '2024010203040567\0');
  assert.equal(pvd.toString('latin1', 847, 863), '0'.repeat(16));
  assert.equal(pvd[881], 1);
  const root = pvd.subarray(156, 190);
  assert.equal(root[0], 34);
  assert.equal(root[25], 2, 'root is a directory');
  assert.deepEqual([...root.subarray(18, 25)], [124, 1, 2, 3, 4, 5, 0], 'recording date 2024-01-02 03:04:05 UTC');
});

test('Joliet SVD (UCS-2 level 3 escape, UCS-2 label) and terminator', () => {
  const img = buildIso(files, { time: T });
  const svd = sec(img, 17);
  assert.equal(svd[0], 2);
  assert.equal(svd.toString('latin1', 1, 6), 'CD001');
  assert.equal(svd.toString('latin1', 88, 91), '%/E');
  assert.equal(svd.subarray(40, 56).swap16().toString('utf16le'), 'config-2');
  assert.equal(svd.readUInt16BE(56), 0x20, 'padded with UCS-2 spaces');
  const term = sec(img, 18);
  assert.equal(term[0], 255);
  assert.equal(term.toString('latin1', 1, 6), 'CD001');
  const jroot = records(img, both32(svd, 156 + 2), both32(svd, 156 + 10));
  const names = jroot.slice(2).map((r) => Buffer.from(r.id).swap16().toString('utf16le'));
  assert.deepEqual(names, ['big.bin', 'ec2', 'openstack']);
  assert.equal(jroot[2].su.length, 0, 'no Rock Ridge in the Joliet tree');
});

test('path tables: L and M agree, root first, parents by number', () => {
  const img = buildIso(files, { time: T });
  const pvd = sec(img, 16);
  const size = both32(pvd, 132);
  const l = sec(img, le32(pvd, 140)).subarray(0, size);
  const m = sec(img, pvd.readUInt32BE(148)).subarray(0, size);
  const rows: [string, number, number][] = [];
  for (let o = 0; o < size; ) {
    const n = l[o];
    assert.equal(m[o], n);
    assert.equal(l.readUInt32LE(o + 2), m.readUInt32BE(o + 2));
    assert.equal(l.readUInt16LE(o + 6), m.readUInt16BE(o + 6));
    rows.push([l.toString('latin1', o + 8, o + 8 + n), l.readUInt16LE(o + 6), l.readUInt32LE(o + 2)]);
    o += 8 + n + (n % 2);
  }
  assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['\0', 1], ['ec2', 1], ['openstack', 1], ['latest', 2], ['latest', 3]]);
  assert.equal(rows[0][2], both32(pvd, 156 + 2), 'root extent');
});

test('Rock Ridge: SP + CE on root ".", ER in the continuation area, NM/PX on entries', () => {
  const img = buildIso(files, { time: T });
  const pvd = sec(img, 16);
  const root = records(img, both32(pvd, 158), both32(pvd, 166));
  const dot = suEntries(root[0].su);
  assert.deepEqual([...root[0].su.subarray(0, 7)], [0x53, 0x50, 7, 1, 0xbe, 0xef, 0], 'SP first');
  const ce = dot.get('CE')!;
  assert.equal(ce.length, 28);
  const area = sec(img, both32(ce, 4)).subarray(both32(ce, 12));
  const erLen = both32(ce, 20);
  assert.equal(area.toString('latin1', 0, 2), 'ER');
  assert.equal(area[2], erLen);
  assert.equal(area.toString('latin1', 8, 8 + area[4]), 'RRIP_1991A');
  assert.equal(dot.get('PX')!.readUInt32LE(4), 0o40555);
  assert.equal(dot.get('PX')!.readUInt32LE(12), 4, 'root links: 2 + two subdirectories');
  const big = root.find((r) => r.id.toString('latin1') === 'big.bin;1')!;
  const su = suEntries(big.su);
  assert.equal(su.get('NM')!.toString('utf8', 5), 'big.bin');
  assert.equal(su.get('PX')!.readUInt32LE(4), 0o100444);
  assert.equal(su.get('RR')![4], 0x89);
  assert.equal(su.get('TF')![4], 0x0e);
  assert.equal(big.size, 5000);
  assert.deepEqual(img.subarray(big.extent * S, big.extent * S + 5000), Buffer.alloc(5000, 7));
  assert.ok(img.subarray(big.extent * S + 5000, big.extent * S + 3 * S).every((b) => b === 0), 'sector padding is zero');
});

test('primary names as genisoimage -l -allow-lowercase: user-data -> user_data.;1, dirs keep case', () => {
  const img = buildIso(files, { time: T });
  const pvd = sec(img, 16);
  const root = records(img, both32(pvd, 158), both32(pvd, 166));
  const ec2 = root.find((r) => r.id.toString('latin1') === 'ec2')!;
  const latest = records(img, ec2.extent, ec2.size)[2];
  const ud = records(img, latest.extent, latest.size)[2];
  assert.equal(ud.id.toString('latin1'), 'user_data.;1');
  assert.equal(suEntries(ud.su).get('NM')!.toString('utf8', 5), 'user-data');
  assert.equal(root[1].extent, root[0].extent, 'root ".." points at the root');
});

test('deterministic with a fixed time; differs with another time', () => {
  const a = buildIso(files, { time: T });
  const b = buildIso([...files].reverse(), { time: T });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, buildIso(files, { time: new Date('2025-01-01T00:00:00Z') }));
});

test('many entries: directory spans sectors and no record straddles a boundary', () => {
  const many = Array.from({ length: 200 }, (_, i) => ({ path: `d/file-with-a-longish-name-${String(i).padStart(3, '0')}.txt`, data: `${i}` }));
  const img = buildIso(many, { time: T });
  const pvd = sec(img, 16);
  const d = records(img, both32(pvd, 158), both32(pvd, 166))[2];
  assert.ok(d.size > S, 'directory larger than one sector');
  const recs = records(img, d.extent, d.size);
  assert.equal(recs.length, 202);
  const names = recs.slice(2).map((r) => suEntries(r.su).get('NM')!.toString('utf8', 5));
  assert.deepEqual([...names].sort(), many.map((f) => f.path.slice(2)), 'every real name once');
  const ids = recs.slice(2).map((r) => r.id.toString('latin1'));
  assert.equal(new Set(ids).size, 200, 'primary identifiers unique after truncation to 31 characters');
  assert.ok(ids.every((id) => id.length <= 33));
  for (const r of recs.slice(2)) assert.equal(img.toString('latin1', r.extent * S, r.extent * S + r.size), String(Number(/(\d{3})\.txt$/.exec(suEntries(r.su).get('NM')!.toString('utf8', 5))![1])));
});

test('empty directories and empty files', () => {
  const img = buildIso([{ path: 'e', data: '' }], { time: T, dirs: ['empty/dir'] });
  const pvd = sec(img, 16);
  const root = records(img, both32(pvd, 158), both32(pvd, 166));
  assert.deepEqual(root.slice(2).map((r) => [r.id.toString('latin1'), r.size]), [['e.;1', 0], ['empty', 2048]]);
});

test('streamIso yields exactly the bytes of buildIso, in sector-aligned chunks', () => {
  const { size, chunks } = streamIso(files, { time: T });
  const parts = [...chunks()];
  assert.equal(parts.reduce((n, c) => n + c.length, 0), size);
  assert.deepEqual(Buffer.concat(parts), buildIso(files, { time: T }));
});
