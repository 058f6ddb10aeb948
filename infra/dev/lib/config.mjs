// Configuration of the one-machine dev stack, computed once from the environment. Pure: no I/O, so
// the tests can check every port, path and service environment without starting anything.
import { join, resolve } from 'node:path';

/** The ten keys anvil funds from its default mnemonic. Public test keys: never use them elsewhere. */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
];

/** Addresses of ANVIL_KEYS, in order. */
export const ANVIL_ADDRESSES = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
];

/**
 * Who does what in the demo, so no two processes ever share an account (and its nonces). Account 0
 * deploys and holds the liquid TGE OPEN (it funds the others and owns the demo datanet); accounts
 * 1-4 hold vesting grants and never transact, so 1 owns the adapters and 4 settles epochs.
 */
export const DEMO_ROLES = {
  deployer: 0,
  modelOwner: 1,
  settler: 4,
  relayer: 5,
  operator: 6,
  contributor: 7,
  curator: 8,
  caller: 9,
};

/** Default ports: the services' own defaults (gateway 8080, datanet 8081, worker 8082). */
export const DEFAULT_PORTS = { anvil: 8545, gateway: 8080, datanet: 8081, attribution: 8082, dashboard: 5173 };

export class StackConfigError extends Error {
  constructor(variable, message) {
    super(`${variable}: ${message}`);
    this.name = 'StackConfigError';
    this.variable = variable;
  }
}

function port(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new StackConfigError(name, `must be a TCP port (1-65535), got "${raw}"`);
  }
  return Number(raw);
}

function url(env, name, protocols) {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed;
  try {
    parsed = new URL(raw);
  } catch {
    throw new StackConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new StackConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

/**
 * Everything the orchestrator needs: where state lives, the ports, each child's command and env.
 * `env` is the orchestrator's environment (REDIS_URL and DATABASE_URL come from scripts/dev.sh).
 */
export function stackConfig(env, root) {
  const repo = resolve(root);
  const dataDir = resolve(env.OPENLEDGER_DATA_DIR || join(repo, '.data'));
  const host = env.STACK_HOST || '127.0.0.1';
  const chainId = 31337;
  const ports = {
    anvil: port(env, 'ANVIL_PORT', DEFAULT_PORTS.anvil),
    gateway: port(env, 'GATEWAY_PORT', DEFAULT_PORTS.gateway),
    datanet: port(env, 'DATANET_PORT', DEFAULT_PORTS.datanet),
    attribution: port(env, 'ATTRIBUTION_PORT', DEFAULT_PORTS.attribution),
    dashboard: port(env, 'DASHBOARD_PORT', DEFAULT_PORTS.dashboard),
  };
  const seen = new Map();
  for (const [name, value] of Object.entries(ports)) {
    if (seen.has(value)) throw new StackConfigError(`${name.toUpperCase()}_PORT`, `port ${value} is also used by ${seen.get(value)}`);
    seen.set(value, name);
  }
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? 'redis://127.0.0.1:6379';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const rpcUrl = `http://${host}:${ports.anvil}`;
  const stateDir = join(dataDir, 'stack');
  const deploymentsFile = join(stateDir, 'deployments', `${chainId}.json`);
  const modelsDir = join(dataDir, 'models');
  const key = (role) => ANVIL_KEYS[DEMO_ROLES[role]];
  const urls = {
    rpc: rpcUrl,
    gateway: `http://${host}:${ports.gateway}`,
    datanet: `http://${host}:${ports.datanet}`,
    attribution: `http://${host}:${ports.attribution}`,
    dashboard: `http://${host}:${ports.dashboard}`,
  };
  const common = {
    NODE_ENV: env.NODE_ENV || 'development',
    HOST: host,
    REDIS_URL: redisUrl,
    RPC_URL: rpcUrl,
    CHAIN_ID: String(chainId),
    DEPLOYMENTS_FILE: deploymentsFile,
    // One block: the attribution worker's minimum, and the block the event is in with anvil's 1 s blocks.
    CONFIRMATIONS: '1',
    LOG_LEVEL: env.LOG_LEVEL || 'info',
    // The dashboard is served from its own port and calls the services from the browser.
    CORS_ORIGINS: env.CORS_ORIGINS || `http://${host}:${ports.dashboard}`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const service = (name, dir, portNumber, own) => ({
    name,
    cwd: join(repo, 'packages', dir),
    entry: join(repo, 'packages', dir, 'dist', 'main.js'),
    port: portNumber,
    url: `http://${host}:${portNumber}`,
    env: { ...common, PORT: String(portNumber), DATA_DIR: join(dataDir, dir), ...own },
  });
  const epochSeconds = env.EPOCH_SECONDS || '60';
  const services = [
    service('datanet-service', 'datanet-service', ports.datanet, {
      RELAYER_PRIVATE_KEY: key('relayer'),
      PUBLIC_URL: urls.datanet,
    }),
    service('attribution-worker', 'attribution-worker', ports.attribution, {
      SETTLER_PRIVATE_KEY: key('settler'),
      OPERATOR_PRIVATE_KEY: key('operator'),
      EPOCH_SECONDS: epochSeconds,
      PUBLIC_URL: urls.attribution,
      // Semantic retrieval and attribution when a local ONNX feature-extraction model is given.
      ...(env.EMBEDDING_MODEL_DIR ? { EMBEDDING_MODEL_DIR: env.EMBEDDING_MODEL_DIR } : {}),
    }),
    service('inference-gateway', 'inference-gateway', ports.gateway, {
      PUBLIC_URL: urls.gateway,
      // Retrieval requests (`retrieval` in a completion body) ask the attribution worker for context.
      ATTRIBUTION_URL: urls.attribution,
      OPERATOR_ADDRESS: ANVIL_ADDRESSES[DEMO_ROLES.operator],
      BASE_MODEL_PATH: join(modelsDir, 'demo-base.gguf'),
      // BASE_MODEL_ID is the on-chain id of the demo base model, added once the seed registered it.
      ENGINE_WORKERS: '1',
      ENGINE_CONTEXTS: env.ENGINE_CONTEXTS || '2',
      ENGINE_THREADS: env.ENGINE_THREADS || '2',
      RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE || '100000',
    }),
  ];
  const only = (env.STACK_SERVICES || '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of only) {
    if (!services.some((s) => s.name === name)) throw new StackConfigError('STACK_SERVICES', `unknown service "${name}" (${services.map((s) => s.name).join(', ')})`);
  }
  return {
    root: repo,
    dataDir,
    stateDir,
    host,
    chainId,
    ports,
    urls,
    redisUrl,
    databaseUrl,
    anvil: {
      // the npm wrapper; chain.mjs runs the platform binary behind it directly (see anvilBinary)
      bin: join(repo, 'packages', 'contracts', 'node_modules', '.bin', 'anvil'),
      stateFile: join(dataDir, 'anvil', 'state.json'),
      args: [
        '--host', host, '--port', String(ports.anvil), '--chain-id', String(chainId),
        '--state', join(dataDir, 'anvil', 'state.json'), '--state-interval', '5',
        '--block-time', env.ANVIL_BLOCK_TIME || '1',
      ],
    },
    deploymentsFile,
    seedFile: join(stateDir, 'seed.json'),
    modelsDir,
    keys: Object.fromEntries(Object.keys(DEMO_ROLES).map((role) => [role, key(role)])),
    addresses: Object.fromEntries(Object.keys(DEMO_ROLES).map((role) => [role, ANVIL_ADDRESSES[DEMO_ROLES[role]]])),
    services: only.length ? services.filter((s) => only.includes(s.name)) : services,
    dashboard: {
      distDir: join(repo, 'packages', 'governance-ui', 'dist'),
      port: ports.dashboard,
      url: urls.dashboard,
    },
  };
}

/** The lines printed once the stack is up. */
export function describeUrls(config, seed) {
  const lines = [
    `chain (anvil, id ${config.chainId})  ${config.urls.rpc}`,
    `inference gateway (OpenAI API)   ${config.urls.gateway}/v1   docs ${config.urls.gateway}/docs`,
    `datanet service                  ${config.urls.datanet}   docs ${config.urls.datanet}/docs`,
    `attribution worker               ${config.urls.attribution}   docs ${config.urls.attribution}/docs`,
    `dashboard                        ${config.urls.dashboard}`,
    `database                         ${config.databaseUrl ? redact(config.databaseUrl) : `embedded PGlite under ${config.dataDir}/<service>/db`}`,
    `redis                            ${redact(config.redisUrl)}`,
  ];
  if (seed?.apiKey && seed?.adapterModels?.length) {
    lines.push(
      '',
      'first request:',
      `  curl ${config.urls.gateway}/v1/chat/completions -H 'authorization: Bearer ${seed.apiKey}' \\`,
      `    -H 'content-type: application/json' -d '{"model":"${seed.adapterModels[0]}","messages":[{"role":"user","content":"hello"}],"max_tokens":16}'`,
    );
  }
  return lines;
}

/** A URL with its password hidden. */
export function redact(value) {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return value;
  }
}
