/** ECMA-119 volume descriptors: primary (§8.4), Joliet supplementary (§8.5 + Joliet spec), terminator (§8.3). */
import { InvalidConfigDrive } from '../errors.ts';
import { SECTOR, asciiField, both16, both32, ucs2Field, volDate } from './bytes.ts';
import { dirRecord, recordDate } from './records.ts';

export interface VolumeIds {
  systemId: string;
  volumeId: string;
  volumeSetId: string;
  publisher: string;
  preparer: string;
  applicationId: string;
}

export interface DescriptorFields {
  ids: VolumeIds;
  time: Date;
  totalSectors: number;
  pathTableSize: number;
  lPathTable: number;
  mPathTable: number;
  rootExtent: number;
  rootSize: number;
}

export function checkVolumeIds(ids: VolumeIds): void {
  if (ids.volumeId.length > 32) throw new InvalidConfigDrive(`volume label '${ids.volumeId}' does not fit: at most 32 characters`);
  if (!/^[\x20-\x7e]*$/.test(ids.volumeId + ids.systemId + ids.publisher + ids.preparer + ids.applicationId + ids.volumeSetId)) {
    throw new InvalidConfigDrive('volume identifiers must be printable ASCII');
  }
}

function volumeDescriptor(type: 1 | 2, f: DescriptorFields, joliet: boolean): Buffer {
  const b = Buffer.alloc(SECTOR);
  const field = joliet ? ucs2Field : asciiField;
  b[0] = type;
  b.write('CD001', 1, 'latin1');
  b[6] = 1;
  field(b, 8, 32, f.ids.systemId);
  field(b, 40, 32, f.ids.volumeId);
  both32(b, 80, f.totalSectors);
  if (joliet) b.write('%/E', 88, 'latin1'); // UCS-2 level 3
  both16(b, 120, 1); // volume set size
  both16(b, 124, 1); // volume sequence number
  both16(b, 128, SECTOR);
  both32(b, 132, f.pathTableSize);
  b.writeUInt32LE(f.lPathTable, 140);
  b.writeUInt32BE(f.mPathTable, 148);
  dirRecord({ id: Buffer.from([0]), extent: f.rootExtent, size: f.rootSize, date: recordDate(f.time), isDir: true }).copy(b, 156);
  field(b, 190, 128, f.ids.volumeSetId);
  field(b, 318, 128, f.ids.publisher);
  field(b, 446, 128, f.ids.preparer);
  field(b, 574, 128, f.ids.applicationId);
  field(b, 702, 37, '');
  field(b, 739, 37, '');
  field(b, 776, 37, '');
  volDate(b, 813, f.time); // creation
  volDate(b, 830, f.time); // modification
  volDate(b, 847, null); // expiration
  volDate(b, 864, null); // effective
  b[881] = 1; // file structure version
  return b;
}

export function primaryDescriptor(f: DescriptorFields): Buffer {
  return volumeDescriptor(1, f, false);
}

export function jolietDescriptor(f: DescriptorFields): Buffer {
  return volumeDescriptor(2, f, true);
}

export function terminator(): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = 255;
  b.write('CD001', 1, 'latin1');
  b[6] = 1;
  return b;
}
