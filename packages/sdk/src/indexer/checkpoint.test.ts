import { blockEndCheckpoint, blockStartCheckpoint, CHECKPOINT_LENGTH, decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

test('checkpoints are fixed-width and sort like chain order', () => {
  const points = [
    { blockNumber: 9, transactionIndex: 0, logIndex: 0 },
    { blockNumber: 10, transactionIndex: 0, logIndex: 5 },
    { blockNumber: 10, transactionIndex: 2, logIndex: 1 },
    { blockNumber: 10, transactionIndex: 2, logIndex: 11 },
    { blockNumber: 123456789, transactionIndex: 0, logIndex: 0 },
  ];
  const encoded = points.map(encodeCheckpoint);
  for (const c of encoded) expect(c).toHaveLength(CHECKPOINT_LENGTH);
  expect([...encoded].reverse().sort()).toEqual(encoded);
  expect(encoded.map(decodeCheckpoint)).toEqual(points);
  expect(blockStartCheckpoint(10) < encoded[1]!).toBe(true);
  expect(blockEndCheckpoint(10) > encoded[3]!).toBe(true);
  expect(blockEndCheckpoint(10) < blockStartCheckpoint(11)).toBe(true);
  expect(() => encodeCheckpoint({ blockNumber: -1, transactionIndex: 0, logIndex: 0 })).toThrow(RangeError);
  expect(() => decodeCheckpoint('12')).toThrow(/malformed/);
});
