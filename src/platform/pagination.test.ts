import { describe, expect, it } from 'vitest';
import { Invalid } from './errors.ts';
import { decodeCursor, encodeCursor } from './pagination.ts';

describe('keyset cursors', () => {
  it('round-trip the sort key and id', () => {
    const id = 'prod_01m88h81rse8q8qv1k20fn7n76';
    expect(decodeCursor(encodeCursor(['2026-01-01 00:00:00.123456+00', id]))).toEqual(['2026-01-01 00:00:00.123456+00', id]);
    expect(decodeCursor(encodeCursor([19900, id]))).toEqual([19900, id]);
  });

  it.each(['', 'not json', Buffer.from('["x"]').toString('base64url'), Buffer.from('[{},"id"]').toString('base64url'), Buffer.from('[1.5,"id"]').toString('base64url'), Buffer.from('["x","prod_\\ud800"]').toString('base64url')])(
    'refuses a forged cursor %j with invalid_cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(Invalid);
    },
  );
});
