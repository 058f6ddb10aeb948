import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { AdapterStore } from '../src/engine/runtime/adapter-store.js';
import { refusalFor } from '../src/engine/runtime/http-source.js';
import { createEngineFixtures, type EngineFixtures } from '../src/testing/fixtures.js';

// Adapter URIs are chosen by whoever registers an adapter on chain: the engine must not be a way into its own network.
let fx: EngineFixtures;
let server: Server;
let port: number;
let bytes: Buffer;
const hits: string[] = [];

beforeAll(async () => {
  fx = await createEngineFixtures();
  bytes = await readFile(fx.adapters.c.uri);
  server = createServer((req, res) => {
    hits.push(req.url!);
    if (req.url === '/c.gguf') return res.end(bytes);
    if (req.url === '/moved') return res.writeHead(302, { location: '/c.gguf' }).end();
    if (req.url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.close();
  await rm(fx.dir, { recursive: true, force: true });
});

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'adapter-fetch-'));
  hits.length = 0;
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

const store = (allowPrivateHosts: string[]) => new AdapterStore({ cacheDir, allowedLocalDirs: [fx.adapterDir], maxAdapterBytes: 10_000_000, allowPrivateHosts, fetchTimeoutMs: 5_000 });
const fetchFrom = (st: AdapterStore, uri: string) => st.ensureLocal({ ...fx.adapters.c, uri });

test('a loopback or private host is fetched only when listed; a name is judged by what it resolves to', async () => {
  await expect(fetchFrom(store([]), `http://127.0.0.1:${port}/c.gguf`)).rejects.toMatchObject({
    code: 'adapter_fetch_failed',
    message: expect.stringContaining('127.0.0.1 resolves to 127.0.0.1, a loopback or private address'),
  });
  await expect(fetchFrom(store(['127.0.0.1']), `http://localhost:${port}/c.gguf`)).rejects.toMatchObject({
    message: expect.stringMatching(/refused: localhost resolves to (127\.0\.0\.1|::1), a loopback or private address/),
  });
  await expect(fetchFrom(store([]), `http://[::ffff:127.0.0.1]:${port}/c.gguf`)).rejects.toMatchObject({ message: expect.stringContaining('loopback or private') });
  expect(hits).toEqual([]); // refused before any byte was sent
  const file = await fetchFrom(store(['127.0.0.1']), `http://127.0.0.1:${port}/c.gguf`);
  expect(await readFile(file)).toEqual(bytes);
});

test('link-local and metadata addresses are refused even when listed, directly or through a redirect', async () => {
  for (const uri of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/x', 'http://[::ffff:169.254.169.254]/x', 'http://0.0.0.0/x']) {
    await expect(fetchFrom(store(['169.254.169.254', 'fe80::1', '0.0.0.0']), uri)).rejects.toMatchObject({
      code: 'adapter_fetch_failed',
      message: expect.stringContaining('link-local, multicast or metadata address'),
    });
  }
  await expect(fetchFrom(store(['127.0.0.1']), `http://127.0.0.1:${port}/to-metadata`)).rejects.toMatchObject({ message: expect.stringContaining('169.254.169.254') });
  expect(await readdir(cacheDir)).toEqual([]);
});

test('redirects are followed within the same rules, up to a limit; HTTP errors and other schemes are named', async () => {
  const file = await fetchFrom(store(['127.0.0.1']), `http://127.0.0.1:${port}/moved`);
  expect(await readFile(file)).toEqual(bytes);
  await rm(file); // the failures below must not be answered from the cache
  const st = store(['127.0.0.1']);
  await expect(fetchFrom(st, `http://127.0.0.1:${port}/loop`)).rejects.toMatchObject({ message: expect.stringContaining('more than 3 redirects') });
  await expect(fetchFrom(st, `http://127.0.0.1:${port}/absent.gguf`)).rejects.toMatchObject({ message: expect.stringContaining('answered HTTP 404') });
  await expect(fetchFrom(st, 'ftp://127.0.0.1/c.gguf')).rejects.toMatchObject({ code: 'adapter_fetch_failed' });
});

test('address classes', () => {
  for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '127.0.0.2', '::1', 'fd12::1', '::ffff:10.0.0.1']) {
    expect(refusalFor(a, 'h', [])).toContain('loopback or private');
    expect(refusalFor(a, 'h', ['h'])).toBeUndefined();
  }
  for (const a of ['169.254.169.254', '169.254.1.1', 'fe80::abcd', '224.0.0.1', '255.255.255.255', '100.100.100.200', 'fd00:ec2::254']) {
    expect(refusalFor(a, 'h', ['h'])).toContain('metadata');
  }
  for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111', '100.128.0.1']) expect(refusalFor(a, 'h', [])).toBeUndefined();
});

test("config: PUBLIC_URL's host may always be fetched from; ADAPTER_FETCH_PRIVATE_HOSTS adds hosts and refuses URLs", () => {
  expect(loadConfig({ PUBLIC_URL: 'http://gateway.internal:8080' }).engine.allowPrivateHosts).toEqual(['gateway.internal']);
  expect(loadConfig({ PORT: '9000', ADAPTER_FETCH_PRIVATE_HOSTS: 'files.lan, 10.0.0.5' }).engine.allowPrivateHosts).toEqual(['127.0.0.1', 'files.lan', '10.0.0.5']);
  expect(() => loadConfig({ ADAPTER_FETCH_PRIVATE_HOSTS: 'http://files.lan' })).toThrow(/ADAPTER_FETCH_PRIVATE_HOSTS/);
  expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
});
