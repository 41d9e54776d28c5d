/**
 * Probes from the machine verify runs on: an HTTP(S) request where the scheme is known, a TCP
 * connect otherwise. Behind an interface so that the unit tests can fake the network.
 */
import * as dgram from 'dgram';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';

/** What one probe found. */
export interface ProbeOutcome {
  /** True when the address answered as expected (a connection, an HTTP status below 400). */
  readonly ok: boolean;
  /** Why not, or what answered (`HTTP 200`, `connected`). */
  readonly detail: string;
  /** True when nothing answered at all (refused, timed out, unreachable): what a negative check wants. */
  readonly silent: boolean;
}

/** Probes from this machine. */
export interface LocalProber {
  http(url: string, timeoutMs: number): Promise<ProbeOutcome>;
  tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome>;
  /** The source address this machine would use towards `host` (nothing is sent), if known. */
  sourceAddress(host: string): Promise<string | undefined>;
}

/** The LocalProber of Node's own network stack. */
export class NetProber implements LocalProber {
  public http(url: string, timeoutMs: number): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      const lib = url.startsWith('https:') ? https : http;
      // Reachability, not identity: self-signed certificates (the norm inside clusters) are accepted.
      const req = lib.get(url, { timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve({ ok: status < 400, silent: false, detail: `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}` });
      });
      req.on('timeout', () => { req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)); });
      req.on('error', (e: any) => resolve({ ok: false, silent: true, detail: socketReason(e) }));
    });
  }

  public tcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const done = (o: ProbeOutcome) => { socket.destroy(); resolve(o); };
      socket.setTimeout(timeoutMs, () => done({ ok: false, silent: true, detail: `no answer within ${timeoutMs / 1000}s` }));
      socket.on('connect', () => done({ ok: true, silent: false, detail: 'connected' }));
      socket.on('error', (e) => done({ ok: false, silent: true, detail: socketReason(e) }));
    });
  }

  public sourceAddress(host: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      // connect() on a UDP socket only picks the route and the source address: no packet is sent.
      const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.on('error', () => { socket.close(); resolve(undefined); });
      socket.connect(9, host, () => {
        try {
          resolve(socket.address().address);
        } catch {
          resolve(undefined);
        }
        socket.close();
      });
    });
  }
}

/** A short reason for a socket error. */
export function socketReason(e: any): string {
  switch (e?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENETUNREACH': return 'network unreachable';
    case 'ETIMEDOUT': return 'timed out';
    default: return e?.message ?? String(e);
  }
}

/** The shell script that probes from the probe pod (busybox: `timeout`, `wget`, `nc`). */
export function podProbeScript(target: { url?: string; host: string; port: number }, timeoutSeconds: number): string {
  return target.url
    ? `timeout ${timeoutSeconds} wget -q -O /dev/null '${target.url}' 2>&1`
    : `timeout ${timeoutSeconds} nc '${target.host}' ${target.port} </dev/null 2>&1`;
}

/** Reads the outcome of `podProbeScript` from its exit status and output. */
export function podProbeOutcome(code: number, output: string, timeoutSeconds: number): ProbeOutcome {
  if (code === 0) return { ok: true, silent: false, detail: 'answered' };
  const text = output.trim().split('\n').pop() ?? '';
  if (code === 143 || code === 124 || /Terminated|timed out/i.test(text)) {
    return { ok: false, silent: true, detail: `no answer within ${timeoutSeconds}s` };
  }
  if (/server returned error: (.*)/.test(text)) {
    return { ok: false, silent: false, detail: /server returned error: (.*)/.exec(text)![1].replace(/^HTTP\/1\.[01] /, 'HTTP ') };
  }
  if (/refused/i.test(text)) return { ok: false, silent: true, detail: 'connection refused' };
  return { ok: false, silent: /unreachable|reset/i.test(text), detail: text.replace(/^(wget|nc): /, '') || `exit status ${code}` };
}
