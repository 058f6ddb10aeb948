import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One contribution's records as stored: text, metadata and one normalized float32 vector per record. */
export interface StoredContribution {
  contributionId: string;
  contributor: string;
  weight: string;
  texts: string[];
  vectors: Float32Array[];
}

export interface Neighbour {
  contributionId: string;
  contributor: string;
  recordIndex: number;
  /** Cosine similarity (vectors are normalized: a dot product). */
  similarity: number;
  text: string;
}

const MAGIC = 0x4f4c5345; // "OLSE"

/**
 * The semantic index of one datanet, on disk next to the span index: one file per contribution
 * (`c-<id>.vec`: magic, header length, JSON header, padding to 4 bytes, row-major float32 vectors),
 * written to a temporary name, fsynced and renamed, so a crash leaves a contribution whole or absent.
 * Revocation writes a tombstone `r-<id>` first, then deletes the vectors. In memory: one matrix,
 * searched by brute force.
 */
export class VectorStore {
  private readonly contributions = new Map<string, StoredContribution>();
  private matrix = new Float32Array(0);
  private rows: Array<{ c: StoredContribution; i: number }> = [];
  private dirty = true;

  /** Contributions stored with another model: their texts, to embed again with this one. */
  readonly stale: Array<Omit<StoredContribution, 'vectors'>> = [];

  private constructor(readonly dir: string, readonly dim: number, readonly fingerprint: string) {}

  static open(dir: string, dim: number, fingerprint: string): VectorStore {
    mkdirSync(dir, { recursive: true });
    const store = new VectorStore(dir, dim, fingerprint);
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
      else if (name.startsWith('c-') && name.endsWith('.vec')) {
        const decoded = decode(readFileSync(join(dir, name)));
        if (!decoded || store.isRevoked(decoded.contributionId)) continue;
        if (decoded.fingerprint === fingerprint && decoded.dim === dim) store.contributions.set(decoded.contributionId, decoded);
        else store.stale.push({ contributionId: decoded.contributionId, contributor: decoded.contributor, weight: decoded.weight, texts: decoded.texts });
      }
    }
    return store;
  }

  get size(): number {
    this.compact();
    return this.rows.length;
  }

  all(): StoredContribution[] {
    return [...this.contributions.values()];
  }

  get(contributionId: string): StoredContribution | undefined {
    return this.contributions.get(contributionId);
  }

  has(contributionId: string): boolean {
    return this.contributions.has(contributionId);
  }

  isRevoked(contributionId: string): boolean {
    return existsSync(join(this.dir, `r-${contributionId}`));
  }

  add(c: StoredContribution): void {
    if (c.vectors.some((v) => v.length !== this.dim)) throw new Error(`vectors must have ${this.dim} dimensions`);
    const path = join(this.dir, `c-${c.contributionId}.vec`);
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, encode(c, this.dim, this.fingerprint));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    this.contributions.set(c.contributionId, c);
    this.dirty = true;
  }

  revoke(contributionId: string): void {
    writeFileSync(join(this.dir, `r-${contributionId}`), '');
    rmSync(join(this.dir, `c-${contributionId}.vec`), { force: true });
    if (this.contributions.delete(contributionId)) this.dirty = true;
  }

  private compact(): void {
    if (!this.dirty) return;
    const list = [...this.contributions.values()].sort((a, b) => (a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0));
    const rows: Array<{ c: StoredContribution; i: number }> = [];
    for (const c of list) for (let i = 0; i < c.vectors.length; i++) rows.push({ c, i });
    const matrix = new Float32Array(rows.length * this.dim);
    rows.forEach((r, n) => matrix.set(r.c.vectors[r.i]!, n * this.dim));
    this.rows = rows;
    this.matrix = matrix;
    this.dirty = false;
  }

  /**
   * The k rows most similar to `query` (normalized), best first, at least `minSimilarity`. Rows are
   * ordered by (contribution id, record index), and ties keep that order: the result is a function
   * of the stored vectors alone.
   */
  nearest(query: Float32Array, k: number, minSimilarity = -Infinity): Neighbour[] {
    this.compact();
    const { dim, matrix } = this;
    const best: Array<{ row: number; sim: number }> = [];
    for (let row = 0, off = 0; row < this.rows.length; row++, off += dim) {
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let j = 0;
      for (; j + 3 < dim; j += 4) {
        d0 += matrix[off + j]! * query[j]!;
        d1 += matrix[off + j + 1]! * query[j + 1]!;
        d2 += matrix[off + j + 2]! * query[j + 2]!;
        d3 += matrix[off + j + 3]! * query[j + 3]!;
      }
      for (; j < dim; j++) d0 += matrix[off + j]! * query[j]!;
      const dot = d0 + d1 + d2 + d3;
      if (dot < minSimilarity || (best.length === k && dot <= best[k - 1]!.sim)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.sim < dot) at--;
      best.splice(at, 0, { row, sim: dot });
      if (best.length > k) best.pop();
    }
    return best.map(({ row, sim }) => {
      const { c, i } = this.rows[row]!;
      return { contributionId: c.contributionId, contributor: c.contributor, recordIndex: i, similarity: sim, text: c.texts[i]! };
    });
  }
}

function encode(c: StoredContribution, dim: number, fingerprint: string): Uint8Array {
  const header = Buffer.from(JSON.stringify({ contributionId: c.contributionId, contributor: c.contributor, weight: c.weight, texts: c.texts, dim, fingerprint }));
  const headerLen = header.length + ((4 - ((8 + header.length) % 4)) % 4);
  const out = Buffer.alloc(8 + headerLen + c.vectors.length * dim * 4, 0x20);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(headerLen, 4);
  header.copy(out, 8);
  const body = new Float32Array(out.buffer, out.byteOffset + 8 + headerLen, c.vectors.length * dim);
  c.vectors.forEach((v, i) => body.set(v, i * dim));
  return out;
}

function decode(buf: Buffer): (StoredContribution & { dim: number; fingerprint: string }) | null {
  if (buf.length < 8 || buf.readUInt32LE(0) !== MAGIC) return null;
  const headerLen = buf.readUInt32LE(4);
  if (8 + headerLen > buf.length) return null;
  const header = JSON.parse(buf.subarray(8, 8 + headerLen).toString('utf8')) as Omit<StoredContribution, 'vectors'> & { dim: number; fingerprint: string };
  const { dim } = header;
  if (buf.length !== 8 + headerLen + header.texts.length * dim * 4) return null;
  const body = new Float32Array(buf.buffer.slice(buf.byteOffset + 8 + headerLen, buf.byteOffset + buf.length));
  const vectors = header.texts.map((_, i) => body.subarray(i * dim, (i + 1) * dim));
  return { contributionId: header.contributionId, contributor: header.contributor, weight: header.weight, texts: header.texts, vectors, dim, fingerprint: header.fingerprint };
}
