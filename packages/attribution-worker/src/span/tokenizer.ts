/**
 * The canonical attribution tokenizer: model-agnostic and reproducible by anyone.
 *
 * 1. Unicode NFKC normalization, then `toLowerCase()`.
 * 2. Tokens are maximal runs of letters, marks and digits (`[\p{L}\p{M}\p{N}]+`) or single characters
 *    that are neither those nor white space (punctuation, symbols). White space separates tokens.
 * 3. Each token maps to a 32-bit id: FNV-1a (32-bit) over its UTF-8 bytes; ids 0 and 1 are reserved,
 *    so a hash below 2 becomes hash + 2.
 */
const TOKEN_RE = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const encoder = new TextEncoder();

export const RESERVED_TOKEN_IDS = 2;

export function tokenHash(token: string): number {
  const bytes = encoder.encode(token);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  h >>>= 0;
  return h < RESERVED_TOKEN_IDS ? h + RESERVED_TOKEN_IDS : h;
}

/** The canonical tokens of `text` as strings (for display and tests). */
export function tokenStrings(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN_RE) ?? [];
}

const cache = new Map<string, number>();

/** The canonical token ids of `text`. */
export function tokenize(text: string): Uint32Array {
  const tokens = tokenStrings(text);
  const ids = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let id = cache.get(token);
    if (id === undefined) {
      id = tokenHash(token);
      if (cache.size < 1_000_000) cache.set(token, id);
    }
    ids[i] = id;
  }
  return ids;
}
