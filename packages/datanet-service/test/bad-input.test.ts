import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Wallet } from 'ethers';
import { buildSiweMessage, getDatanetRegistry } from '@openledger/sdk';
import { startTestChain, type TestChain } from './helpers/chain.js';
import { multipartBody, signIn, startTestService, type TestService } from './helpers/service.js';

const SCHEMA = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
const dataUri = (doc: unknown) => `data:application/json;base64,${Buffer.from(JSON.stringify(doc)).toString('base64')}`;

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat(p);
  }
  return out;
}

const kinds = process.env.DATABASE_URL ? (['postgres', 'pglite'] as const) : (['pglite'] as const);

describe.each(kinds.map((k) => [k]))('bad input on %s', (kind) => {
  let chain: TestChain;
  let service: TestService;
  let contributor: Wallet;
  let auth: string;

  beforeAll(async () => {
    chain = await startTestChain();
    const [owner] = chain.wallets as [Wallet];
    contributor = chain.wallets[3]!;
    const registry = getDatanetRegistry(chain.deployment.contracts.DatanetRegistry, owner);
    await (await registry.createDatanet('with schema', dataUri({ description: 'texts', schema: SCHEMA }), 0, [])).wait();
    await (await registry.createDatanet('files', dataUri({ description: 'anything' }), 0, [])).wait();
    service = await startTestService(chain, {
      kind,
      relayer: chain.wallets[9],
      env: { MAX_UPLOAD_BYTES: '200000', MAX_RECORD_BYTES: '2000', MAX_RECORDS: '50', MAX_FILES: '3' },
    });
    await service.app.background.syncMirror();
    auth = await signIn(service.app, contributor);
  });

  afterAll(async () => {
    await service?.close();
    await chain?.stop();
  });

  async function expectNothingStored() {
    const { db } = service.app.ctx.database;
    const count = async (table: string) =>
      Number(((await db.execute(sql.raw(`select count(*)::int as n from datanet_service.${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(await count('batches')).toBe(0);
    expect(await count('batch_records')).toBe(0);
    expect(await count('batch_blobs')).toBe(0);
    expect(filesUnder(join(service.dataDir, 'blobs'))).toEqual([]);
  }

  const upload = (datanet: number, payload: string | Buffer, contentType = 'application/x-ndjson', authorization = auth) =>
    service.app.inject({ method: 'POST', url: `/datanets/${datanet}/batches`, headers: { authorization, 'content-type': contentType }, payload });

  it('rejects a record that does not match the datanet schema, naming the record and the path', async () => {
    const res = await upload(1, `{"text":"ok"}\n{"text":42}\n{"text":"never read"}\n`);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, recordIndex: 1 });
    expect(res.json().detail).toMatch(/record 1: does not match the datanet schema: \/text must be string/);
    await expectNothingStored();
  });

  it('rejects a line that is not JSON', async () => {
    const res = await upload(1, `{"text":"ok"}\n{"text": oops}\n`);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/record 1: is not valid JSON/);
    await expectNothingStored();
  });

  it.each([
    ['maxUploadBytes', () => Array.from({ length: 120 }, (_, i) => JSON.stringify({ text: `${i}`.padEnd(1900, 'x') })).join('\n')],
    ['maxRecordBytes', () => `{"text":"ok"}\n${JSON.stringify({ text: 'y'.repeat(3000) })}\n`],
    ['maxRecords', () => Array.from({ length: 51 }, (_, i) => JSON.stringify({ text: String(i) })).join('\n')],
  ])('rejects an upload over %s with a 413 naming the limit', async (limit, body) => {
    const res = await upload(1, body());
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413, limit });
    expect(res.json().detail).toContain(limit);
    await expectNothingStored();
  });

  it('rejects a truncated multipart body', async () => {
    const { body, contentType } = multipartBody([
      { name: 'a.jsonl', contentType: 'application/x-ndjson', content: '{"text":"a"}\n{"text":"b"}\n' },
      { name: 'b.bin', contentType: 'application/octet-stream', content: Buffer.alloc(5000, 7) },
    ]);
    const res = await upload(2, body.subarray(0, body.length - 3000), contentType);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/ended early|truncated/);
    await expectNothingStored();
  });

  it.each(['../../etc/passwd', '..\\..\\boot.ini', 'dir/file.txt', '..', 'bad\u0001name'])('rejects the file name %j', async (name) => {
    const { body, contentType } = multipartBody([
      { name: 'fine.txt', contentType: 'text/plain', content: 'first file is fine' },
      { name, contentType: 'text/plain', content: 'payload' },
    ]);
    const res = await upload(2, body, contentType);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/filename/);
    await expectNothingStored();
  });

  it('refuses files for a datanet with a record schema, more files than maxFiles, and wrong content types', async () => {
    const one = multipartBody([{ name: 'x.bin', contentType: 'application/octet-stream', content: 'abc' }]);
    expect((await upload(1, one.body, one.contentType)).statusCode).toBe(400);
    const many = multipartBody(Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, contentType: 'text/plain', content: `file ${i}` })));
    const tooMany = await upload(2, many.body, many.contentType);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().limit).toBe('maxFiles');
    expect((await upload(1, '{"text":"a"}', 'text/csv')).statusCode).toBe(415);
    expect((await upload(1, '{"text":"a"}\n', 'application/x-ndjson', 'Bearer not-a-real-session-token-000000')).statusCode).toBe(401);
    await expectNothingStored();
  });

  it('stores a good multipart upload: JSONL parts give one record per line, other files one record each', async () => {
    const { body, contentType } = multipartBody([
      { name: 'part.jsonl', contentType: 'application/octet-stream', content: '{"q":1}\r\n\r\n{"q":2}' },
      { name: 'photo.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
    ]);
    const res = await upload(2, body, contentType);
    expect(res.statusCode).toBe(201);
    const batch = res.json() as { batchId: string; recordCount: number };
    expect(batch.recordCount).toBe(3);
    const records = (await service.app.inject({ method: 'GET', url: `/batches/${batch.batchId}/records`, headers: { authorization: auth } })).json() as {
      items: { record: unknown; kind: string; fileName: string | null }[];
    };
    expect(records.items.map((r) => r.record)).toEqual([{ q: 1 }, { q: 2 }, { file: expect.objectContaining({ fileName: 'photo.png', contentType: 'image/png', size: 7 }) }]);

    // a signature by anyone but the contributor is refused and changes nothing
    const typed = (await service.app.inject({ method: 'GET', url: `/batches/${batch.batchId}/typed-data` })).json() as {
      typedData: { domain: Record<string, string>; types: Record<string, { name: string; type: string }[]>; message: Record<string, string> };
    };
    const { EIP712Domain: _, ...types } = typed.typedData.types;
    const forged = await chain.wallets[4]!.signTypedData(typed.typedData.domain, types, typed.typedData.message);
    const bad = await service.app.inject({
      method: 'POST',
      url: `/batches/${batch.batchId}/signature`,
      payload: { signature: forged, nonce: typed.typedData.message.nonce, deadline: typed.typedData.message.deadline },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/signature: recovers to 0x/);
    const tampered = await contributor.signTypedData(typed.typedData.domain, types, { ...typed.typedData.message, recordCount: '99' });
    expect(
      (await service.app.inject({ method: 'POST', url: `/batches/${batch.batchId}/signature`, payload: { signature: tampered, nonce: typed.typedData.message.nonce, deadline: typed.typedData.message.deadline } })).statusCode,
    ).toBe(400);
    expect((await service.app.inject({ method: 'GET', url: `/batches/${batch.batchId}` })).json()).toMatchObject({ status: 'ready', txHash: null });
  });

  it('serves the OpenAPI document, Swagger UI and readiness of every dependency', async () => {
    const doc = (await service.app.inject({ method: 'GET', url: '/docs/json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/datanets/{id}/batches', '/batches/{id}/signature', '/contributions/{id}/review', '/auth/verify']));
    expect((await service.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    const ready = await service.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, redis: { ok: true }, rpc: { ok: true } } });
    const missing = await service.app.inject({ method: 'GET', url: '/batches/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  describe('sign-in', () => {
    async function siwe(wallet: Wallet, changes: Partial<{ domain: string; chainId: number; expirationTime: string; issuedAt: string }> = {}) {
      const { nonce, domain, chainId } = (await service.app.inject({ method: 'POST', url: '/auth/nonce' })).json() as { nonce: string; domain: string; chainId: number };
      const message = buildSiweMessage({
        domain,
        address: wallet.address,
        uri: `http://${domain}`,
        version: '1',
        chainId,
        nonce,
        issuedAt: new Date().toISOString(),
        expirationTime: new Date(Date.now() + 60_000).toISOString(),
        ...changes,
      });
      return { message, signature: await wallet.signMessage(message) };
    }
    const verify = (payload: { message: string; signature: string }) => service.app.inject({ method: 'POST', url: '/auth/verify', payload });

    it('refuses a replayed nonce', async () => {
      const signed = await siwe(contributor);
      expect((await verify(signed)).statusCode).toBe(200);
      const replay = await verify(signed);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().detail).toMatch(/nonce is unknown, expired or already used/);
    });

    it('refuses another domain, another chain, an expired message, a forged signature and an invented nonce', async () => {
      expect((await verify(await siwe(contributor, { domain: 'evil.example' }))).json()).toMatchObject({ status: 401, reason: 'domain-mismatch' });
      expect((await verify(await siwe(contributor, { chainId: 1 }))).json()).toMatchObject({ status: 401, reason: 'chain-mismatch' });
      const past = new Date(Date.now() - 120_000).toISOString();
      expect((await verify(await siwe(contributor, { issuedAt: past, expirationTime: new Date(Date.now() - 60_000).toISOString() }))).json()).toMatchObject({ status: 401, reason: 'expired' });
      const signed = await siwe(contributor);
      const forged = { message: signed.message, signature: await chain.wallets[4]!.signMessage(signed.message) };
      expect((await verify(forged)).json()).toMatchObject({ status: 401, reason: 'invalid-signature' });
      // the refused attempts did not burn the nonce; the real signature still signs in once
      expect((await verify(signed)).statusCode).toBe(200);
      const invented = buildSiweMessage({ domain: service.config.siweDomain, address: contributor.address, uri: 'http://x', version: '1', chainId: chain.anvil.chainId, nonce: 'madeUpNonce123', issuedAt: new Date().toISOString() });
      expect((await verify({ message: invented, signature: await contributor.signMessage(invented) })).statusCode).toBe(401);
      const sessions = (await service.app.ctx.database.db.execute(sql`select token_hash from datanet_service.sessions`)) as unknown as { rows: { token_hash: string }[] };
      expect(sessions.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    });
  });
});
