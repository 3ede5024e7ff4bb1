import { describe, expect, it } from 'vitest';
import { TypeID } from 'typeid-js';
import { newId, uuidV7Bytes } from './ids.ts';

const uuidOf = (id: string) => TypeID.fromString(id).toUUID().replaceAll('-', '');

describe('ids', () => {
  it('are prefixed UUIDv7s that carry their millisecond and sort by it', () => {
    const at = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
    const bytes = uuidV7Bytes(at);
    expect(Buffer.from(bytes.subarray(0, 6)).readUIntBE(0, 6)).toBe(at);
    expect(bytes[6]! >> 4).toBe(7);
    expect(bytes[8]! >> 6).toBe(0b10);
    const earlier = TypeID.fromUUIDBytes('ord', uuidV7Bytes(at - 1)).toString();
    const later = TypeID.fromUUIDBytes('ord', uuidV7Bytes(at)).toString();
    expect(earlier < later).toBe(true);
    expect(newId('ord')).toMatch(/^ord_[0-9a-z]{26}$/);
  });

  it('made in one millisecond show no counter: the bits after the time are random', () => {
    // With a counter, consecutive IDs of one millisecond differ by a small step in the bits right
    // after the timestamp; random bits almost never do.
    const ids = Array.from({ length: 2000 }, () => uuidOf(newId('cart')));
    const pairs = ids.slice(1).map((id, i) => [ids[i]!, id] as const).filter(([a, b]) => a.slice(0, 12) === b.slice(0, 12));
    const afterTime = (hex: string) => Number.parseInt(hex.slice(13, 20), 16);
    const smallSteps = pairs.filter(([a, b]) => Math.abs(afterTime(b) - afterTime(a)) < 2 ** 12);
    expect(pairs.length).toBeGreaterThan(100);
    expect(smallSteps.length).toBeLessThan(pairs.length / 10);
  });
});
