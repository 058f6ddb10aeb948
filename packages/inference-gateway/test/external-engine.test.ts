import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExternalOpenAIEngine } from '../src/engine/external-openai-engine.js';

// A stand-in for a vLLM server with LoRA enabled (an external product, not one of our components):
// answers /v1/completions, `model` selects the adapter, usage reported.
let server: Server;
let baseUrl: string;
const seen: Record<string, unknown>[] = [];

const readBody = async (req: IncomingMessage) => {
  let s = '';
  for await (const c of req) s += c;
  return JSON.parse(s) as Record<string, unknown>;
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push(body);
    if (req.url !== '/v1/completions') return res.writeHead(404).end();
    if (body.model === 'missing') return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"model not found"}');
    const text = `[${String(body.model)}] ${String(body.prompt).toUpperCase()}`;
    const usage = { prompt_tokens: String(body.prompt).length, completion_tokens: 3, total_tokens: String(body.prompt).length + 3 };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ choices: [{ text, finish_reason: 'length' }], usage }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const part of [text.slice(0, 4), text.slice(4)]) res.write(`data: ${JSON.stringify({ choices: [{ text: part, finish_reason: null }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ choices: [{ text: '', finish_reason: 'stop' }] })}\n\n`);
    res.write(`data: ${JSON.stringify({ choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('forwards with model = adapter name and meters the server-reported usage', async () => {
  const engine = new ExternalOpenAIEngine({ baseModelId: 'base', baseUrl, baseModelName: 'tiny-base' });
  const adapter = { adapterId: 'adapter-7', sha256: 'a'.repeat(64), uri: 'https://example.invalid/a.gguf' };
  const r = await engine.generate({ requestId: '1', prompt: 'hi', adapters: [adapter], maxTokens: 3, stop: ['\n'] });
  expect(r.text).toBe('[adapter-7] HI');
  expect(r.finishReason).toBe('length');
  expect(r.promptTokenCount).toBe(2);
  expect(r.completionTokenCount).toBe(3);
  expect(seen.at(-1)).toMatchObject({ model: 'adapter-7', max_tokens: 3, stop: ['\n'] });

  const chunks: string[] = [];
  const s = await engine.generate({ requestId: '2', prompt: 'yo', adapters: [], maxTokens: 3 }, { onText: (t) => chunks.push(t) });
  expect(seen.at(-1)).toMatchObject({ model: 'tiny-base', stream: true });
  expect(chunks.join('')).toBe('[tiny-base] YO');
  expect(s.text).toBe('[tiny-base] YO');
  expect(s.finishReason).toBe('stop');
  expect(s.completionTokenCount).toBe(3);
});

test('upstream errors and stacking are typed engine errors', async () => {
  const engine = new ExternalOpenAIEngine({ baseModelId: 'base', baseUrl, baseModelName: 'tiny-base' });
  const missing = { adapterId: 'missing', sha256: 'b'.repeat(64), uri: 'x' };
  await expect(engine.generate({ requestId: '3', prompt: 'x', adapters: [missing], maxTokens: 1 })).rejects.toMatchObject({ code: 'upstream_error' });
  await expect(engine.generate({ requestId: '4', prompt: 'x', adapters: [missing, missing], maxTokens: 1 })).rejects.toMatchObject({ code: 'invalid_request' });
});
