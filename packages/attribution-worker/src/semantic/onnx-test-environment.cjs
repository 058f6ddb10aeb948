// Jest runs each test file in its own VM realm, but onnxruntime-node's native binding builds output
// tensors with the host realm's typed arrays, which then fail `instanceof Float32Array` checks made
// in the test realm. Test files that run ONNX models use this environment (docblock
// `@jest-environment ./src/semantic/onnx-test-environment.cjs`): the test realm shares the host's
// typed array constructors. Other test files keep the default environment.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxTestEnvironment;
