/**
 * Suffix array construction by induced sorting (SA-IS, Nong–Zhang–Chan 2009), on typed arrays,
 * with a virtual end sentinel smaller than every symbol. Symbols are integers in [0, alphabetSize).
 * Linear time and memory: the text, the suffix array, one byte of type per symbol and bucket arrays.
 */
type Text = Uint16Array | Uint32Array | Int32Array;

export function buildSuffixArray(text: Text, alphabetSize: number): Int32Array {
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

function sais(T: Int32Array, SA: Int32Array, n: number, K: number): void {
  if (n === 1) {
    SA[0] = 0;
    return;
  }
  // Types: 1 = S, 0 = L. The last symbol is L (the virtual sentinel after it is smaller).
  const t = new Uint8Array(n);
  for (let i = n - 2; i >= 0; i--) {
    const a = T[i]!;
    const b = T[i + 1]!;
    t[i] = a < b || (a === b && t[i + 1] === 1) ? 1 : 0;
  }
  const counts = new Int32Array(K);
  for (let i = 0; i < n; i++) counts[T[i]!]!++;
  const B = new Int32Array(K);
  const isLMS = (i: number): boolean => i > 0 && i < n && t[i] === 1 && t[i - 1] === 0;

  const induce = (): void => {
    bucketStarts(counts, B);
    SA[B[T[n - 1]!]!++] = n - 1; // the suffix just before the sentinel
    for (let i = 0; i < n; i++) {
      const j = SA[i]! - 1;
      if (j >= 0 && t[j] === 0) SA[B[T[j]!]!++] = j;
    }
    bucketEnds(counts, B);
    for (let i = n - 1; i >= 0; i--) {
      const j = SA[i]! - 1;
      if (j >= 0 && t[j] === 1) SA[--B[T[j]!]!] = j;
    }
  };

  // Stage 1: sort LMS substrings.
  SA.fill(-1);
  bucketEnds(counts, B);
  for (let i = 1; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) SA[--B[T[i]!]!] = i;
  induce();

  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = SA[i]!;
    if (isLMS(p)) SA[m++] = p;
  }
  SA.fill(-1, m, n);
  let name = 0;
  let prev = -1;
  for (let i = 0; i < m; i++) {
    const pos = SA[i]!;
    let diff = false;
    if (prev < 0) diff = true;
    else {
      for (let d = 0; ; d++) {
        if (pos + d === n || prev + d === n) {
          diff = true;
          break;
        }
        if (T[pos + d] !== T[prev + d] || t[pos + d] !== t[prev + d]) {
          diff = true;
          break;
        }
        if (d > 0 && (isLMS(pos + d) || isLMS(prev + d))) {
          diff = !(isLMS(pos + d) && isLMS(prev + d));
          break;
        }
      }
    }
    if (diff) {
      name++;
      prev = pos;
    }
    SA[m + (pos >> 1)] = name - 1;
  }
  for (let i = n - 1, j = n - 1; i >= m; i--) if (SA[i]! >= 0) SA[j--] = SA[i]!;

  // Stage 2: sort the reduced problem.
  const s1 = SA.subarray(n - m, n);
  const sa1 = SA.subarray(0, m);
  if (name < m) sais(s1, sa1, m, name);
  else for (let i = 0; i < m; i++) sa1[s1[i]!] = i;

  // Stage 3: induce the full order from the sorted LMS suffixes.
  for (let i = 1, j = 0; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) s1[j++] = i;
  for (let i = 0; i < m; i++) sa1[i] = s1[sa1[i]!]!;
  SA.fill(-1, m, n);
  bucketEnds(counts, B);
  for (let i = m - 1; i >= 0; i--) {
    const j = SA[i]!;
    SA[i] = -1;
    SA[--B[T[j]!]!] = j;
  }
  induce();
}
