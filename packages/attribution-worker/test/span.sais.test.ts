import { existsSync } from 'node:fs';
import { buildSuffixArray, buildSuffixArrayTs, suffixArrayImplementation } from '../src/span/sais.js';
import { rng as rngFor } from '../bench/corpus.js';

/** Reference: sort the suffixes by direct comparison (a shorter suffix that is a prefix comes first). */
function naiveSuffixArray(text: ArrayLike<number>): number[] {
  const n = text.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    for (let d = 0; ; d++) {
      if (a + d === n) return -1;
      if (b + d === n) return 1;
      const x = text[a + d]!;
      const y = text[b + d]!;
      if (x !== y) return x - y;
    }
  });
  return idx;
}

/** Both implementations (the native addon when built, and the TypeScript one) against the reference. */
const check = (text: number[], K: number): void => {
  const expected = naiveSuffixArray(text);
  expect(Array.from(buildSuffixArray(Int32Array.from(text), K))).toEqual(expected);
  expect(Array.from(buildSuffixArrayTs(Int32Array.from(text), K))).toEqual(expected);
};

describe('suffix array (SA-IS)', () => {
  it('sorts the edge cases: one symbol, runs, strictly rising and falling, banana', () => {
    check([0], 1);
    check([3], 4);
    check([1, 1], 2);
    check([0, 0, 0, 0, 0, 0, 0], 1);
    check([1, 2, 3, 4, 5], 6);
    check([5, 4, 3, 2, 1], 6);
    check([1, 2, 1], 3);
    check([2, 1, 2, 1, 2, 1, 2], 3); // alternating: many equal LMS substrings
    check([...'banana'].map((c) => c.charCodeAt(0) - 97), 26);
    check([...'mississippi'].map((c) => c.charCodeAt(0) - 97), 26);
    check([0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1], 2);
  });

  it('matches a direct sort on random texts over small and large alphabets (recursion included)', () => {
    const rand = rngFor(11);
    for (let round = 0; round < 300; round++) {
      const n = 1 + (rand() % 400);
      const K = [2, 3, 4, 16, 1000, 70000][round % 6]!;
      const text = Array.from({ length: n }, () => rand() % K);
      check(text, K);
    }
  });

  it('matches a direct sort on repetitive texts (copies and periodic runs drive deep recursion)', () => {
    const rand = rngFor(5);
    for (let round = 0; round < 40; round++) {
      const unit = Array.from({ length: 1 + (rand() % 7) }, () => rand() % 3);
      const text: number[] = [];
      while (text.length < 2000) {
        if (rand() % 4 === 0) text.push(rand() % 3);
        else text.push(...unit);
      }
      check(text, 3);
    }
  });

  it('runs the native addon whenever it is built, and both agree on a large repetitive text', () => {
    const built = existsSync(new URL('../build/sais.node', import.meta.url));
    expect(suffixArrayImplementation).toBe(built && process.env.OPENLEDGER_SAIS !== 'js' ? 'native' : 'typescript');
    const rand = rngFor(3);
    const text = new Int32Array(300_000);
    for (let i = 0; i < text.length; i++) text[i] = i > 1000 && rand() % 4 === 0 ? text[i - 1000]! : rand() % 50;
    expect(buildSuffixArray(text, 50)).toEqual(buildSuffixArrayTs(text, 50));
    if (suffixArrayImplementation === 'native') expect(() => buildSuffixArray(Int32Array.from([1, 5]), 3)).toThrow('a symbol is outside [0, alphabetSize)');
  });

  it('accepts 16-bit and 32-bit unsigned texts', () => {
    const t = [4, 1, 4, 1, 3, 0, 2];
    expect(Array.from(buildSuffixArray(Uint16Array.from(t), 5))).toEqual(naiveSuffixArray(t));
    expect(Array.from(buildSuffixArray(Uint32Array.from(t), 5))).toEqual(naiveSuffixArray(t));
    expect(buildSuffixArray(new Int32Array(0), 1)).toHaveLength(0);
  });
});
