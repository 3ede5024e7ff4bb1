import { randomFillSync } from 'node:crypto';
import { TypeID } from 'typeid-js';

/**
 * IDs are prefixed, time-ordered strings (TypeID: prefix + UUIDv7 in base32), so that a log line
 * or a support ticket says what kind of object it names and rows sort by creation time.
 *
 * The UUIDv7 is built here rather than by typeid-js, whose generator (the `uuid` package) fills
 * the bits after the millisecond with a counter shared by every ID the process makes: two IDs a
 * platform receives in one millisecond would tell it how many other platforms' objects were made
 * in between. Here those 74 bits are random, so an ID reveals its millisecond and nothing else;
 * IDs made in the same millisecond sort in no particular order.
 */
export type IdPrefix =
  | 'ten'
  | 'cus'
  | 'adr'
  | 'stf'
  | 'ses'
  | 'tok'
  | 'prod'
  | 'var'
  | 'cat'
  | 'attr'
  | 'col'
  | 'wh'
  | 'res'
  | 'mov'
  | 'cart'
  | 'cpn'
  | 'ord'
  | 'pay'
  | 'ref'
  | 'evt'
  | 'fs'
  | 'pwr'
  | 'shz'
  | 'shm'
  | 'txr'
  | 'cgr'
  | 'prl'
  | 'file'
  | 'rev'
  | 'shp'
  | 'gc'
  | 'lop'
  | 'ret'
  | 'oed';

export function newId(prefix: IdPrefix): string {
  return TypeID.fromUUIDBytes(prefix, uuidV7Bytes(Date.now())).toString();
}

/** An ID for an object made at `at` rather than now (imported or seeded history), so it sorts where it belongs. */
export function newIdAt(prefix: IdPrefix, at: Date): string {
  return TypeID.fromUUIDBytes(prefix, uuidV7Bytes(at.getTime())).toString();
}

// Random bytes are drawn in blocks: one system call per 256 IDs instead of one per ID.
const BLOCK = 16 * 256;
const entropy = Buffer.alloc(BLOCK);
let offset = BLOCK;

/** RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, variant 10, 74 random bits. */
export function uuidV7Bytes(unixMs: number): Uint8Array {
  if (offset === BLOCK) {
    randomFillSync(entropy);
    offset = 0;
  }
  const bytes = new Uint8Array(16);
  bytes.set(entropy.subarray(offset, offset + 16));
  offset += 16;
  const high = Math.floor(unixMs / 2 ** 16);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (unixMs >>> 8) & 0xff;
  bytes[5] = unixMs & 0xff;
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  return bytes;
}
