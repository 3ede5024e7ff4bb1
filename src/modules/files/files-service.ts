import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database } from '../../infra/db/database.ts';
import type { FileStore } from '../../infra/files/file-store.ts';
import { detectImageType } from '../../infra/files/image-type.ts';
import type { Clock } from '../../platform/clock.ts';
import { Invalid, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './files-store.ts';
import type { FilePurpose, FileRow } from './files-store.ts';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Uploads nobody attached this long after upload are swept. */
export const UNATTACHED_FILE_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 200;

export interface FileView {
  id: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** Where the storefront and the admin fetch it (add `?tenant=` where the host doesn't say the platform). */
  url: string;
}

export interface FileService {
  readonly maxBytes: number;
  /** Checks and keeps an upload; it stays unattached until its owner (a review) claims it. */
  upload(platform: Platform, input: { purpose: FilePurpose; bytes: Buffer; uploadedBy: string }): Promise<FileView>;
  /** A file of this platform; another platform's id is not found. */
  find(platform: Platform, fileId: string): Promise<FileRow>;
  /** The file's bytes (a row whose bytes are gone, an upload that failed half-way, is not found). */
  read(file: FileRow): Promise<Readable>;
  /** Removes uploads left unattached past their lifetime, bytes and rows; returns how many. */
  sweepUnattached(platforms: Platform[]): Promise<number>;
}

export function fileView(file: Pick<FileRow, 'id' | 'contentType' | 'sizeBytes' | 'sha256'>): FileView {
  return { id: file.id, contentType: file.contentType, sizeBytes: file.sizeBytes, sha256: file.sha256, url: `/api/store/files/${file.id}` };
}

export function createFileService(deps: { db: Database; clock: Clock; files: FileStore; maxBytes?: number | undefined }): FileService {
  const { db, clock, files } = deps;
  const maxBytes = deps.maxBytes ?? DEFAULT_MAX_FILE_BYTES;

  return {
    maxBytes,

    async upload(platform, input) {
      if (input.bytes.length > maxBytes) throw tooLarge(maxBytes);
      if (input.bytes.length === 0) throw new Invalid('empty_file', 'The file is empty.');
      // The bytes decide the type; the client's Content-Type is only a claim.
      const contentType = detectImageType(input.bytes);
      if (!contentType) throw new UnsupportedMediaType('unsupported_file_type', 'Photos must be JPEG, PNG or WebP images.');
      const id = newId('file');
      const row: store.FilesTable = {
        tenantId: platform.id,
        id,
        storageKey: `${platform.id}/${id}`,
        purpose: input.purpose,
        contentType,
        sizeBytes: input.bytes.length,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        uploadedBy: input.uploadedBy,
        attachedTo: null,
        attachedAt: null,
        createdAt: clock.now(),
      };
      // The row first: should the process die before the bytes land, the row is an unattached
      // upload the sweep removes; bytes written first could be left behind with no row to find them.
      await db.withTenant(platform.id, (tx) => store.insertFile(tx, row));
      try {
        await files.put(row.storageKey, input.bytes, contentType);
      } catch (error) {
        await db.withTenant(platform.id, (tx) => tx.deleteFrom('files').where('id', '=', id).execute()).catch(() => undefined);
        throw error;
      }
      return fileView(row);
    },

    async find(platform, fileId) {
      const file = await db.withTenant(platform.id, (tx) => store.findFile(tx, fileId));
      if (!file) throw new NotFound('file_not_found', 'No such file.');
      return file;
    },

    async read(file) {
      const body = await files.stream(file.storageKey);
      if (!body) throw new NotFound('file_not_found', 'No such file.');
      return body;
    },

    async sweepUnattached(platforms) {
      const before = new Date(clock.now().getTime() - UNATTACHED_FILE_LIFETIME_MS);
      let swept = 0;
      for (const platform of platforms) {
        for (;;) {
          // Rows go first, in their own transaction: an attach racing the sweep waits on the row
          // lock and then finds the file gone, so no review ever points at deleted bytes. Should
          // a byte delete fail, what is left is space without a row, never a broken reference.
          const keys = await db.withTenant(platform.id, (tx) => store.deleteUnattached(tx, before, SWEEP_BATCH));
          for (const key of keys) await files.delete(key);
          swept += keys.length;
          if (keys.length < SWEEP_BATCH) break;
        }
      }
      return swept;
    },
  };
}

export function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge('file_too_large', `A file may be at most ${maxBytes} bytes.`);
}
