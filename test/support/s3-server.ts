import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import type { S3FileStoreConfig } from '../../src/infra/files/s3-file-store.ts';

/**
 * A real S3-compatible server for the suites: s3rver (npm), on a free loopback port, keeping its
 * objects in a temporary directory. It refuses an access key other than its own (S3RVER), though it does not check signatures.
 */
export async function startS3Server(bucket = 'bazaar-files'): Promise<{ config: S3FileStoreConfig; stop(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'bazaar-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as { port: number };
  return {
    config: { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
