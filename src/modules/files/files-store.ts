import type { Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

export const FILE_PURPOSES = ['review_photo', 'return_photo'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export interface FilesTable {
  tenantId: string;
  id: string;
  storageKey: string;
  purpose: FilePurpose;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** The customer or staff id that uploaded it. */
  uploadedBy: string;
  /** What it belongs to (a review id); null until then, and swept when it stays null. */
  attachedTo: string | null;
  attachedAt: Date | null;
  createdAt: Date;
}

export type FileRow = Selectable<FilesTable>;

export async function insertFile(tx: Tx, file: FilesTable): Promise<void> {
  await tx.insertInto('files').values(file).execute();
}

export async function findFile(tx: Tx, id: string): Promise<FileRow | undefined> {
  return tx.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Attaches the uploader's own unattached files of a purpose to an owner and returns the ids it
 * attached. The row locks make a concurrent attach or sweep of the same file wait, then see
 * it taken.
 */
export async function attachFiles(tx: Tx, ids: string[], by: { uploadedBy: string; purpose: FilePurpose; attachTo: string; at: Date }): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .updateTable('files')
    .set({ attachedTo: by.attachTo, attachedAt: by.at })
    .where('id', 'in', ids)
    .where('uploadedBy', '=', by.uploadedBy)
    .where('purpose', '=', by.purpose)
    .where('attachedTo', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Lets go of an owner's files; the sweep removes them once they are old enough. */
export async function detachFiles(tx: Tx, attachedTo: string): Promise<void> {
  await tx.updateTable('files').set({ attachedTo: null, attachedAt: null }).where('attachedTo', '=', attachedTo).execute();
}

/** Deletes unattached rows older than `before` (at most `limit`), returning their storage keys. */
export async function deleteUnattached(tx: Tx, before: Date, limit: number): Promise<string[]> {
  const rows = await tx
    .deleteFrom('files')
    .where(
      'id',
      'in',
      tx.selectFrom('files').select('id').where('attachedTo', 'is', null).where('createdAt', '<', before).orderBy('createdAt').limit(limit).forUpdate().skipLocked(),
    )
    .where('attachedTo', 'is', null)
    .returning('storageKey')
    .execute();
  return rows.map((row) => row.storageKey);
}
