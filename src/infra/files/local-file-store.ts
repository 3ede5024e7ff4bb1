import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { assertFileKey, type FileStore } from './file-store.ts';

/**
 * Files on the local disk under `root`. A write goes to a temporary file in the same directory
 * tree, is flushed, then renamed into place: rename is atomic on one file system, so a crash
 * leaves either the old state or the whole new file, never a torn one.
 */
export async function createLocalFileStore(root: string): Promise<FileStore> {
  const base = resolve(root);
  const temporary = join(base, '.tmp');
  await mkdir(temporary, { recursive: true });

  function pathOf(key: string): string {
    assertFileKey(key);
    const path = resolve(base, key);
    // The key pattern already forbids climbing; this is the second lock on the same door.
    if (!path.startsWith(base + sep)) throw new Error(`file key outside the store: ${key}`);
    return path;
  }

  return {
    kind: 'local',
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const scratch = join(temporary, `${randomBytes(12).toString('hex')}.part`);
      const handle = await open(scratch, 'wx');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(scratch, path);
      } catch (error) {
        await rm(scratch, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async stream(key) {
      const path = pathOf(key);
      // Open first, so a missing file is an undefined here rather than a stream that fails later.
      try {
        const handle = await open(path, 'r');
        return handle.createReadStream();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
  };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}
