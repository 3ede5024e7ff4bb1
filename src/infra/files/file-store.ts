import type { Readable } from 'node:stream';

/**
 * Where uploaded files' bytes live: the local disk (embedded size) or an S3-compatible bucket
 * (server size). Keys are opaque paths the files module builds (`<platform>/<file id>`), so each
 * platform's files sit under their own prefix; which platform may read a file is decided by the
 * files table, never by the store.
 */
export interface FileStore {
  readonly kind: 'local' | 's3';
  /** Writes the whole file or nothing: a reader never sees half of it. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The bytes, or undefined when there is no such file. */
  get(key: string): Promise<Buffer | undefined>;
  /** The bytes as a stream, or undefined when there is no such file. */
  stream(key: string): Promise<Readable | undefined>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
}

// One or more segments of letters, digits, '_', '-' and '.', none of them '.' or '..': a key can
// never climb out of the store's root, on disk or in a bucket.
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}){0,7}$/;

export function assertFileKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`not a file key: ${JSON.stringify(key)}`);
  }
}
