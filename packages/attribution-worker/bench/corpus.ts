import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tokenHash, tokenStrings } from '../src/span/tokenizer.js';

/** Prose already on this machine: package READMEs under node_modules and the common licenses. */
export function trainingText(maxBytes = 4_000_000): string {
  const root = new URL('../../../', import.meta.url).pathname;
  const files = execSync(
    `find ${root}node_modules/.pnpm -maxdepth 4 -name README.md -size +8k 2>/dev/null | sort | head -3000; ls /usr/share/common-licenses/* 2>/dev/null`,
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  )
    .split('\n')
    .filter(Boolean);
  let text = '';
  for (const f of files) {
    try {
      text += readFileSync(f, 'utf8') + '\n';
    } catch {
      /* unreadable: skip */
    }
    if (text.length > maxBytes) break;
  }
  return text;
}

/** Deterministic xorshift32. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** An order-2 word Markov chain over canonical token hashes, in flat typed arrays. */
export class MarkovChain {
  private readonly contexts = new Map<number, number>();
  /** Open-addressing copy of `contexts` for generation: key a*V+b+1 → context index. */
  private tableKeys: Uint32Array = new Uint32Array(0);
  private tableVals: Int32Array = new Int32Array(0);
  private mask = 0;
  private offsets: Uint32Array;
  private nexts: Uint32Array;
  readonly vocab: Uint32Array;
  readonly startIds: Uint32Array;

  constructor(text: string) {
    const tokens = tokenStrings(text);
    const ids = new Map<string, number>();
    const seq = new Uint32Array(tokens.length);
    const vocab: number[] = [];
    tokens.forEach((t, i) => {
      let id = ids.get(t);
      if (id === undefined) {
        id = vocab.length;
        ids.set(t, id);
        vocab.push(tokenHash(t));
      }
      seq[i] = id;
    });
    this.vocab = Uint32Array.from(vocab);
    const V = vocab.length;
    const counts = new Map<number, number>();
    for (let i = 2; i < seq.length; i++) {
      const key = seq[i - 2]! * V + seq[i - 1]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let total = 0;
    const cursor = new Map<number, number>();
    for (const [key, c] of counts) {
      this.contexts.set(key, cursor.size);
      cursor.set(key, total);
      total += c;
    }
    this.offsets = new Uint32Array(cursor.size + 1);
    let k = 0;
    for (const start of cursor.values()) this.offsets[k++] = start;
    this.offsets[k] = total;
    this.nexts = new Uint32Array(total);
    const fill = new Map(cursor);
    for (let i = 2; i < seq.length; i++) {
      const key = seq[i - 2]! * V + seq[i - 1]!;
      const at = fill.get(key)!;
      this.nexts[at] = seq[i]!;
      fill.set(key, at + 1);
    }
    this.startIds = seq.subarray(0, Math.min(seq.length, 1 << 20)).slice();
    this.V = V;
    this.tokenCount = seq.length;
    let cap = 1024;
    while (cap < this.contexts.size * 2) cap <<= 1;
    this.tableKeys = new Uint32Array(cap);
    this.tableVals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (const [key, ctx] of this.contexts) {
      let h = (Math.imul(key + 1, 0x9e3779b1) >>> 0) & this.mask;
      while (this.tableVals[h]! >= 0) h = (h + 1) & this.mask;
      this.tableKeys[h] = key + 1;
      this.tableVals[h] = ctx;
    }
  }

  private context(key: number): number {
    let h = (Math.imul(key + 1, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const v = this.tableVals[h]!;
      if (v < 0 || this.tableKeys[h] === key + 1) return v;
      h = (h + 1) & this.mask;
    }
  }
  readonly V: number;
  readonly tokenCount: number;

  /** `n` tokens (as canonical hashes) into out[at..]. */
  generate(out: Uint32Array, at: number, n: number, rand: () => number): void {
    const start = rand() % (this.startIds.length - 2);
    let a = this.startIds[start]!;
    let b = this.startIds[start + 1]!;
    for (let i = 0; i < n; i++) {
      const ctx = this.context(a * this.V + b);
      let c: number;
      if (ctx < 0) c = this.startIds[rand() % this.startIds.length]!;
      else {
        const lo = this.offsets[ctx]!;
        const hi = this.offsets[ctx + 1]!;
        c = this.nexts[lo + (rand() % (hi - lo))]!;
      }
      out[at + i] = this.vocab[c]!;
      a = b;
      b = c;
    }
  }
}
