// Adds up the counts forge, Jest and Vitest print, and prints one "N passed, N failed" line.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of text.split('\n')) {
  // forge: "Ran 12 test suites in 1.2s (...): 179 tests passed, 0 failed, 0 skipped (179 total tests)"
  let m = /Ran \d+ test suites?.*?: (\d+) tests passed, (\d+) failed, (\d+) skipped/.exec(line);
  if (m) {
    passed += +m[1]; failed += +m[2]; skipped += +m[3];
    continue;
  }
  // jest: "Tests:       2 failed, 1 skipped, 30 passed, 33 total"; vitest: "Tests  12 passed (12)"
  m = /(?:^|\s)Tests:?\s+((?:\d+ [a-z]+,?\s*)+)/.exec(line);
  if (m) {
    const f = /(\d+) failed/.exec(m[1]);
    const p = /(\d+) passed/.exec(m[1]);
    const s = /(\d+) (?:skipped|todo)/.exec(m[1]);
    if (p || f) {
      passed += p ? +p[1] : 0; failed += f ? +f[1] : 0; skipped += s ? +s[1] : 0;
    }
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
