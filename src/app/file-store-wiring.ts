import { join } from 'node:path';
import type { FileStore } from '../infra/files/file-store.ts';
import { createLocalFileStore } from '../infra/files/local-file-store.ts';
import { createS3FileStore } from '../infra/files/s3-file-store.ts';
import type { Config } from './config.ts';

/** The S3-compatible bucket when one is configured, else the data directory's `files/`. */
export async function createFileStore(config: { dataDir?: string | undefined; files?: Config['files'] | undefined }): Promise<FileStore> {
  if (config.files?.s3) return createS3FileStore(config.files.s3);
  if (!config.dataDir) throw new Error('Uploaded files need a place: a data directory or an S3-compatible bucket.');
  return createLocalFileStore(join(config.dataDir, 'files'));
}
