export const probe = (a: bigint): bigint => a * 2n;
