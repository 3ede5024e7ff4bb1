import { Invalid } from './errors.ts';

/**
 * Keyset pagination cursors: the sort key and id of the last row, opaque to clients
 * (base64url JSON). Keyset pages stay fast and stable while rows are inserted, unlike offsets.
 */
export type CursorKey = [sortValue: string | number, id: string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      ((typeof key[0] === 'string' && key[0].length <= 64 && key[0].isWellFormed()) || Number.isSafeInteger(key[0])) &&
      typeof key[1] === 'string' &&
      /^[a-z]{2,8}_[0-9a-z]{26}$/.test(key[1])
    ) {
      return key as CursorKey;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new Invalid('invalid_cursor', 'The cursor is not one this API issued.');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
