#!/usr/bin/env node
// Builds the optional native suffix-array addon (native/sais.c → build/sais.node) with the system C
// compiler against this Node's own headers. Without a compiler or headers it prints why and leaves
// the TypeScript implementation in charge (same results, about half the speed); with
// OPENLEDGER_REQUIRE_NATIVE=1 that is an error instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.OPENLEDGER_REQUIRE_NATIVE === '1';
const skip = (why) => {
  process.stderr.write(`native suffix-array addon not built (${why}); the TypeScript implementation is used\n`);
  process.exit(required ? 1 : 0);
};

const includeDirs = [resolve(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
const include = includeDirs.find((d) => existsSync(join(d, 'node_api.h')));
if (!include) skip(`no node_api.h in ${includeDirs.join(', ')}`);
const cc = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c && spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
if (!cc) skip('no C compiler (install gcc, e.g. apt-get install gcc)');

const out = join(pkg, 'build', 'sais.node');
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.tmp`;
const result = spawnSync(cc, ['-O3', '-std=c11', '-Wall', '-shared', '-fPIC', `-I${include}`, '-o', tmp, join(pkg, 'native', 'sais.c')], { stdio: 'inherit' });
if (result.status !== 0) skip(`${cc} failed`);
renameSync(tmp, out);
process.stdout.write(`built ${out} with ${cc}\n`);
