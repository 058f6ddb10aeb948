/** Small, allocation-light hex helpers for the Merkle hot paths. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  let out = '0x';
  for (let i = offset; i < offset + length; i++) out += HEX[bytes[i]!];
  return out;
}

/** ASCII code → nibble value, 255 for a non-hex character. */
const NIBBLE = new Uint8Array(256).fill(255);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[97 + i] = 10 + i;
  NIBBLE[65 + i] = 10 + i;
}

/** Writes `hex` (with or without 0x) of exactly `length` bytes into `out` at `offset`; false if malformed. */
export function writeHex(hex: string, out: Uint8Array, offset: number, length: number): boolean {
  const start = hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) | 32) === 120 ? 2 : 0;
  if (hex.length - start !== length * 2) return false;
  let bad = 0;
  for (let i = 0, c = start; i < length; i++, c += 2) {
    const hi = NIBBLE[hex.charCodeAt(c) & 255]!;
    const lo = NIBBLE[hex.charCodeAt(c + 1) & 255]!;
    bad |= hi | lo | (hex.charCodeAt(c) | hex.charCodeAt(c + 1)) & ~127;
    out[offset + i] = (hi << 4) | lo;
  }
  return (bad & ~15) === 0;
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
