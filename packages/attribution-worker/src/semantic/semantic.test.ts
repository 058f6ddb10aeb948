/**
 * @jest-environment ./src/semantic/onnx-test-environment.cjs
 */
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { batchRoot, recordHash } from '@openledger/sdk';
import { openDatabase, type ContributionAcceptedJob, type Database, type DatabaseHandle } from '@openledger/service-kit';
import { createTestDatabase, type TestDatabase } from '@openledger/service-kit/testing';
import { buildApp } from '../app.js';
import { Attributor } from '../attributor.js';
import { schema } from '../db/schema.js';
import { DEFAULT_SPAN_PARAMS } from '../span/attribute.js';
import { BuildPool } from '../span/build-pool.js';
import { contributionAcceptedProcessor } from '../workers/contribution-accepted.js';
import { contributionRevokedProcessor } from '../workers/contribution-revoked.js';
import { EmbeddingModelError, loadEmbedder, type Embedder } from './embedder.js';
import { writeFixtureModel } from './fixture-model.js';
import { CONTRIBUTOR_CAP, DEFAULT_SEMANTIC_PARAMS, RETRIEVAL_UNIT, semanticScores } from './semantic-attribution.js';
import { SemanticService } from './semantic-service.js';

const MIGRATIONS = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'drizzle');
const ALICE = '0x00000000000000000000000000000000000000a1';
const BOB = '0x00000000000000000000000000000000000000b2';
const CAROL = '0x00000000000000000000000000000000000000c3';

const accepted = (contributionId: string, contributor: string, datanetId = '1'): ContributionAcceptedJob => ({
  datanetId,
  contributionId,
  contributor: contributor as `0x${string}`,
  weight: '1',
  recordCount: 0,
  batchRoot: `0x${'00'.repeat(32)}`,
  exportUrl: 'http://127.0.0.1:1/unused',
});

/** Four topics with disjoint vocabulary: the nearest record to a query about one topic is known. */
const CORPUS: Record<string, { contributor: string; records: unknown[] }> = {
  cats: { contributor: ALICE, records: [{ text: 'the small cat sat on the red mat' }, { text: 'a young cat slept in the quiet house' }] },
  weather: { contributor: BOB, records: [{ text: 'rain and wind and a cold storm from the sea' }, 'snow and cloud in a cold sky'] },
  chain: { contributor: CAROL, records: [{ text: 'the ledger token reward proof on the chain block' }] },
  baking: { contributor: CAROL, records: [{ prompt: 'bake bread', answer: 'bake the bread with milk and cheese' }] },
};

describe('semantic attribution and retrieval', () => {
  let tmp: string;
  let modelDir: string;
  let embedder: Embedder;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'attr-semantic-'));
    modelDir = writeFixtureModel(join(tmp, 'models', 'fixture-bert'));
    embedder = await loadEmbedder(modelDir, { batchSize: 3 });
  });
  afterAll(async () => {
    await embedder.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the fixture model offline and embeds deterministically (normalized, batch-independent)', async () => {
    const texts = ['the cat sat on the mat', 'bitcoin ledger proof', 'zzqx unknown wordpieces 42', ''];
    const a = await embedder.embed(texts);
    const again = await loadEmbedder(modelDir, { batchSize: 1 });
    try {
      const b = await again.embed(texts);
      expect(again.fingerprint).toBe(embedder.fingerprint);
      expect(embedder.dim).toBe(32);
      expect(a).toHaveLength(4);
      for (let i = 0; i < texts.length; i++) {
        expect(Buffer.from(b[i]!.buffer).equals(Buffer.from(a[i]!.buffer))).toBe(true);
        const norm = Math.sqrt(a[i]!.reduce((s, x) => s + x * x, 0));
        if (i < 3) expect(norm).toBeCloseTo(1, 5);
      }
      expect(a[0]).not.toEqual(a[1]);
    } finally {
      await again.close();
    }
    // a model written with another seed has other weights, hence another fingerprint
    const other = writeFixtureModel(join(tmp, 'models', 'other-seed'), { seed: 8 });
    const otherEmbedder = await loadEmbedder(other);
    expect(otherEmbedder.fingerprint).not.toBe(embedder.fingerprint);
    await otherEmbedder.close();
  });

  it('names the missing file of an incomplete model directory', async () => {
    const broken = writeFixtureModel(join(tmp, 'models', 'broken'));
    unlinkSync(join(broken, 'tokenizer.json'));
    await expect(loadEmbedder(broken)).rejects.toThrow(EmbeddingModelError);
    await expect(loadEmbedder(broken)).rejects.toThrow(/tokenizer\.json is missing/);
  });

  describe('with a datanet index', () => {
    let dbt: TestDatabase;
    let handle: DatabaseHandle<typeof schema>;
    let db: Database;
    let semantic: SemanticService;
    let app: FastifyInstance;
    const dir = () => join(tmp, 'semantic');

    beforeAll(async () => {
      dbt = await createTestDatabase('attr_semantic');
      handle = await openDatabase({ service: 'attribution-worker', url: dbt.url, dataDir: dbt.dataDir, migrationsFolder: MIGRATIONS, schema });
      db = handle.db as unknown as Database;
      semantic = new SemanticService(embedder, { dir: dir(), params: DEFAULT_SEMANTIC_PARAMS });
      for (const [id, c] of Object.entries(CORPUS)) expect(await semantic.indexContribution(accepted(id, c.contributor), c.records)).toBe(true);
      expect(await semantic.indexContribution(accepted('cats', ALICE), CORPUS.cats!.records)).toBe(false); // idempotent
      app = await buildApp({ logLevel: 'silent' }, { db, semantic });
    });
    afterAll(async () => {
      await app.close();
      await handle.close();
      await dbt.drop();
    });

    const retrieve = async (q: string, k = 3) => {
      const res = await app.inject({ method: 'GET', url: `/v1/datanets/1/retrieve?q=${encodeURIComponent(q)}&k=${k}` });
      expect(res.statusCode).toBe(200);
      return res.json() as { model: string; records: Array<{ contributionId: string; contributor: string; recordIndex: number; similarity: number; similarityPpm: number; text: string }> };
    };

    it('retrieves the known nearest record with its contribution id', async () => {
      const cat = await retrieve('a small red cat on a mat');
      expect(cat.model).toBe(embedder.fingerprint);
      expect(cat.records[0]).toMatchObject({ contributionId: 'cats', contributor: ALICE, recordIndex: 0, text: 'the small cat sat on the red mat' });
      expect(cat.records.map((r) => r.similarity)).toEqual([...cat.records.map((r) => r.similarity)].sort((a, b) => b - a));
      const storm = await retrieve('cold wind and rain from the sea', 1);
      expect(storm.records).toHaveLength(1);
      expect(storm.records[0]).toMatchObject({ contributionId: 'weather', recordIndex: 0 });
      // a datanet with nothing indexed answers no records and leaves nothing on disk
      const none = await app.inject({ method: 'GET', url: '/v1/datanets/404/retrieve?q=cat' });
      expect(none.json()).toMatchObject({ datanetId: '404', records: [] });
      expect(existsSync(join(dir(), '404'))).toBe(false);
      const bread = await retrieve('bread with cheese and milk', 1);
      expect(bread.records[0]).toMatchObject({ contributionId: 'baking', text: 'bake the bread with milk and cheese\nbake bread' });
    });

    it('scores an inference output by its nearest records, in integers, reproducibly', async () => {
      const output = 'the ledger pays a token reward with a proof on chain';
      const scores = await semantic.attribute(['1'], output);
      expect(scores.length).toBeGreaterThan(0);
      expect(scores[0]).toMatchObject({ contributionId: 'chain', contributor: CAROL });
      expect(scores.every((s) => typeof s.score === 'bigint' && s.score > 0n && s.score <= CONTRIBUTOR_CAP)).toBe(true);
      expect(await semantic.attribute(['1'], output)).toEqual(scores);
      expect(await semantic.attribute(['1', '1'], output)).toEqual(scores);
      // nothing near enough earns nothing
      const strict = new SemanticService(embedder, { dir: dir(), params: { topK: 8, minSimilarityPpm: 999_999 } });
      expect(await strict.attribute(['1'], 'quiet')).toEqual([]);
    });

    it('pays retrievals per citation and only for contributions still indexed', async () => {
      const scores = await semantic.retrievalScores(['1'], ['chain', 'cats', 'chain', 'nope']);
      expect(scores).toEqual([
        { contributionId: 'cats', contributor: ALICE, score: RETRIEVAL_UNIT },
        { contributionId: 'chain', contributor: CAROL, score: 2n * RETRIEVAL_UNIT },
      ]);
    });

    it('rejects bad queries with a problem', async () => {
      for (const url of ['/v1/datanets/1/retrieve', '/v1/datanets/1/retrieve?q=cat&k=0', '/v1/datanets/1/retrieve?q=cat&k=51', '/v1/datanets/no%20spaces/retrieve?q=cat']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
      }
    });

    it('drops a revoked contribution from retrieval, scores and disk, for good', async () => {
      await semantic.revokeContribution({ datanetId: '1', contributionId: 'cats' });
      const cat = await retrieve('a small red cat on a mat', 10);
      expect(cat.records.map((r) => r.contributionId)).not.toContain('cats');
      expect(cat.records).toHaveLength(4); // the other four records
      expect(await semantic.retrievalScores(['1'], ['cats'])).toEqual([]);
      expect(await semantic.indexContribution(accepted('cats', ALICE), CORPUS.cats!.records)).toBe(false); // a late replay stays out
      // reopened from disk: same index, revocation kept
      const reopened = new SemanticService(embedder, { dir: dir(), params: DEFAULT_SEMANTIC_PARAMS });
      const again = await reopened.nearest(['1'], 'a small red cat on a mat', 10);
      expect(again.map((r) => [r.contributionId, r.recordIndex, r.similarity])).toEqual(cat.records.map((r) => [r.contributionId, r.recordIndex, r.similarity]));
    });

    it('embeds the stored records again when the model changes', async () => {
      const otherDir = writeFixtureModel(join(tmp, 'models', 'seed-9'), { seed: 9 });
      const other = await SemanticService.open({ modelDir: otherDir, dir: dir(), params: DEFAULT_SEMANTIC_PARAMS });
      try {
        const [top] = await other.nearest(['1'], 'cold wind and rain from the sea', 1);
        expect(top).toMatchObject({ contributionId: 'weather', recordIndex: 0 });
        expect((await other.store('1')).size).toBe(4);
      } finally {
        await other.close();
      }
    });
  });

  it('answers a clear problem when no embedding model is configured', async () => {
    const dbt = await createTestDatabase('attr_semantic_off');
    const handle = await openDatabase({ service: 'attribution-worker', url: dbt.url, dataDir: dbt.dataDir, migrationsFolder: MIGRATIONS, schema });
    const app = await buildApp({ logLevel: 'silent' }, { db: handle.db as unknown as Database });
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/datanets/1/retrieve?q=cat' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, title: 'Semantic attribution is not configured', detail: expect.stringMatching(/^semantic attribution is not configured: set EMBEDDING_MODEL_DIR/) });
    } finally {
      await app.close();
      await handle.close();
      await dbt.drop();
    }
  });

  it('caps one contributor per inference and keeps a contribution to its best record', () => {
    const n = (contributionId: string, contributor: string, similarity: number, recordIndex = 0) => ({ contributionId, contributor, recordIndex, similarity, text: '' });
    const scores = semanticScores(
      [n('a1', ALICE, 0.9), n('a1', ALICE, 0.8, 1), n('a2', ALICE, 0.7), n('a3', ALICE, 0.6), n('b1', BOB, 0.55), n('c1', CAROL, 0.4)],
      { topK: 8, minSimilarityPpm: 500_000 },
    );
    // Alice: 900000 + 700000 + 600000 = 2.2M > cap → scaled pro rata (floor)
    expect(scores).toEqual([
      { contributionId: 'a1', contributor: ALICE, score: (900_000n * CONTRIBUTOR_CAP) / 2_200_000n },
      { contributionId: 'a2', contributor: ALICE, score: (700_000n * CONTRIBUTOR_CAP) / 2_200_000n },
      { contributionId: 'a3', contributor: ALICE, score: (600_000n * CONTRIBUTOR_CAP) / 2_200_000n },
      { contributionId: 'b1', contributor: BOB, score: 550_000n },
    ]);
  });

  it('is fed by the contribution consumers next to the span index, and catches up after a crash between them', async () => {
    const dbt = await createTestDatabase('attr_semantic_consumers');
    const handle = await openDatabase({ service: 'attribution-worker', url: dbt.url, dataDir: dbt.dataDir, migrationsFolder: MIGRATIONS, schema });
    const db = handle.db as unknown as Database;
    const exports: Record<string, string> = {};
    const server: Server = createServer((req, res) => {
      const body = exports[req.url ?? ''];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = join(tmp, 'consumers');
    const pool = new BuildPool(0);
    try {
      const attributor = new Attributor({ db, indexDir: join(dir, 'index'), pool, params: DEFAULT_SPAN_PARAMS });
      const recs = CORPUS.weather!.records;
      const hashes = recs.map((r) => recordHash(JSON.stringify(r)));
      exports['/w/export.jsonl'] = recs.map((record, index) => JSON.stringify({ contributionId: 'w', contributor: BOB, index, recordHash: hashes[index], record })).join('\n') + '\n';
      const job = { ...accepted('w', BOB, '9'), recordCount: recs.length, batchRoot: batchRoot(hashes) as `0x${string}`, exportUrl: `${base}/w/export.jsonl` };
      const asJob = <T>(data: T) => ({ data }) as Job<T>;

      // Span index done, semantic index not (the worker died between the two): the replay fills it in.
      await contributionAcceptedProcessor(attributor, 1 << 20)(asJob(job));
      expect(attributor.index('9').has('w')).toBe(true);
      const semantic = new SemanticService(embedder, { dir: join(dir, 'semantic'), params: DEFAULT_SEMANTIC_PARAMS });
      const accept = contributionAcceptedProcessor(attributor, 1 << 20, semantic);
      expect(await accept(asJob(job))).toMatchObject({ indexed: true, records: 2 });
      expect(await accept(asJob(job))).toEqual({ indexed: false });
      const [top] = await semantic.nearest(['9'], 'snow in the sky', 1);
      expect(top).toMatchObject({ contributionId: 'w', recordIndex: 1, text: 'snow and cloud in a cold sky' });

      await contributionRevokedProcessor(attributor, semantic)(asJob({ datanetId: '9', contributionId: 'w', contributor: BOB as `0x${string}`, reason: 'slashed' }));
      expect(attributor.index('9').has('w')).toBe(false);
      expect(await semantic.nearest(['9'], 'snow in the sky', 1)).toEqual([]);
    } finally {
      server.close();
      await pool.close();
      await handle.close();
      await dbt.drop();
    }
  });
});
