import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { LocalEngine } from '../src/engine/local-engine.js';
import type { AdapterRef } from '../src/engine/types.js';
import { AdapterStore } from '../src/engine/runtime/adapter-store.js';
import type { S3SourceOptions } from '../src/engine/runtime/s3-source.js';
import { loadConfig } from '../src/config.js';
import { createEngineFixtures, type EngineFixtures } from '../src/testing/fixtures.js';

// s3rver is a real S3 API server (objects on disk) with one account, S3RVER; it checks the access key id of a
// v4-signed request, not the signature itself
const BUCKET = 'adapters';
let fx: EngineFixtures;
let s3dir: string;
let server: S3rver;
let s3: S3SourceOptions;

beforeAll(async () => {
  fx = await createEngineFixtures();
  s3dir = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  s3 = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ ...s3, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  for (const name of ['c', 'd'] as const) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `models/${name}.gguf`, Body: await readFile(fx.adapters[name].uri) }));
  }
  client.destroy();
});

afterAll(async () => {
  await server?.close();
  await rm(s3dir, { recursive: true, force: true });
  await rm(fx.dir, { recursive: true, force: true });
});

const inS3 = (ref: AdapterRef, key = `models/${ref.adapterId === fx.adapters.c.adapterId ? 'c' : 'd'}.gguf`): AdapterRef => ({ ...ref, uri: `s3://${BUCKET}/${key}` });

describe('adapter files from S3', () => {
  let cacheDir: string;
  const store = (options: Partial<S3SourceOptions> = {}, maxAdapterBytes = 10_000_000) =>
    new AdapterStore({ cacheDir, allowedLocalDirs: [fx.adapterDir], maxAdapterBytes, s3: { ...s3, ...options } });
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'adapter-cache-'));
  });
  afterEach(() => rm(cacheDir, { recursive: true, force: true }));
  const cacheFiles = () => readdir(cacheDir).catch(() => []);

  test('an s3:// adapter is fetched, hash-checked and cached under its sha256', async () => {
    const st = store();
    const file = await st.ensureLocal(inS3(fx.adapters.c));
    expect(path.basename(file)).toBe(`${fx.adapters.c.sha256.replace(/^0x/, '')}.gguf`);
    expect(await readFile(file)).toEqual(await readFile(fx.adapters.c.uri));
    expect(await cacheFiles()).toEqual([path.basename(file)]);
    st.close();
  });

  test('an object whose bytes do not match the registered hash is refused and nothing is cached', async () => {
    const st = store();
    await expect(st.ensureLocal({ ...inS3(fx.adapters.c), sha256: fx.adapters.d.sha256 })).rejects.toMatchObject({ code: 'adapter_hash_mismatch' });
    expect(await cacheFiles()).toEqual([]);
    st.close();
  });

  test('a missing object, refused credentials, an oversized object and a malformed uri each fail with a clear reason', async () => {
    const st = store();
    await expect(st.ensureLocal(inS3(fx.adapters.c, 'models/none.gguf'))).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: `adapter object s3://${BUCKET}/models/none.gguf does not exist`,
    });
    await expect(st.ensureLocal({ ...fx.adapters.c, uri: 's3://Not_A_Bucket/x.gguf' })).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: expect.stringContaining('"Not_A_Bucket" is not a valid S3 bucket name'),
    });
    await expect(st.ensureLocal({ ...fx.adapters.c, uri: `s3://${BUCKET}` })).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: expect.stringContaining('is not of the form s3://bucket/key'),
    });
    st.close();

    const wrongKey = store({ accessKeyId: 'NOT-AN-ACCOUNT' });
    await expect(wrongKey.ensureLocal(inS3(fx.adapters.c))).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: `adapter object s3://${BUCKET}/models/c.gguf was refused by S3 (InvalidAccessKeyId, HTTP 403)`,
    });
    wrongKey.close();

    const small = store({}, 1000);
    await expect(small.ensureLocal(inS3(fx.adapters.c))).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: expect.stringContaining('limit 1000'),
    });
    small.close();
    expect(await cacheFiles()).toEqual([]);
  });
});

test('an engine loads an adapter just in time from S3 and serves it like the same file from disk', async () => {
  const engine = (id: string, withS3: boolean) =>
    new LocalEngine({
      baseModelId: id,
      runtime: {
        modelPath: fx.basePath,
        contexts: 1,
        contextSize: 256,
        threads: 1,
        cacheDir: `${fx.cacheDir}-${id}`,
        allowedLocalDirs: [fx.adapterDir],
        maxAdapterBytes: 10_000_000,
        adapterMemoryBytes: fx.adapterBytes * 2,
        s3: withS3 ? s3 : undefined,
      },
    });
  const fromS3 = engine('s3', true);
  const fromDisk = engine('disk', false);
  await Promise.all([fromS3.start(), fromDisk.start()]);
  try {
    const req = (adapters: AdapterRef[]) => ({ requestId: 'r', prompt: 'user: tell me the answer\nassistant:', adapters, maxTokens: 12, temperature: 0 });
    const viaS3 = await fromS3.generate(req([inS3(fx.adapters.d)]));
    const viaDisk = await fromDisk.generate(req([fx.adapters.d]));
    const base = await fromDisk.generate(req([]));
    expect(viaS3.text).toBe(viaDisk.text);
    expect(viaS3.text).not.toBe(base.text);
    expect((await fromS3.stats()).adapterLoads).toBe(1);
  } finally {
    await Promise.all([fromS3.close(), fromDisk.close()]);
  }
});

test('ADAPTER_S3_* configure the S3 source; half a key pair or a bad endpoint is refused by name', () => {
  expect(loadConfig({}).engine.s3).toEqual({ endpoint: undefined, region: 'us-east-1', forcePathStyle: false, accessKeyId: undefined, secretAccessKey: undefined });
  expect(loadConfig({ ADAPTER_S3_ENDPOINT: 'http://minio:9000', ADAPTER_S3_ACCESS_KEY_ID: 'k', ADAPTER_S3_SECRET_ACCESS_KEY: 's', ADAPTER_S3_REGION: 'eu-west-1' }).engine.s3).toEqual({
    endpoint: 'http://minio:9000',
    region: 'eu-west-1',
    forcePathStyle: true,
    accessKeyId: 'k',
    secretAccessKey: 's',
  });
  expect(() => loadConfig({ ADAPTER_S3_ACCESS_KEY_ID: 'k' })).toThrow(/ADAPTER_S3_SECRET_ACCESS_KEY/);
  expect(() => loadConfig({ ADAPTER_S3_ENDPOINT: 'minio:9000' })).toThrow(/ADAPTER_S3_ENDPOINT/);
});
