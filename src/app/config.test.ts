import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('TRUST_PROXY', () => {
  it('trusts no proxy unless told', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
  });

  it('takes comma-separated addresses, CIDR ranges and proxy-addr range names', () => {
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.0.2.7 ,fd00::/8,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', 'loopback']);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', 'proxy.internal', '*', '::1/129'])('refuses %s at start-up, naming the variable', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

describe('file storage', () => {
  it('keeps files on the local disk, up to 5 MiB each, unless told otherwise', () => {
    expect(loadConfig({}).files).toEqual({ maxBytes: 5 * 1024 * 1024, s3: undefined });
  });

  it('takes an S3-compatible bucket with its keys', () => {
    const config = loadConfig({
      FILES_S3_ENDPOINT: 'http://127.0.0.1:9000',
      FILES_S3_BUCKET: 'bazaar-files',
      FILES_S3_ACCESS_KEY_ID: 'key',
      FILES_S3_SECRET_ACCESS_KEY: 'secret',
      FILES_MAX_BYTES: '1048576',
    });
    expect(config.files).toEqual({
      maxBytes: 1048576,
      s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'bazaar-files', region: 'us-east-1', accessKeyId: 'key', secretAccessKey: 'secret' },
    });
  });

  it('refuses an S3 endpoint without its bucket and keys, naming each', () => {
    expect(() => loadConfig({ FILES_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/FILES_S3_BUCKET[\s\S]*FILES_S3_ACCESS_KEY_ID[\s\S]*FILES_S3_SECRET_ACCESS_KEY/);
  });

  it.each([['FILES_S3_BUCKET', 'Has_Upper'], ['FILES_MAX_BYTES', '10'], ['FILES_S3_ENDPOINT', 'ftp://x']])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
