import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../errors.js';
import type { AdapterRef } from '../types.js';
import { openHttp } from './http-source.js';
import { S3Source, type S3SourceOptions } from './s3-source.js';

export interface AdapterStoreOptions {
  /** Content-addressed cache: `<cacheDir>/<sha256>.gguf`. */
  cacheDir: string;
  /** Local paths (and file:// URLs) must lie inside one of these directories. */
  allowedLocalDirs: string[];
  maxAdapterBytes: number;
  fetchTimeoutMs?: number;
  /**
   * Hosts an http(s) adapter URL may name although they resolve to loopback or private addresses (the
   * gateway's own PUBLIC_URL host, which serves uploaded adapter files). Link-local is always refused.
   */
  allowPrivateHosts?: string[];
  /** Where `s3://bucket/key` URIs are read from (AWS with the default credential chain when absent). */
  s3?: S3SourceOptions;
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
  private s3?: S3Source;
  constructor(private readonly options: AdapterStoreOptions) {}

  close(): void {
    this.s3?.close();
  }

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
    if (/^s3:\/\//i.test(uri)) return this.downloadS3(uri, tmp);
    const local = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
    if (!path.isAbsolute(local)) throw new EngineError('adapter_fetch_failed', `adapter uri must be an absolute path, file://, http://, https:// or s3:// URL: "${uri}"`);
    const resolved = path.resolve(local);
    const allowed = this.options.allowedLocalDirs.some((d) => resolved.startsWith(path.resolve(d) + path.sep));
    if (!allowed) throw new EngineError('adapter_fetch_failed', `adapter path ${resolved} is outside the allowed adapter directories`);
    const info = await stat(resolved).catch(() => null);
    if (!info?.isFile()) throw new EngineError('adapter_fetch_failed', `adapter file ${resolved} does not exist`);
    return this.writeHashed(createReadStream(resolved) as AsyncIterable<Buffer>, info.size, resolved, tmp);
  }

  private async download(url: string, tmp: string): Promise<string> {
    const timeoutMs = this.options.fetchTimeoutMs ?? 60_000;
    const res = await openHttp(url, { allowPrivateHosts: this.options.allowPrivateHosts ?? [], timeoutMs }, AbortSignal.timeout(timeoutMs));
    const declared = Number(res.headers['content-length'] ?? 0);
    return this.writeHashed(res, declared, url, tmp);
  }

  private async downloadS3(uri: string, tmp: string): Promise<string> {
    this.s3 ??= new S3Source(this.options.s3 ?? { region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: false });
    const signal = AbortSignal.timeout(this.options.fetchTimeoutMs ?? 60_000);
    const object = await this.s3.open(uri, signal);
    try {
      return await this.writeHashed(object.body, object.size ?? 0, uri, tmp);
    } catch (e) {
      if (signal.aborted && !(e instanceof EngineError)) throw new EngineError('adapter_fetch_failed', `adapter download from ${uri} timed out`);
      throw e;
    }
  }

  /** Copies `source` into `tmp`, refusing more than the size limit (declared or counted), and returns its sha256. */
  private async writeHashed(source: AsyncIterable<Uint8Array>, declaredBytes: number, from: string, tmp: string): Promise<string> {
    const limit = this.options.maxAdapterBytes;
    const tooBig = (n: number | string) => new EngineError('adapter_fetch_failed', `adapter at ${from} is ${n} bytes, limit ${limit}`);
    if (declaredBytes > limit) {
      (source as unknown as { destroy?: () => void }).destroy?.();
      throw tooBig(declaredBytes);
    }
    const hash = createHash('sha256');
    const out = await open(tmp, 'w');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > limit) throw tooBig(`more than ${limit}`);
        hash.update(chunk);
        await out.write(chunk);
      }
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError('adapter_fetch_failed', `adapter download from ${from} failed: ${(e as Error).message}`);
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
