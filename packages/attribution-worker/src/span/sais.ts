/**
 * Suffix array construction by induced sorting (SA-IS, Nong–Zhang–Chan 2009) on typed arrays, with a
 * virtual end sentinel smaller than every symbol. Symbols are integers in [0, alphabetSize).
 *
 * Linear time; memory is the text, the suffix array and two bucket arrays: no type array. Suffix
 * types are read off the text where they are needed (a suffix placed by the L pass is L-type, so its
 * predecessor is L-type exactly when its symbol is not smaller; likewise for the S pass), and the
 * sign of an entry says whether the pass that reads it next must induce from it. That keeps every
 * induction step to one random access into the text (the predecessor's symbol and the one before it
 * share a cache line), which is what bounds the speed of this algorithm on large inputs.
 *
 * Entry encoding during the passes: 0 is empty (suffix 0 has no predecessor, so it never induces and
 * may share the value), a positive p is a suffix to induce from, ~p (negative) a placed suffix that
 * this pass must skip.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Text = Uint16Array | Uint32Array | Int32Array;
type NativeBuild = (text: Int32Array, alphabetSize: number) => Int32Array;

/**
 * The same algorithm in C (native/sais.c), about twice as fast, when native/build.mjs could build it
 * (the package build runs it); OPENLEDGER_SAIS=js forces the TypeScript implementation.
 */
const native: NativeBuild | undefined = loadNative();

function loadNative(): NativeBuild | undefined {
  if (process.env.OPENLEDGER_SAIS === 'js') return undefined;
  try {
    const path = fileURLToPath(new URL('../../build/sais.node', import.meta.url));
    return (createRequire(import.meta.url)(path) as { buildSuffixArray: NativeBuild }).buildSuffixArray;
  } catch {
    return undefined;
  }
}

/** Which implementation {@link buildSuffixArray} runs. */
export const suffixArrayImplementation: 'native' | 'typescript' = native ? 'native' : 'typescript';

/** The suffix array of `text` (symbols in [0, alphabetSize)), natively when the addon is built. */
export function buildSuffixArray(text: Text, alphabetSize: number): Int32Array {
  if (text.length === 0) return new Int32Array(0);
  const t = text instanceof Int32Array ? text : Int32Array.from(text);
  return native ? native(t, alphabetSize) : buildSuffixArrayTs(t, alphabetSize);
}

/** The TypeScript implementation (the fallback; tests compare the two). */
export function buildSuffixArrayTs(text: Text, alphabetSize: number): Int32Array {
  const n = text.length;
  const sa = new Int32Array(n);
  if (n === 0) return sa;
  // One element type in every recursion level keeps the hot loops monomorphic.
  sais(text instanceof Int32Array ? text : Int32Array.from(text), sa, n, alphabetSize);
  return sa;
}

function bucketStarts(counts: Int32Array, out: Int32Array): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    out[c] = sum;
    sum += counts[c]!;
  }
}

function bucketEnds(counts: Int32Array, out: Int32Array): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    sum += counts[c]!;
    out[c] = sum;
  }
}

/**
 * L pass: scans left to right; a positive entry j induces the L-type suffix j - 1 at the head of its
 * bucket. The suffix n - 1 (L-type: the sentinel follows) is placed first. With `keep` false (stage 1)
 * entries that induced are cleared; otherwise they stay, negated, so the S pass skips them. Negative
 * entries (L-type suffixes whose predecessor is S-type) are made positive for the S pass.
 */
function induceL(T: Int32Array, SA: Int32Array, n: number, B: Int32Array, keep: boolean): void {
  let c1 = T[n - 1]!;
  let b = B[c1]!;
  const last = n - 1;
  SA[b++] = last > 0 && T[last - 1]! < c1 ? ~last : last;
  for (let i = 0; i < n; i++) {
    const j = SA[i]!;
    if (j > 0) {
      const p = j - 1;
      const c0 = T[p]!;
      if (c0 !== c1) {
        B[c1] = b;
        c1 = c0;
        b = B[c0]!;
      }
      SA[b++] = p > 0 && T[p - 1]! < c0 ? ~p : p;
      SA[i] = keep ? ~j : 0;
    } else if (j < 0) SA[i] = ~j;
  }
}

/**
 * S pass: scans right to left; a positive entry j induces the S-type suffix j - 1 at the tail of its
 * bucket, negated when its predecessor is L-type (an LMS suffix: nothing more to induce from it).
 * With `keep` false (stage 1) entries that induced are cleared, so only the LMS suffixes remain.
 */
function induceS(T: Int32Array, SA: Int32Array, n: number, B: Int32Array, keep: boolean): void {
  let c1 = 0;
  let b = B[0]!;
  for (let i = n - 1; i >= 0; i--) {
    const j = SA[i]!;
    if (j > 0) {
      const p = j - 1;
      const c0 = T[p]!;
      if (c0 !== c1) {
        B[c1] = b;
        c1 = c0;
        b = B[c0]!;
      }
      SA[--b] = p > 0 && T[p - 1]! > c0 ? ~p : p;
      if (!keep) SA[i] = 0;
    }
  }
}

function sais(T: Int32Array, SA: Int32Array, n: number, K: number): void {
  if (n === 1) {
    SA[0] = 0;
    return;
  }
  const counts = new Int32Array(K);
  for (let i = 0; i < n; i++) counts[T[i]!]!++;
  const B = new Int32Array(K);

  // Stage 1: LMS suffixes at their bucket tails (text order within a bucket does not matter), then
  // one L and one S pass sort them by their LMS substrings.
  SA.fill(0);
  bucketEnds(counts, B);
  let m = 0;
  {
    let c1 = T[n - 1]!;
    let s = false; // the type of i + 1; n - 1 is L-type
    for (let i = n - 2; i >= 0; i--) {
      const c0 = T[i]!;
      const si: boolean = c0 < c1 || (c0 === c1 && s);
      if (!si && s) {
        SA[--B[c1]!] = i + 1; // i + 1 is LMS
        m++;
      }
      s = si;
      c1 = c0;
    }
  }
  if (m > 0) {
    bucketStarts(counts, B);
    induceL(T, SA, n, B, false);
    bucketEnds(counts, B);
    induceS(T, SA, n, B, false);
  }

  // The sorted LMS suffixes, compacted to the front.
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = SA[i]!;
    if (v < 0) SA[k++] = ~v;
  }
  // k === m: every LMS suffix survives stage 1.

  // Lengths of the LMS substrings (up to and including the next LMS symbol; the last one runs into
  // the sentinel) at SA[m + (p >> 1)]: two LMS positions are at least 2 apart, so the slots are distinct.
  SA.fill(0, m, n);
  {
    let c1 = T[n - 1]!;
    let s = false;
    let next = n; // the sentinel counts as the LMS after the last one
    for (let i = n - 2; i >= 0; i--) {
      const c0 = T[i]!;
      const si: boolean = c0 < c1 || (c0 === c1 && s);
      if (!si && s) {
        const p = i + 1;
        SA[m + (p >> 1)] = next - p + 1;
        next = p;
      }
      s = si;
      c1 = c0;
    }
  }

  // Names: equal LMS substrings (same length, same symbols) get the same name, in sorted order.
  let name = 0;
  let prev = -1;
  let prevLen = 0;
  for (let i = 0; i < m; i++) {
    const pos = SA[i]!;
    const len = SA[m + (pos >> 1)]!;
    let diff = true;
    if (len === prevLen && pos + len <= n && prev + len <= n) {
      diff = false;
      for (let d = 0; d < len; d++) {
        if (T[pos + d] !== T[prev + d]) {
          diff = true;
          break;
        }
      }
    }
    if (diff) {
      name++;
      prev = pos;
      prevLen = len;
    }
    SA[m + (pos >> 1)] = name; // 1-based: 0 stays "empty"
  }
  for (let i = n - 1, j = n - 1; i >= m; i--) {
    const v = SA[i]!;
    if (v > 0) SA[j--] = v - 1;
  }

  // Stage 2: sort the reduced problem (the names in text order).
  const s1 = SA.subarray(n - m, n);
  const sa1 = SA.subarray(0, m);
  if (name < m) sais(s1, sa1, m, name);
  else for (let i = 0; i < m; i++) sa1[s1[i]!] = i;

  // Stage 3: LMS positions in text order, mapped through the reduced suffix array; placed at their
  // bucket tails in sorted order; the two passes then induce every other suffix.
  {
    let c1 = T[n - 1]!;
    let s = false;
    let j = m;
    for (let i = n - 2; i >= 0; i--) {
      const c0 = T[i]!;
      const si: boolean = c0 < c1 || (c0 === c1 && s);
      if (!si && s) s1[--j] = i + 1;
      s = si;
      c1 = c0;
    }
  }
  for (let i = 0; i < m; i++) sa1[i] = s1[sa1[i]!]!;
  SA.fill(0, m, n);
  bucketEnds(counts, B);
  for (let i = m - 1; i >= 0; i--) {
    const p = SA[i]!;
    SA[i] = 0;
    SA[--B[T[p]!]!] = p; // an LMS suffix: its predecessor is L-type, the L pass induces from it
  }
  bucketStarts(counts, B);
  induceL(T, SA, n, B, true);
  bucketEnds(counts, B);
  induceS(T, SA, n, B, true);
  for (let i = 0; i < n; i++) {
    const v = SA[i]!;
    if (v < 0) SA[i] = ~v;
  }
}
