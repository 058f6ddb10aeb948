// JSONL ingestion: 1,000,000 records of ~500 bytes through POST /datanets/:id/batches (HTTP, schema
// validation, keccak per record, content-addressed blob, COPY into Postgres / inserts into PGlite, Merkle root).
import { Readable } from 'node:stream';
import { post, rssSampler, startBenchStack } from './harness.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const schema = { type: 'object', required: ['id', 'text'], properties: { id: { type: 'integer' }, text: { type: 'string' }, label: { type: 'string' } } };

function* jsonl(): Generator<Buffer> {
  const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(9).slice(0, 440);
  let chunk = '';
  for (let i = 0; i < RECORDS; i++) {
    chunk += `{"id":${i},"label":"l${i % 7}","text":"${filler}"}\n`;
    if (chunk.length > 1 << 20) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

const stack = await startBenchStack({ datanets: [{ schema }], env: { MAX_RECORDS: String(RECORDS + 1), MAX_UPLOAD_BYTES: String(2 * 1024 ** 3) } });
try {
  let bytes = 0;
  const body = Readable.from(
    (function* () {
      for (const b of jsonl()) {
        bytes += b.length;
        yield b;
      }
    })(),
  );
  const rss = rssSampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await post(`${stack.base}/datanets/1/batches`, { authorization: stack.auth, 'content-type': 'application/x-ndjson' }, body);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = rss.stop();
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${res.text.slice(0, 500)}`);
  const batch = JSON.parse(res.text) as { recordCount: number };
  const db = stack.database.kind;
  console.log(`ingest.records ${batch.recordCount} records, ${(bytes / 1e6).toFixed(1)} MB (avg ${(bytes / batch.recordCount).toFixed(0)} B/record), database ${db}`);
  console.log(`ingest.rate ${(batch.recordCount / seconds).toFixed(0)} records/s`);
  console.log(`ingest.throughput ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
  console.log(`ingest.wall ${seconds.toFixed(2)} s; node process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (one event-loop thread; Postgres runs in its own process)`);
  console.log(`ingest.peak_rss ${(peak / 1024 ** 2).toFixed(0)} MB (client generator and server in one process)`);
} finally {
  await stack.close();
}
