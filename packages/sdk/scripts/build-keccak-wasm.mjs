#!/usr/bin/env node
// Generates src/merkle/keccak-wasm.generated.ts: a small WebAssembly module (written here as WAT,
// assembled with the `wabt` dev dependency) with keccak256 and the two hot loops of an
// OpenZeppelin StandardMerkleTree (double-hashed leaves; sorted-pair internal nodes).
// Run: node scripts/build-keccak-wasm.mjs   (the output is committed; tests check it against @noble/hashes)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'src', 'merkle', 'keccak-wasm.generated.ts');

// Round constants by the LFSR of FIPS 202 §3.2.5.
function roundConstants() {
  // the usual byte-oriented LFSR: x^8 + x^6 + x^5 + x^4 + 1
  let lfsr = 1;
  const out = [];
  for (let round = 0; round < 24; round++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) {
      if (lfsr & 1) rc |= 1n << BigInt((1 << j) - 1);
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    }
    out.push(rc);
  }
  return out;
}

// Rotation offsets r[x][y] and the π permutation, derived as in FIPS 202 §3.2.2.
const rot = Array.from({ length: 5 }, () => new Array(5).fill(0));
{
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    rot[x][y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
}

const lane = (x, y) => x + 5 * y;
const L = [];
const emit = (s) => L.push(s);
const a = (i) => `$a${i}`;
const b = (i) => `$b${i}`;

function rotl(expr, n) {
  return n === 0 ? expr : `(i64.rotl ${expr} (i64.const ${n}))`;
}

function permutationRound() {
  // θ
  for (let x = 0; x < 5; x++) {
    emit(`(local.set $c${x} (i64.xor (i64.xor (i64.xor (i64.xor (local.get ${a(lane(x, 0))}) (local.get ${a(lane(x, 1))})) (local.get ${a(lane(x, 2))})) (local.get ${a(lane(x, 3))})) (local.get ${a(lane(x, 4))})))`);
  }
  for (let x = 0; x < 5; x++) {
    emit(`(local.set $d${x} (i64.xor (local.get $c${(x + 4) % 5}) ${rotl(`(local.get $c${(x + 1) % 5})`, 1)}))`);
  }
  // θ apply + ρ + π: B[y][2x+3y] = rotl(A[x][y] ^ D[x], r[x][y])
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const target = lane(y, (2 * x + 3 * y) % 5);
      emit(`(local.set ${b(target)} ${rotl(`(i64.xor (local.get ${a(lane(x, y))}) (local.get $d${x}))`, rot[x][y])})`);
    }
  }
  // χ
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      emit(
        `(local.set ${a(lane(x, y))} (i64.xor (local.get ${b(lane(x, y))}) (i64.and (i64.xor (local.get ${b(lane((x + 1) % 5, y))}) (i64.const -1)) (local.get ${b(lane((x + 2) % 5, y))}))))`,
      );
    }
  }
  // ι
  emit(`(local.set $a0 (i64.xor (local.get $a0) (i64.load (local.get $r))))`);
}

const RATE = 136;
const PAD = 256; // padded final block
const TMP = 512; // inner hash of a leaf
const PAIR = 576; // swapped pair of a node

const rcBytes = roundConstants()
  .map((rc) => {
    let s = '';
    for (let i = 0; i < 8; i++) s += '\\' + Number((rc >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
    return s;
  })
  .join('');

emit('(module');
emit('(memory (export "memory") 1)');
emit(`(data (i32.const 0) "${rcBytes}")`);
emit('(func $keccak (export "keccak") (param $in i32) (param $len i32) (param $out i32)');
for (let i = 0; i < 25; i++) emit(`(local $a${i} i64) (local $b${i} i64)`);
for (let i = 0; i < 5; i++) emit(`(local $c${i} i64) (local $d${i} i64)`);
emit('(local $r i32) (local $p i32) (local $final i32)');
// Fast path for a final block whose length is a multiple of 8 (the 32- and 64-byte inputs of every
// Merkle leaf and node): absorb whole lanes straight from the input and pad in registers, without
// the scratch copy of the generic path below.
emit(`(if (i32.and (i32.lt_u (local.get $len) (i32.const ${RATE})) (i32.eqz (i32.and (local.get $len) (i32.const 7))))`);
emit('(then');
for (let i = 0; i < RATE / 8; i++) {
  emit(`(if (i32.gt_u (local.get $len) (i32.const ${8 * i})) (then (local.set $a${i} (i64.load offset=${8 * i} align=1 (local.get $in)))))`);
}
for (let i = 0; i < RATE / 8; i++) {
  emit(`(if (i32.eq (local.get $len) (i32.const ${8 * i})) (then (local.set $a${i} (i64.const 1))))`);
}
emit('(local.set $a16 (i64.xor (local.get $a16) (i64.const 0x8000000000000000)))');
emit('(local.set $final (i32.const 2))))');
emit('(loop $absorb');
emit('(if (i32.ne (local.get $final) (i32.const 2)) (then');
emit(`(if (i32.ge_u (local.get $len) (i32.const ${RATE}))`);
emit(`(then (local.set $p (local.get $in)) (local.set $in (i32.add (local.get $in) (i32.const ${RATE}))) (local.set $len (i32.sub (local.get $len) (i32.const ${RATE}))))`);
emit(`(else (memory.fill (i32.const ${PAD}) (i32.const 0) (i32.const ${RATE})) (memory.copy (i32.const ${PAD}) (local.get $in) (local.get $len))`);
emit(`(i32.store8 (i32.add (i32.const ${PAD}) (local.get $len)) (i32.xor (i32.load8_u (i32.add (i32.const ${PAD}) (local.get $len))) (i32.const 1)))`);
emit(`(i32.store8 (i32.const ${PAD + RATE - 1}) (i32.xor (i32.load8_u (i32.const ${PAD + RATE - 1})) (i32.const 128)))`);
emit(`(local.set $p (i32.const ${PAD})) (local.set $final (i32.const 1))))`);
for (let i = 0; i < RATE / 8; i++) emit(`(local.set $a${i} (i64.xor (local.get $a${i}) (i64.load offset=${8 * i} align=1 (local.get $p))))`);
emit('))');
emit('(local.set $r (i32.const 0))');
emit('(loop $round');
permutationRound();
emit('(local.set $r (i32.add (local.get $r) (i32.const 8)))');
emit('(br_if $round (i32.lt_u (local.get $r) (i32.const 192))))');
emit('(br_if $absorb (i32.eqz (local.get $final))))');
for (let i = 0; i < 4; i++) emit(`(i64.store offset=${8 * i} align=1 (local.get $out) (local.get $a${i}))`);
emit(')');

// leaves(in, count, stride, out): out[i] = keccak(keccak(in[i*stride .. +stride]))
emit('(func (export "leaves") (param $in i32) (param $count i32) (param $stride i32) (param $out i32)');
emit('(block $end (loop $next');
emit('(br_if $end (i32.eqz (local.get $count)))');
emit(`(call $keccak (local.get $in) (local.get $stride) (i32.const ${TMP}))`);
emit(`(call $keccak (i32.const ${TMP}) (i32.const 32) (local.get $out))`);
emit('(local.set $in (i32.add (local.get $in) (local.get $stride)))');
emit('(local.set $out (i32.add (local.get $out) (i32.const 32)))');
emit('(local.set $count (i32.sub (local.get $count) (i32.const 1)))');
emit('(br $next)))');
emit(')');

// nodes(tree, leafCount): node i = keccak(sorted(node 2i+1, node 2i+2)) for i = leafCount-2 .. 0
emit('(func (export "nodes") (param $tree i32) (param $leafCount i32)');
emit('(local $i i32) (local $left i32) (local $k i32) (local $x i32) (local $y i32) (local $swap i32)');
emit('(local.set $i (i32.sub (local.get $leafCount) (i32.const 2)))');
emit('(block $end (loop $next');
emit('(br_if $end (i32.lt_s (local.get $i) (i32.const 0)))');
emit('(local.set $left (i32.add (local.get $tree) (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)) (i32.const 5))))');
emit('(local.set $swap (i32.const 0)) (local.set $k (i32.const 0))');
emit('(block $cmp (loop $byte');
emit('(local.set $x (i32.load8_u (i32.add (local.get $left) (local.get $k))))');
emit('(local.set $y (i32.load8_u offset=32 (i32.add (local.get $left) (local.get $k))))');
emit('(if (i32.ne (local.get $x) (local.get $y)) (then (local.set $swap (i32.gt_u (local.get $x) (local.get $y))) (br $cmp)))');
emit('(local.set $k (i32.add (local.get $k) (i32.const 1)))');
emit('(br_if $byte (i32.lt_u (local.get $k) (i32.const 32)))))');
emit('(if (local.get $swap)');
emit(`(then (memory.copy (i32.const ${PAIR}) (i32.add (local.get $left) (i32.const 32)) (i32.const 32)) (memory.copy (i32.const ${PAIR + 32}) (local.get $left) (i32.const 32))`);
emit(`(call $keccak (i32.const ${PAIR}) (i32.const 64) (i32.add (local.get $tree) (i32.shl (local.get $i) (i32.const 5)))))`);
emit('(else (call $keccak (local.get $left) (i32.const 64) (i32.add (local.get $tree) (i32.shl (local.get $i) (i32.const 5))))))');
emit('(local.set $i (i32.sub (local.get $i) (i32.const 1)))');
emit('(br $next)))');
emit(')');

// absorb(state, in, blocks): streaming keccak — loads the 25 lanes at `state`, absorbs `blocks`
// full 136-byte blocks from `in`, stores the lanes back (the caller pads the last block).
emit('(func (export "absorb") (param $state i32) (param $in i32) (param $blocks i32)');
for (let i = 0; i < 25; i++) emit(`(local $a${i} i64) (local $b${i} i64)`);
for (let i = 0; i < 5; i++) emit(`(local $c${i} i64) (local $d${i} i64)`);
emit('(local $r i32)');
for (let i = 0; i < 25; i++) emit(`(local.set $a${i} (i64.load offset=${8 * i} align=1 (local.get $state)))`);
emit('(block $end (loop $block');
emit('(br_if $end (i32.eqz (local.get $blocks)))');
for (let i = 0; i < RATE / 8; i++) emit(`(local.set $a${i} (i64.xor (local.get $a${i}) (i64.load offset=${8 * i} align=1 (local.get $in))))`);
emit('(local.set $r (i32.const 0))');
emit('(loop $round');
permutationRound();
emit('(local.set $r (i32.add (local.get $r) (i32.const 8)))');
emit('(br_if $round (i32.lt_u (local.get $r) (i32.const 192))))');
emit(`(local.set $in (i32.add (local.get $in) (i32.const ${RATE})))`);
emit('(local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))');
emit('(br $block)))');
for (let i = 0; i < 25; i++) emit(`(i64.store offset=${8 * i} align=1 (local.get $state) (local.get $a${i}))`);
emit(')');

// place(leaves, order, count, tree): leaf word order[k] (u32) goes to tree word 2*count-2-k
emit('(func (export "place") (param $leaves i32) (param $order i32) (param $count i32) (param $tree i32)');
emit('(local $k i32) (local $src i32) (local $dst i32)');
emit('(local.set $dst (i32.add (local.get $tree) (i32.shl (i32.sub (i32.shl (local.get $count) (i32.const 1)) (i32.const 2)) (i32.const 5))))');
emit('(block $end (loop $next');
emit('(br_if $end (i32.ge_u (local.get $k) (local.get $count)))');
emit('(local.set $src (i32.add (local.get $leaves) (i32.shl (i32.load (i32.add (local.get $order) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 5))))');
for (let w = 0; w < 4; w++) emit(`(i64.store offset=${8 * w} (local.get $dst) (i64.load offset=${8 * w} (local.get $src)))`);
emit('(local.set $dst (i32.sub (local.get $dst) (i32.const 32)))');
emit('(local.set $k (i32.add (local.get $k) (i32.const 1)))');
emit('(br $next)))');
emit(')');
emit(')');

const wabt = await wabtInit();
const module = wabt.parseWat('keccak.wat', L.join('\n'), { bulk_memory: true });
module.validate();
const { buffer } = module.toBinary({});
const base64 = Buffer.from(buffer).toString('base64');
writeFileSync(
  target,
  `// Generated by scripts/build-keccak-wasm.mjs. Do not edit.\n` +
    `// WebAssembly (${buffer.length} bytes): keccak(in, len, out), leaves(in, count, stride, out), nodes(tree, leafCount),\n` +
    `// place(leaves, order, count, tree), absorb(state, in, blocks);\n` +
    `// bytes 0..191 of memory hold the round constants, 256..639 are scratch.\n` +
    `export const KECCAK_WASM_BASE64 =\n  '${base64}';\n` +
    `export const KECCAK_WASM_SCRATCH_END = 1024;\n`,
);
console.log(`keccak wasm: ${buffer.length} bytes -> ${target}`);
