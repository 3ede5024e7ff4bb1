import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import { assertFileKey, type FileStore } from './file-store.ts';

export interface S3FileStoreConfig {
  /** The server's base URL, e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Files in a bucket of any S3-compatible server (AWS S3, MinIO, Garage, Ceph RGW, R2), addressed
 * path-style (`<endpoint>/<bucket>/<key>`), which all of them accept. The store needs four plain
 * object calls, so requests are signed with aws4fetch (SigV4, no dependencies) over Node's fetch
 * rather than pulling in the AWS SDK's hundred packages. An S3 PUT is atomic: the object appears
 * whole or not at all.
 */
export function createS3FileStore(config: S3FileStoreConfig): FileStore {
  const client = new AwsClient({ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, region: config.region, service: 's3' });
  const base = `${config.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(config.bucket)}`;

  function urlOf(key: string): string {
    assertFileKey(key);
    return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async function fail(response: Response, what: string): Promise<never> {
    const detail = (await response.text().catch(() => '')).slice(0, 300);
    throw new Error(`S3 ${what} answered ${response.status}: ${detail}`);
  }

  async function fetchObject(key: string): Promise<Response | undefined> {
    const response = await client.fetch(urlOf(key), { method: 'GET' });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) return fail(response, `GET ${key}`);
    return response;
  }

  return {
    kind: 's3',
    async put(key, body, contentType) {
      const response = await client.fetch(urlOf(key), {
        method: 'PUT',
        // A copy into a plain ArrayBuffer: fetch's types don't take a Buffer over a shared pool.
        body: new Uint8Array(body).buffer,
        headers: { 'content-type': contentType, 'content-length': String(body.length) },
      });
      if (!response.ok) return fail(response, `PUT ${key}`);
      await response.body?.cancel();
    },
    async get(key) {
      const response = await fetchObject(key);
      return response && Buffer.from(await response.arrayBuffer());
    },
    async stream(key) {
      const response = await fetchObject(key);
      if (!response) return undefined;
      return response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    },
    async delete(key) {
      const response = await client.fetch(urlOf(key), { method: 'DELETE' });
      if (!response.ok && response.status !== 404) return fail(response, `DELETE ${key}`);
      await response.body?.cancel();
    },
  };
}
