import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { EngineError } from '../errors.js';

/** Where `s3://bucket/key` adapter URIs are read from. Credentials: these, else the AWS default chain. */
export interface S3SourceOptions {
  /** An S3-compatible endpoint (MinIO, R2, …); AWS itself when absent. */
  endpoint?: string;
  region: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (what most S3-compatible servers want). */
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface S3Location {
  bucket: string;
  key: string;
}

// S3 bucket naming rules: 3–63 of lower-case letters, digits, dots and hyphens, starting and ending alphanumeric
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Splits `s3://bucket/key`; an EngineError names what is wrong with any other shape. */
export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (!m) throw new EngineError('adapter_fetch_failed', `adapter uri "${uri}" is not of the form s3://bucket/key`);
  const [, bucket, key] = m as unknown as [string, string, string];
  if (!BUCKET.test(bucket)) throw new EngineError('adapter_fetch_failed', `adapter uri "${uri}": "${bucket}" is not a valid S3 bucket name`);
  if (Buffer.byteLength(key) > 1024) throw new EngineError('adapter_fetch_failed', `adapter uri "${uri}": the object key is longer than 1024 bytes`);
  return { bucket, key };
}

/** Reads adapter objects from S3 (or an S3-compatible store) as byte streams, with clear errors. */
export class S3Source {
  private client?: S3Client;
  constructor(private readonly options: S3SourceOptions) {}

  private s3(): S3Client {
    const o = this.options;
    this.client ??= new S3Client({
      region: o.region,
      endpoint: o.endpoint,
      forcePathStyle: o.forcePathStyle,
      credentials: o.accessKeyId && o.secretAccessKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } : undefined,
      maxAttempts: 2,
    });
    return this.client;
  }

  /** The object's declared size and its bytes. */
  async open(uri: string, signal: AbortSignal): Promise<{ size?: number; body: AsyncIterable<Uint8Array> }> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      const res = await this.s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      if (!res.Body) throw new EngineError('adapter_fetch_failed', `adapter object ${uri} has no body`);
      return { size: res.ContentLength, body: res.Body as AsyncIterable<Uint8Array> };
    } catch (e) {
      if (e instanceof EngineError) throw e;
      if (e instanceof S3ServiceException) {
        const status = e.$metadata.httpStatusCode;
        const why = e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' ? 'does not exist' : `was refused by S3 (${e.name}${status ? `, HTTP ${status}` : ''})`;
        throw new EngineError('adapter_fetch_failed', `adapter object ${uri} ${why}`);
      }
      throw new EngineError('adapter_fetch_failed', `adapter download from ${uri} failed: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.client?.destroy();
  }
}
