import { createHash } from 'node:crypto';
import type { BlobStore } from '../store/blob-store.js';

export interface ResolvedMetadata {
  metadata: Record<string, unknown>;
  /** `metadata.schema` when it is an object (the JSON schema records must match). */
  recordSchema: Record<string, unknown> | null;
}

const MAX_METADATA_BYTES = 256 * 1024;

/**
 * Resolves a datanet's metadata URI without touching the network: `data:application/json[;base64],…`
 * inline documents and `<publicUrl>/metadata/<sha256>` documents this service stored (hash checked).
 * Anything else resolves to undefined (the datanet then has no record schema).
 */
export function createMetadataResolver(store: BlobStore, publicUrl: string) {
  const prefix = `${publicUrl}/metadata/`;
  return async function resolveMetadata(uri: string): Promise<ResolvedMetadata | undefined> {
    let bytes: Buffer | undefined;
    if (uri.startsWith('data:')) {
      const comma = uri.indexOf(',');
      const header = uri.slice(5, comma);
      if (comma < 0 || !/^application\/json(;charset=utf-8)?(;base64)?$/i.test(header)) return undefined;
      const body = uri.slice(comma + 1);
      bytes = header.toLowerCase().endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
    } else if (uri.startsWith(prefix)) {
      const hash = uri.slice(prefix.length);
      if (!/^[0-9a-f]{64}$/.test(hash) || !(await store.has(hash))) return undefined;
      bytes = await store.read(hash);
      if (createHash('sha256').update(bytes).digest('hex') !== hash) return undefined;
    }
    if (!bytes || bytes.length > MAX_METADATA_BYTES) return undefined;
    try {
      const metadata = JSON.parse(bytes.toString('utf8')) as unknown;
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
      const schema = (metadata as Record<string, unknown>).schema;
      return {
        metadata: metadata as Record<string, unknown>,
        recordSchema: typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as Record<string, unknown>) : null,
      };
    } catch {
      return undefined;
    }
  };
}
export type MetadataResolver = ReturnType<typeof createMetadataResolver>;
