// Small REST clients for the services, as a wallet-holding user would call them: sign in with
// Ethereum, upload, review, create API keys, authorize spending, read proofs.

export class ServiceError extends Error {
  constructor(service, method, path, status, problem) {
    super(`${service} ${method} ${path} → ${status}: ${problem?.detail ?? problem?.title ?? JSON.stringify(problem)}`);
    this.name = 'ServiceError';
    this.status = status;
    this.problem = problem;
  }
}

async function call(service, baseUrl, method, path, { token, json, body, headers = {}, timeoutMs = 30_000 } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: json !== undefined ? JSON.stringify(json) : body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) throw new ServiceError(service, method, path, response.status, parsed);
  return parsed;
}

/** Signs an EIP-4361 message for the nonce a service issued. */
async function siwe(sdk, wallet, issued, uri) {
  const message = sdk.buildSiweMessage({
    domain: issued.domain,
    address: wallet.address,
    statement: 'Sign in to OpenLedger',
    uri,
    version: '1',
    chainId: issued.chainId,
    nonce: issued.nonce,
    issuedAt: new Date().toISOString(),
  });
  const signature = await wallet.signMessage(message);
  return { message, signature };
}

/** Sends an unsigned transaction a service returned (`{ to, data, value }`) and waits for it. */
export async function sendReturned(wallet, transaction, step) {
  try {
    const tx = await wallet.sendTransaction({ to: transaction.to, data: transaction.data, value: BigInt(transaction.value ?? 0) });
    const receipt = await tx.wait();
    if (receipt.status !== 1) throw new Error('reverted');
    return receipt;
  } catch (error) {
    throw new Error(`${step}: ${error?.shortMessage ?? error?.message ?? error}`, { cause: error });
  }
}

export function datanetClient(baseUrl, sdk) {
  const req = (method, path, options) => call('datanet-service', baseUrl, method, path, options);
  return {
    async signIn(wallet) {
      const issued = await req('POST', '/auth/nonce');
      const signed = await siwe(sdk, wallet, issued, baseUrl);
      return (await req('POST', '/auth/verify', { json: signed })).token;
    },
    createDatanet: (token, body) => req('POST', '/datanets', { token, json: body }),
    datanet: (id) => req('GET', `/datanets/${id}`),
    datanets: () => req('GET', '/datanets'),
    uploadJsonl: (token, datanetId, records) =>
      req('POST', `/datanets/${datanetId}/batches`, {
        token,
        headers: { 'content-type': 'application/x-ndjson' },
        body: records.map((r) => JSON.stringify(r)).join('\n') + '\n',
      }),
    batch: (id) => req('GET', `/batches/${id}`),
    relay: (batchId, body) => req('POST', `/batches/${batchId}/signature`, { json: body }),
    contribution: (id) => req('GET', `/contributions/${id}`),
    contributions: (datanetId, status) => req('GET', `/datanets/${datanetId}/contributions${status ? `?status=${status}` : ''}`),
    review: (token, contributionId, body) => req('POST', `/contributions/${contributionId}/review`, { token, json: body }),
  };
}

export function gatewayClient(baseUrl, sdk) {
  const req = (method, path, options) => call('inference-gateway', baseUrl, method, path, options);
  return {
    async createKey(wallet, label) {
      const issued = await req('POST', '/v1/auth/nonce');
      const signed = await siwe(sdk, wallet, issued, baseUrl);
      return req('POST', '/v1/auth/keys', { json: { ...signed, label } });
    },
    uploadAdapter: (key, bytes) =>
      req('POST', '/v1/adapters/files', { token: key, headers: { 'content-type': 'application/octet-stream' }, body: bytes, timeoutMs: 120_000 }),
    authorize: (key, authorization) =>
      req('POST', '/v1/credit/authorization', {
        token: key,
        json: { ...authorization, cap: authorization.cap.toString(), expiry: Number(authorization.expiry) },
      }),
    credit: (key) => req('GET', '/v1/credit', { token: key }),
    models: () => req('GET', '/v1/models'),
    chat: (key, body) => req('POST', '/v1/chat/completions', { token: key, json: body, timeoutMs: 120_000 }),
  };
}

export function attributionClient(baseUrl) {
  const req = (method, path, options) => call('attribution-worker', baseUrl, method, path, options);
  return {
    epochs: () => req('GET', '/v1/epochs'),
    rewards: (account) => req('GET', `/v1/rewards/${account}`),
    proof: (account, epoch) => req('GET', `/v1/rewards/${account}/proof${epoch !== undefined ? `?epoch=${epoch}` : ''}`),
    usage: (usageId) => req('GET', `/v1/usage/${usageId}`),
  };
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function eventually(what, probe, { timeoutMs = 60_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
