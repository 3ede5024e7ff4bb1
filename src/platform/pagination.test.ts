import { describe, expect, it } from 'vitest';
import { Invalid } from './errors.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

describe('keyset cursors', () => {
  it('round-trip the sort key and id', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01 00:00:00.123456+00', 'prod_x']))).toEqual(['2026-01-01 00:00:00.123456+00', 'prod_x']);
    expect(decodeCursor(encodeCursor([19900, 'prod_y']))).toEqual([19900, 'prod_y']);
  });

  it.each(['', 'not json', Buffer.from('["x"]').toString('base64url'), Buffer.from('[{},"id"]').toString('base64url'), Buffer.from('[1.5,"id"]').toString('base64url')])(
    'refuses a forged cursor %j with invalid_cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(Invalid);
    },
  );
});
