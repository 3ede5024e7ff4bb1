import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore } from '../src/infra/files/file-store.ts';
import { detectImageType } from '../src/infra/files/image-type.ts';
import { createLocalFileStore } from '../src/infra/files/local-file-store.ts';
import { createS3FileStore } from '../src/infra/files/s3-file-store.ts';
import { JPEG, PNG, WEBP } from './support/images.ts';
import { startS3Server } from './support/s3-server.ts';

interface Adapter {
  store: FileStore;
  close(): Promise<void>;
}

const adapters: Record<string, () => Promise<Adapter>> = {
  'local disk': async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bazaar-files-contract-'));
    return { store: await createLocalFileStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  },
  's3 (s3rver)': async () => {
    const server = await startS3Server();
    return { store: createS3FileStore(server.config), close: server.stop };
  },
};

// One contract, both adapters: domain code can't tell which one it got.
describe.each(Object.keys(adapters))('file store contract on %s', (name) => {
  let adapter: Adapter;
  let store: FileStore;
  beforeAll(async () => {
    adapter = await adapters[name]!();
    store = adapter.store;
  });
  afterAll(() => adapter?.close());

  it('gives back exactly the bytes it was given, whole or as a stream', async () => {
    const bytes = Buffer.concat([PNG, Buffer.alloc(300_000, 7)]);
    await store.put('ten_a/file_1', bytes, 'image/png');
    expect((await store.get('ten_a/file_1'))!.equals(bytes)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of (await store.stream('ten_a/file_1'))!) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('answers undefined for a missing file, and removing one twice is fine', async () => {
    expect(await store.get('ten_a/nothing')).toBeUndefined();
    expect(await store.stream('ten_a/nothing')).toBeUndefined();
    await store.put('ten_a/file_2', JPEG, 'image/jpeg');
    await store.delete('ten_a/file_2');
    await store.delete('ten_a/file_2');
    expect(await store.get('ten_a/file_2')).toBeUndefined();
  });

  it('replaces a file whole when written again', async () => {
    await store.put('ten_a/file_3', Buffer.alloc(5000, 1), 'image/png');
    await store.put('ten_a/file_3', WEBP, 'image/webp');
    expect((await store.get('ten_a/file_3'))!.equals(WEBP)).toBe(true);
  });

  it('keeps two platforms’ files with the same id apart', async () => {
    await store.put('ten_a/file_same', PNG, 'image/png');
    await store.put('ten_b/file_same', JPEG, 'image/jpeg');
    expect((await store.get('ten_a/file_same'))!.equals(PNG)).toBe(true);
    expect((await store.get('ten_b/file_same'))!.equals(JPEG)).toBe(true);
  });

  it.each(['../escape', 'ten_a/../../etc/passwd', '/abs', 'ten_a/./x', 'ten_a//x', '', 'ten_a/x y', 'ten_a\\x'])('refuses the key %j', async (key) => {
    await expect(store.put(key, PNG, 'image/png')).rejects.toThrow(/not a file key/);
    await expect(store.get(key)).rejects.toThrow(/not a file key/);
    await expect(store.delete(key)).rejects.toThrow(/not a file key/);
  });

  it('lets many writes of one key race and ends with one of them whole', async () => {
    const versions = Array.from({ length: 8 }, (_, index) => Buffer.alloc(100_000, index + 1));
    await Promise.all(versions.map((bytes) => store.put('ten_a/file_race', bytes, 'image/png')));
    const final = (await store.get('ten_a/file_race'))!;
    expect(versions.some((bytes) => bytes.equals(final))).toBe(true);
  });
});

describe('local disk store', () => {
  it('writes through a temporary file it renames, leaving none behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bazaar-files-local-'));
    try {
      const store = await createLocalFileStore(dir);
      await store.put('ten_a/file_x', PNG, 'image/png');
      expect(await readdir(join(dir, '.tmp'))).toEqual([]);
      expect((await stat(join(dir, 'ten_a', 'file_x'))).size).toBe(PNG.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('s3 store', () => {
  it('fails loudly when the server refuses its keys', async () => {
    const server = await startS3Server();
    try {
      const store = createS3FileStore({ ...server.config, accessKeyId: 'nobody' });
      await expect(store.put('ten_a/file_1', PNG, 'image/png')).rejects.toThrow(/S3 PUT ten_a\/file_1 answered 403/);
    } finally {
      await server.stop();
    }
  });
});

describe('image types', () => {
  it('are read from the bytes', () => {
    expect(detectImageType(PNG)).toBe('image/png');
    expect(detectImageType(JPEG)).toBe('image/jpeg');
    expect(detectImageType(WEBP)).toBe('image/webp');
    expect(detectImageType(Buffer.from('GIF89a......'))).toBeUndefined();
    expect(detectImageType(Buffer.from('RIFF....WAVE'))).toBeUndefined();
    expect(detectImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(detectImageType(Buffer.alloc(0))).toBeUndefined();
  });
});

