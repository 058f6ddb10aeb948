import { open } from 'node:fs/promises';

/**
 * A minimal GGUF v3 writer: metadata key/values and F32 tensors, enough for the tiny llama-architecture
 * base models and LoRA adapters the tests and the bench generate (no model is ever downloaded).
 * Layout follows ggml's gguf spec: header, KVs, tensor infos (dims in ggml `ne` order, fastest first),
 * padding to `general.alignment` (32), then tensor data each aligned to 32 bytes.
 */
const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
const GGUF_VERSION = 3;
const ALIGNMENT = 32;
const GGML_TYPE_F32 = 0;

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'f32[]'; value: number[] }
  | { type: 'i32[]'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml `ne` order: ne[0] is the contiguous (input) dimension. */
  dims: number[];
  data: Float32Array;
  /** ggml type id written in the tensor info (default F32 = 0); tests use it to forge malformed files. */
  ggmlType?: number;
}

const T = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v: number): void { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v: number | bigint): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v: number): void { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(s: string): void { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.push(b); }
  pad(): void { const rem = this.length % ALIGNMENT; if (rem) this.push(Buffer.alloc(ALIGNMENT - rem)); }
  toBuffer(): Buffer { return Buffer.concat(this.chunks); }
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case 'u32': sink.u32(T.u32); sink.u32(v.value); break;
    case 'i32': sink.u32(T.i32); sink.i32(v.value); break;
    case 'f32': sink.u32(T.f32); sink.f32(v.value); break;
    case 'bool': sink.u32(T.bool); sink.push(Buffer.from([v.value ? 1 : 0])); break;
    case 'string': sink.u32(T.string); sink.str(v.value); break;
    case 'string[]': sink.u32(T.array); sink.u32(T.string); sink.u64(v.value.length); v.value.forEach((s) => sink.str(s)); break;
    case 'f32[]': sink.u32(T.array); sink.u32(T.f32); sink.u64(v.value.length); v.value.forEach((x) => sink.f32(x)); break;
    case 'i32[]': sink.u32(T.array); sink.u32(T.i32); sink.u64(v.value.length); v.value.forEach((x) => sink.i32(x)); break;
  }
}

/** Writes a GGUF file; tensor data is streamed so a 100 MB base model never sits twice in memory. */
export async function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Promise<void> {
  const head = new ByteSink();
  head.u32(GGUF_MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length + 1);
  head.str('general.alignment');
  writeValue(head, { type: 'u32', value: ALIGNMENT });
  for (const [key, value] of Object.entries(metadata)) {
    head.str(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    const expected = t.dims.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} need ${expected} values, got ${t.data.length}`);
    head.str(t.name);
    head.u32(t.dims.length);
    t.dims.forEach((d) => head.u64(d));
    head.u32(t.ggmlType ?? GGML_TYPE_F32);
    head.u64(offset);
    offset += Math.ceil((t.data.byteLength) / ALIGNMENT) * ALIGNMENT;
  }
  head.pad();
  const file = await open(path, 'w');
  try {
    await file.write(head.toBuffer());
    for (const t of tensors) {
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      await file.write(bytes);
      const rem = bytes.length % ALIGNMENT;
      if (rem) await file.write(Buffer.alloc(ALIGNMENT - rem));
    }
  } finally {
    await file.close();
  }
}
