/** Small, allocation-light hex helpers for the Merkle hot paths. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  let out = '0x';
  for (let i = offset; i < offset + length; i++) out += HEX[bytes[i]!];
  return out;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Writes `hex` (with or without 0x) of exactly `length` bytes into `out` at `offset`; false if malformed. */
export function writeHex(hex: string, out: Uint8Array, offset: number, length: number): boolean {
  const start = hex.startsWith('0x') || hex.startsWith('0X') ? 2 : 0;
  if (hex.length - start !== length * 2) return false;
  for (let i = 0; i < length; i++) {
    const hi = nibble(hex.charCodeAt(start + 2 * i));
    const lo = nibble(hex.charCodeAt(start + 2 * i + 1));
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

export function hexToBytes(hex: string): Uint8Array {
  const start = hex.startsWith('0x') || hex.startsWith('0X') ? 2 : 0;
  if ((hex.length - start) % 2 !== 0) throw new TypeError(`odd-length hex string ${hex.slice(0, 20)}`);
  const out = new Uint8Array((hex.length - start) / 2);
  if (!writeHex(hex, out, 0, out.length)) throw new TypeError(`malformed hex string ${hex.slice(0, 20)}`);
  return out;
}

const MAX_UINT256 = (1n << 256n) - 1n;
const MASK64 = (1n << 64n) - 1n;

/** Writes a uint256 big-endian into 32 bytes at `offset` (`view` over the same buffer). */
export function writeUint256(value: bigint, view: DataView, offset: number): boolean {
  if (value < 0n || value > MAX_UINT256) return false;
  if (value <= MASK64) {
    view.setBigUint64(offset, 0n);
    view.setBigUint64(offset + 8, 0n);
    view.setBigUint64(offset + 16, 0n);
    view.setBigUint64(offset + 24, value);
    return true;
  }
  view.setBigUint64(offset + 24, value & MASK64);
  view.setBigUint64(offset + 16, (value >> 64n) & MASK64);
  view.setBigUint64(offset + 8, (value >> 128n) & MASK64);
  view.setBigUint64(offset, value >> 192n);
  return true;
}
