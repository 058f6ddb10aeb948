import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.js';
import type { AdapterRef } from '../types.js';

export interface AdapterStoreOptions {
  /** Content-addressed cache: `<cacheDir>/<sha256>.gguf`. */
  cacheDir: string;
  /** Local paths (and file:// URLs) must lie inside one of these directories. */
  allowedLocalDirs: string[];
  maxAdapterBytes: number;
  fetchTimeoutMs?: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function normalizeSha256(hash: string): string {
  const h = hash.toLowerCase().replace(/^0x/, '');
  if (!HEX64.test(h)) throw new EngineError('invalid_request', `adapter sha256 must be 64 hex characters, got "${hash}"`);
  return h;
}

/**
 * Brings adapter files into a content-addressed local cache. Every byte is hashed on the way in and the
 * file only gets its final name when the hash equals the registered one, so llama.cpp never opens an
 * unverified file. Files already cached are re-hashed once per process before first use.
 */
export class AdapterStore {
  private readonly verified = new Set<string>();
  constructor(private readonly options: AdapterStoreOptions) {}

  pathFor(sha256: string): string {
    return path.join(this.options.cacheDir, `${normalizeSha256(sha256)}.gguf`);
  }

  /** The verified local path of the adapter, fetching it first if it is not cached. */
  async ensureLocal(ref: AdapterRef): Promise<string> {
    const sha = normalizeSha256(ref.sha256);
    const target = this.pathFor(sha);
    if (this.verified.has(sha)) return target;
    await mkdir(this.options.cacheDir, { recursive: true });
    const cached = await stat(target).catch(() => null);
    if (cached) {
      const actual = await hashFile(target);
      if (actual === sha) {
        this.verified.add(sha);
        return target;
      }
      await rm(target, { force: true }); // tampered cache entry: fetch again
    }
    const tmp = path.join(this.options.cacheDir, `.incoming-${randomUUID()}`);
    try {
      const actual = await this.copyInto(ref.uri, tmp);
      if (actual !== sha) {
        throw new EngineError('adapter_hash_mismatch', `adapter ${ref.adapterId}: file sha256 ${actual} does not match the registered ${sha}`);
      }
      await rename(tmp, target);
      this.verified.add(sha);
      return target;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  private async copyInto(uri: string, tmp: string): Promise<string> {
    if (/^https?:\/\//i.test(uri)) return this.download(uri, tmp);
    const local = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
    if (!path.isAbsolute(local)) throw new EngineError('adapter_fetch_failed', `adapter uri must be an absolute path, file://, http:// or https:// URL: "${uri}"`);
    const resolved = path.resolve(local);
    const allowed = this.options.allowedLocalDirs.some((d) => resolved.startsWith(path.resolve(d) + path.sep));
    if (!allowed) throw new EngineError('adapter_fetch_failed', `adapter path ${resolved} is outside the allowed adapter directories`);
    const info = await stat(resolved).catch(() => null);
    if (!info?.isFile()) throw new EngineError('adapter_fetch_failed', `adapter file ${resolved} does not exist`);
    if (info.size > this.options.maxAdapterBytes) throw new EngineError('adapter_fetch_failed', `adapter file is ${info.size} bytes, limit ${this.options.maxAdapterBytes}`);
    const hash = createHash('sha256');
    const out = await open(tmp, 'w');
    try {
      for await (const chunk of createReadStream(resolved)) {
        hash.update(chunk as Buffer);
        await out.write(chunk as Buffer);
      }
    } finally {
      await out.close();
    }
    return hash.digest('hex');
  }

  private async download(url: string, tmp: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 60_000) });
    } catch (e) {
      throw new EngineError('adapter_fetch_failed', `adapter download from ${url} failed: ${(e as Error).message}`);
    }
    if (!res.ok || !res.body) throw new EngineError('adapter_fetch_failed', `adapter download from ${url} answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.options.maxAdapterBytes) throw new EngineError('adapter_fetch_failed', `adapter at ${url} is ${declared} bytes, limit ${this.options.maxAdapterBytes}`);
    const hash = createHash('sha256');
    const out = await open(tmp, 'w');
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > this.options.maxAdapterBytes) throw new EngineError('adapter_fetch_failed', `adapter at ${url} exceeds ${this.options.maxAdapterBytes} bytes`);
        hash.update(chunk);
        await out.write(chunk);
      }
    } finally {
      await out.close();
    }
    return hash.digest('hex');
  }
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
