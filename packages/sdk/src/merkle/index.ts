export { MerkleTree, hashPair, processProof, verifyProof } from './tree.js';
export * from './rewards.js';
export * from './records.js';
export * from './record-hasher.js';
export { createKeccak256, keccakBackend, type Keccak256Stream } from './keccak.js';
