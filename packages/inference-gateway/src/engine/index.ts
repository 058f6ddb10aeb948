export * from './types.js';
export * from './errors.js';
export * from './prompt.js';
export { LocalEngine, type LocalEngineOptions } from './local-engine.js';
export { ExternalOpenAIEngine, type ExternalOpenAIEngineOptions } from './external-openai-engine.js';
export { normalizeSha256, hashFile } from './runtime/adapter-store.js';
