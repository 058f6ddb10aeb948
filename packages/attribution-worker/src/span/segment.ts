import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuffixArray } from './sais.js';

/** One contribution's records as canonical token ids (see tokenizer.ts). */
export interface ContributionTokens {
  contributionId: string;
  contributor: string;
  /** Curator weight (decimal integer string). */
  weight: string;
  records: Uint32Array[];
}

export interface SegmentContribution {
  contributionId: string;
  contributor: string;
  weight: string;
}

/** Largest number of token slots (tokens + one separator per record) in one segment: SA entries are 24-bit. */
export const MAX_SEGMENT_SLOTS = (1 << 24) - 1;

export class SegmentTooLargeError extends Error {
  constructor(slots: number) {
    super(`a segment holds at most ${MAX_SEGMENT_SLOTS} token slots, got ${slots}`);
    this.name = 'SegmentTooLargeError';
  }
}

/** The raw arrays of a built segment (transferable between worker threads). */
export interface SegmentData {
  /** Dense token ids, 0 = end of record; 16-bit when the vocabulary fits, else packed 24-bit. */
  tokens: Uint16Array | Uint8Array;
  tokenWidth: 2 | 3;
  slots: number;
  /** Suffix array of the non-separator positions, packed 24-bit little-endian. */
  sa: Uint8Array;
  /** Dense id d (1-based) ↔ canonical hash vocab[d - 1]. */
  vocab: Uint32Array;
  /** Occurrences of each dense id (index d - 1). */
  counts: Uint32Array;
  /** Position of the first token of each contribution, ascending. */
  contributionStarts: Uint32Array;
  contributions: SegmentContribution[];
  /**
   * Blocked Bloom filter of every FILTER_K-gram of dense ids inside a record (2 bits in one 32-bit
   * word per gram, 2.8 to 5.7 bits per token: 4 in a full segment): lets a query skip this segment at a position whose
   * FILTER_K-gram it does not hold. Absent in segments written before it existed.
   */
  filter?: Uint32Array;
}

/** Length of the grams in a segment's filter: it answers only for spans at least this long. */
export const FILTER_K = 8;

/** Multiplier of the polynomial hash of a FILTER_K-gram of dense ids (32-bit). */
const GRAM_BASE = 0x01000193;

/** The filter word of a gram hash (the filter has a power-of-two number of words). */
function filterWord(h: number, mask: number): number {
  return (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0) & mask;
}
/** The two bits of a gram hash within its word. */
function filterBits(h: number): number {
  const g = Math.imul(h ^ (h >>> 13), 0x297a2d39) >>> 0;
  return (1 << (g & 31)) | (1 << ((g >>> 5) & 31));
}

/** Builds the gram filter of a token array (0 = record separator), about 4 bits per token. */
export function buildGramFilter(text: ArrayLike<number>): Uint32Array {
  // The power of two of 32-bit words nearest 4 bits per token (2.8 to 5.7 bits per token).
  let words = 64;
  while (words * 8 * Math.SQRT2 < text.length) words <<= 1;
  const filter = new Uint32Array(words);
  const mask = words - 1;
  // Rolling hash: h = sum t[i+j]·B^(K-1-j) mod 2^32 over the last K tokens; `run` counts tokens since a separator.
  let pow = 1;
  for (let j = 0; j < FILTER_K - 1; j++) pow = Math.imul(pow, GRAM_BASE);
  let h = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const v = text[i]!;
    if (v === 0) {
      h = 0;
      run = 0;
      continue;
    }
    if (run === FILTER_K) h = (h - Math.imul(text[i - FILTER_K]!, pow)) | 0;
    else run++;
    h = (Math.imul(h, GRAM_BASE) + v) | 0;
    if (run === FILTER_K) filter[filterWord(h, mask)]! |= filterBits(h);
  }
  return filter;
}

/** The gram hash of q[i..i+FILTER_K) of dense ids (unsigned), or -1 when it runs past the end or holds a token outside the vocabulary. */
export function gramHash(q: Int32Array, i: number): number {
  if (i + FILTER_K > q.length) return -1;
  let h = 0;
  for (let j = 0; j < FILTER_K; j++) {
    const v = q[i + j]!;
    if (v <= 0) return -1;
    h = (Math.imul(h, GRAM_BASE) + v) | 0;
  }
  return h >>> 0; // unsigned, so no hash collides with the -1 of an absent gram
}

/** Open-addressing hash → provisional id table on typed arrays. */
class HashIds {
  keys: Uint32Array;
  ids: Int32Array;
  mask: number;
  size = 0;
  constructor(capacity: number) {
    let cap = 1024;
    while (cap < capacity * 2) cap <<= 1;
    this.keys = new Uint32Array(cap);
    this.ids = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }
  get(key: number): number {
    let h = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const id = this.ids[h]!;
      if (id < 0) return -1;
      if (this.keys[h] === key) return id;
      h = (h + 1) & this.mask;
    }
  }
  getOrAdd(key: number): number {
    let h = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const id = this.ids[h]!;
      if (id < 0) {
        if (this.size * 2 >= this.mask) this.grow();
        else {
          this.keys[h] = key;
          this.ids[h] = this.size;
          return this.size++;
        }
        return this.getOrAdd(key);
      }
      if (this.keys[h] === key) return id;
      h = (h + 1) & this.mask;
    }
  }
  private grow(): void {
    const { keys, ids } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2).fill(-1);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      let h = Math.imul(keys[i]!, 0x9e3779b1) >>> 0 & this.mask;
      while (this.ids[h]! >= 0) h = (h + 1) & this.mask;
      this.keys[h] = keys[i]!;
      this.ids[h] = id;
    }
  }
}

/** Builds a segment: dense vocabulary, token array with record separators, 24-bit suffix array. */
export function buildSegmentData(input: ContributionTokens[]): SegmentData {
  let slots = 0;
  for (const c of input) for (const r of c.records) slots += r.length + 1;
  if (slots > MAX_SEGMENT_SLOTS) throw new SegmentTooLargeError(slots);
  const table = new HashIds(Math.min(slots, 1 << 20));
  const text = new Uint32Array(slots);
  const contributionStarts = new Uint32Array(input.length);
  const vocabList: number[] = [];
  let p = 0;
  input.forEach((c, ci) => {
    contributionStarts[ci] = p;
    for (const r of c.records) {
      for (let i = 0; i < r.length; i++) {
        const h = r[i]!;
        const before = table.size;
        const id = table.getOrAdd(h);
        if (id === before) vocabList.push(h);
        text[p++] = id + 1;
      }
      text[p++] = 0;
    }
  });
  const V = vocabList.length;
  const counts = new Uint32Array(V);
  for (let i = 0; i < slots; i++) if (text[i]! > 0) counts[text[i]! - 1]!++;
  const sa32 = buildSuffixArray(new Int32Array(text.buffer, text.byteOffset, text.length), V + 1);
  const separators = slots - countNonZero(text);
  const entries = slots - separators;
  const sa = new Uint8Array(entries * 3);
  for (let k = 0; k < entries; k++) {
    const v = sa32[k + separators]!;
    sa[k * 3] = v & 0xff;
    sa[k * 3 + 1] = (v >>> 8) & 0xff;
    sa[k * 3 + 2] = v >>> 16;
  }
  let tokens: Uint16Array | Uint8Array;
  let tokenWidth: 2 | 3;
  if (V < 0xffff) {
    tokens = Uint16Array.from(text);
    tokenWidth = 2;
  } else {
    tokens = new Uint8Array(slots * 3);
    for (let i = 0; i < slots; i++) {
      const v = text[i]!;
      tokens[i * 3] = v & 0xff;
      tokens[i * 3 + 1] = (v >>> 8) & 0xff;
      tokens[i * 3 + 2] = v >>> 16;
    }
    tokenWidth = 3;
  }
  return {
    tokens,
    tokenWidth,
    slots,
    sa,
    vocab: Uint32Array.from(vocabList),
    counts,
    contributionStarts,
    contributions: input.map(({ contributionId, contributor, weight }) => ({ contributionId, contributor, weight })),
    filter: buildGramFilter(text),
  };
}

function countNonZero(a: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
  return n;
}

/** A built segment, queryable. Query token ids are this segment's dense ids (-1 = not in its vocabulary). */
export class Segment {
  readonly data: SegmentData;
  readonly entries: number;
  private readonly dense: HashIds;
  private readonly t16: Uint16Array | undefined;
  private readonly t8: Uint8Array | undefined;
  private readonly sa: Uint8Array;

  constructor(readonly id: string, data: SegmentData) {
    this.data = data;
    this.entries = data.sa.length / 3;
    this.sa = data.sa;
    if (data.tokenWidth === 2) this.t16 = data.tokens as Uint16Array;
    else this.t8 = data.tokens as Uint8Array;
    this.dense = new HashIds(data.vocab.length);
    for (let i = 0; i < data.vocab.length; i++) this.dense.getOrAdd(data.vocab[i]!);
    // The suffix array is bucketed by first token (dense order): bucket d spans [start[d], start[d+1]).
    this.bucketStart = new Uint32Array(data.vocab.length + 2);
    let sum = 0;
    for (let d = 1; d <= data.vocab.length; d++) {
      this.bucketStart[d] = sum;
      sum += data.counts[d - 1]!;
    }
    this.bucketStart[data.vocab.length + 1] = sum;
  }

  private readonly bucketStart: Uint32Array;

  get tokenCount(): number {
    return this.entries;
  }

  /**
   * False when this segment certainly holds no occurrence of q[i..i+FILTER_K) (so no match of
   * FILTER_K tokens or more starts there); true when it may. `hash` is gramHash(q, i).
   */
  mayHoldGram(hash: number): boolean {
    const f = this.data.filter;
    if (!f) return true;
    if (hash === -1) return false;
    const bits = filterBits(hash);
    return (f[filterWord(hash, f.length - 1)]! & bits) === bits;
  }

  get contributions(): SegmentContribution[] {
    return this.data.contributions;
  }

  /** Bytes held by the segment's arrays. */
  get byteSize(): number {
    const d = this.data;
    return (
      d.tokens.byteLength + d.sa.byteLength + d.vocab.byteLength + d.counts.byteLength + d.contributionStarts.byteLength + (d.filter?.byteLength ?? 0)
    );
  }

  /** Dense id of a canonical hash, or -1. */
  denseId(hash: number): number {
    const id = this.dense.get(hash);
    return id < 0 ? -1 : id + 1;
  }

  /** Occurrences of a canonical token in this segment. */
  countOf(hash: number): number {
    const id = this.dense.get(hash);
    return id < 0 ? 0 : this.data.counts[id]!;
  }

  mapQuery(hashes: Uint32Array): Int32Array {
    const q = new Int32Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) q[i] = this.denseId(hashes[i]!);
    return q;
  }

  saAt(k: number): number {
    const s = this.sa;
    const o = k * 3;
    return s[o]! | (s[o + 1]! << 8) | (s[o + 2]! << 16);
  }

  tokAt(p: number): number {
    if (this.t16) return this.t16[p]!;
    const t = this.t8!;
    const o = p * 3;
    return t[o]! | (t[o + 1]! << 8) | (t[o + 2]! << 16);
  }

  /**
   * Compares suffix `p` with q[i..end): -(lcp+1) when the suffix is smaller, 2·lcp when it starts with
   * the whole query, 2·lcp+1 when it is greater. Records end with 0, smaller than every query token.
   */
  private compare(p: number, q: Int32Array, i: number, end: number): number {
    let d = 0;
    for (;;) {
      if (i + d >= end) return d << 1; // equal on the whole query: even
      const a = this.tokAt(p + d);
      const b = q[i + d]!;
      if (a !== b) return a < b ? -(d + 1) : (d << 1) | 1; // smaller: negative; greater: odd
      d++;
    }
  }

  /**
   * Suffix-array index where the last {@link longestMatch} would insert q[i..] (the first suffix not
   * smaller than it); the suffixes sharing the longest match lie around it.
   */
  lastInsertion = 0;

  /** Length of the longest prefix of q[i..] that occurs in this segment (sets {@link lastInsertion}). */
  longestMatch(q: Int32Array, i: number): number {
    const first = q[i]!;
    if (first <= 0) return 0;
    const end = q.length;
    let lo = this.bucketStart[first]!;
    let hi = this.bucketStart[first + 1]!;
    if (lo === hi) return 0;
    let best = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.compare(this.saAt(mid), q, i, end);
      const lcp = r < 0 ? -r - 1 : r >> 1;
      if (lcp > best) best = lcp;
      if (r < 0) lo = mid + 1;
      else hi = mid;
    }
    this.lastInsertion = lo;
    return best;
  }

  /** Whether the suffix at SA index k starts with q[i..i+len). */
  private startsWith(k: number, q: Int32Array, i: number, len: number): boolean {
    const p = this.saAt(k);
    for (let d = 0; d < len; d++) if (this.tokAt(p + d) !== q[i + d]) return false;
    return true;
  }

  /**
   * [lo, hi) of suffixes starting with q[i..i+len), given an index `around` inside the range or at its
   * end (the insertion point of a longer pattern with this prefix): exponential search each way, so
   * O(log occurrences) comparisons instead of two searches over the whole bucket.
   */
  rangeAround(q: Int32Array, i: number, len: number, around: number): [number, number] {
    const token = q[i]!;
    const bucketLo = this.bucketStart[token]!;
    const bucketHi = this.bucketStart[token + 1]!;
    // A matching index to start from: `around` itself, or the one before it when `around` is the end.
    let start = around;
    if (!(start < bucketHi && this.startsWith(start, q, i, len))) {
      start = around - 1;
      if (!(start >= bucketLo && this.startsWith(start, q, i, len))) return [around, around];
    }
    // Left edge: gallop down to a non-matching index (or the bucket start), then bisect.
    let good = start;
    let bad = bucketLo - 1;
    for (let step = 1; good - step >= bucketLo; step <<= 1) {
      if (this.startsWith(good - step, q, i, len)) good -= step;
      else {
        bad = good - step;
        break;
      }
    }
    while (bad + 1 < good) {
      const mid = (bad + good) >>> 1;
      if (this.startsWith(mid, q, i, len)) good = mid;
      else bad = mid;
    }
    const first = good;
    // Right edge: gallop up, then bisect.
    good = start;
    bad = bucketHi;
    for (let step = 1; good + step < bucketHi; step <<= 1) {
      if (this.startsWith(good + step, q, i, len)) good += step;
      else {
        bad = good + step;
        break;
      }
    }
    while (good + 1 < bad) {
      const mid = (good + bad) >>> 1;
      if (this.startsWith(mid, q, i, len)) good = mid;
      else bad = mid;
    }
    return [first, good + 1];
  }

  /** [lo, hi) of suffixes starting with q[i..i+len). */
  range(q: Int32Array, i: number, len: number): [number, number] {
    const end = i + len;
    const token = q[i]!;
    if (token <= 0) return [0, 0];
    let lo = this.bucketStart[token]!;
    let hi = this.bucketStart[token + 1]!;
    const bucketEnd = hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.saAt(mid), q, i, end) < 0) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = bucketEnd;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.compare(this.saAt(mid), q, i, end);
      if (r < 0 || (r & 1) === 0) lo = mid + 1; // smaller, or equal on the whole pattern
      else hi = mid;
    }
    return [first, lo];
  }

  /** Index into `contributions` of the contribution holding position p. */
  contributionAt(p: number): number {
    const starts = this.data.contributionStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The records of every contribution, as canonical hashes (to rebuild or merge). */
  decode(): ContributionTokens[] {
    const out: ContributionTokens[] = [];
    const { contributionStarts, contributions, vocab, slots } = this.data;
    for (let ci = 0; ci < contributions.length; ci++) {
      const start = contributionStarts[ci]!;
      const stop = ci + 1 < contributions.length ? contributionStarts[ci + 1]! : slots;
      const records: Uint32Array[] = [];
      let rs = start;
      for (let p = start; p < stop; p++) {
        if (this.tokAt(p) === 0) {
          const r = new Uint32Array(p - rs);
          for (let k = rs; k < p; k++) r[k - rs] = vocab[this.tokAt(k) - 1]!;
          records.push(r);
          rs = p + 1;
        }
      }
      out.push({ ...contributions[ci]!, records });
    }
    return out;
  }

  save(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const d = this.data;
    const write = (name: string, a: ArrayBufferView): void => {
      const tmp = join(dir, `${this.id}.${name}.tmp`);
      writeFileSync(tmp, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      renameSync(tmp, join(dir, `${this.id}.${name}`));
    };
    write('tok', d.tokens);
    write('sa', d.sa);
    write('vocab', d.vocab);
    write('counts', d.counts);
    write('starts', d.contributionStarts);
    if (d.filter) write('filter', d.filter);
    const meta = { tokenWidth: d.tokenWidth, slots: d.slots, contributions: d.contributions };
    writeFileSync(join(dir, `${this.id}.meta.tmp`), JSON.stringify(meta));
    renameSync(join(dir, `${this.id}.meta.tmp`), join(dir, `${this.id}.meta.json`));
  }

  static load(dir: string, id: string): Segment {
    const meta = JSON.parse(readFileSync(join(dir, `${id}.meta.json`), 'utf8')) as {
      tokenWidth: 2 | 3;
      slots: number;
      contributions: SegmentContribution[];
    };
    const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, `${id}.${name}`)));
    const u32 = (name: string): Uint32Array => {
      const b = bytes(name);
      return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    };
    const tokBytes = bytes('tok');
    const tokens = meta.tokenWidth === 2 ? new Uint16Array(tokBytes.buffer, tokBytes.byteOffset, tokBytes.byteLength / 2) : tokBytes;
    return new Segment(id, {
      tokens,
      tokenWidth: meta.tokenWidth,
      slots: meta.slots,
      sa: bytes('sa'),
      vocab: u32('vocab'),
      counts: u32('counts'),
      contributionStarts: u32('starts'),
      contributions: meta.contributions,
      ...(existsSync(join(dir, `${id}.filter`)) ? { filter: u32('filter') } : {}),
    });
  }
}
