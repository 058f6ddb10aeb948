import dns from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { EngineError } from '../errors.js';

/**
 * Adapter URIs come from the chain: any model owner can register one, and any caller can make the engine
 * fetch it by asking for that adapter. So the engine refuses to be pointed inside the network it runs in:
 * link-local addresses (cloud metadata services) always, loopback and private ranges unless the host is
 * listed (the gateway's own PUBLIC_URL, where uploaded adapter files are served, is listed by default).
 * Addresses are checked as the connection is made, after DNS, so a name cannot resolve to one later.
 */
export interface HttpSourceOptions {
  /** Hosts (names or IP literals, without port) that may resolve to loopback or private addresses. */
  allowPrivateHosts: string[];
  timeoutMs: number;
  maxRedirects?: number;
}

const ALWAYS_REFUSED = new net.BlockList();
ALWAYS_REFUSED.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"
ALWAYS_REFUSED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: 169.254.169.254 metadata services
ALWAYS_REFUSED.addSubnet('224.0.0.0', 3, 'ipv4'); // multicast, reserved, broadcast
ALWAYS_REFUSED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
ALWAYS_REFUSED.addAddress('::', 'ipv6');
ALWAYS_REFUSED.addSubnet('fe80::', 10, 'ipv6'); // link-local
ALWAYS_REFUSED.addSubnet('ff00::', 8, 'ipv6'); // multicast
ALWAYS_REFUSED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const PRIVATE = new net.BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** Why `address` may not be fetched from for `host`, or undefined when it may. */
export function refusalFor(address: string, host: string, allowPrivateHosts: readonly string[]): string | undefined {
  const family = net.isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type: net.IPVersion = family === 4 ? 'ipv4' : 'ipv6';
  // an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries
  const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const [ip, t]: [string, net.IPVersion] = mapped ? [mapped, 'ipv4'] : [address, type];
  if (ALWAYS_REFUSED.check(ip, t)) return `${host} resolves to ${address}, a link-local, multicast or metadata address`;
  if (PRIVATE.check(ip, t) && !allowPrivateHosts.includes(host.toLowerCase())) {
    return `${host} resolves to ${address}, a loopback or private address (list the host in ADAPTER_FETCH_PRIVATE_HOSTS to allow it)`;
  }
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that fails the connection when any address the name resolves to is refused. */
function guardedLookup(allowPrivateHosts: readonly string[]) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      for (const a of addresses) {
        const why = refusalFor(a.address, hostname, allowPrivateHosts);
        if (why) return callback(Object.assign(new Error(why), { code: 'EADDRREFUSED' }), '');
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** GETs `url` (following up to `maxRedirects` redirects, each checked like the first) and returns the response. */
export async function openHttp(url: string, options: HttpSourceOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const maxRedirects = options.maxRedirects ?? 3;
  let current = url;
  for (let hop = 0; ; hop++) {
    let target: URL;
    try {
      target = new URL(current);
    } catch {
      throw new EngineError('adapter_fetch_failed', `adapter url "${current}" is not a valid URL`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new EngineError('adapter_fetch_failed', `adapter url ${current}: only http and https are fetched`);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // an IP literal never goes through lookup: judge it here
    if (net.isIP(host)) {
      const why = refusalFor(host, host, options.allowPrivateHosts);
      if (why) throw new EngineError('adapter_fetch_failed', `adapter download from ${url} refused: ${why}`);
    }
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const get = target.protocol === 'https:' ? https.get : http.get;
      const req = get(target, { lookup: guardedLookup(options.allowPrivateHosts) as never, signal, agent: false, headers: { 'user-agent': 'openledger-engine' } }, resolve);
      req.on('error', reject);
    }).catch((e: Error & { code?: string }) => {
      const why = e.code === 'EADDRREFUSED' ? `refused: ${e.message}` : signal.aborted ? `timed out after ${options.timeoutMs} ms` : `failed: ${e.message}`;
      throw new EngineError('adapter_fetch_failed', `adapter download from ${url} ${why}`);
    });
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= maxRedirects) throw new EngineError('adapter_fetch_failed', `adapter download from ${url}: more than ${maxRedirects} redirects`);
      current = new URL(res.headers.location, target).toString();
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new EngineError('adapter_fetch_failed', `adapter download from ${url} answered HTTP ${status}`);
    }
    return res;
  }
}
