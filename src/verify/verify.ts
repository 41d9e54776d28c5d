/**
 * `cdk8s-expose verify`: the access guide, executed. For every access point: wait (bounded) until
 * the pods behind it are ready, resolve what the guide leaves to the cluster, and probe it from
 * where it is meant to be reachable.
 */
import { ClusterClient, Identity, ProbePod } from './cluster';
import { GuideApp, GuidePoint } from './guide';
import { LocalProber, podProbeOutcome, podProbeScript, ProbeOutcome } from './probe';
import { parseCidr, parseIp } from '../core/net';

/** The verdict of one row of the report. */
export enum Verdict {
  /** Probed and reachable (or, for a negative check: probed and silent as it must be). */
  PASSED = 'passed',
  /** Probed and not as the guide says. */
  FAILED = 'failed',
  /** Not probed, with the reason; never counted as passed. */
  NOT_PROBED = 'not probed',
}

/** One row of the report: one probe of one access point (or why there was none). */
export interface VerifyResult {
  /** The app's construct path. */
  readonly app: string;
  /** The access point as the guide writes it. */
  readonly point: string;
  /** What was probed (`http://10.200.0.1:30018/`), from where (`from outside`, `from a pod`, ...). */
  readonly probed: string;
  /** Whether this row checks that something does NOT answer. */
  readonly negative: boolean;
  readonly verdict: Verdict;
  /** What answered, or why it failed / was not probed. */
  readonly reason: string;
  /** How it was resolved (DNS through the API, allocated ports, ...). */
  readonly notes: string[];
  /** Milliseconds the probe took. */
  readonly ms: number;
}

/** Options of one verify run. */
export interface VerifyOptions {
  /** How long to wait for readiness and load balancer addresses, in total (ms). */
  readonly timeoutMs: number;
  /** Per-probe timeout (ms). */
  readonly probeTimeoutMs: number;
  /** The image of the probe pod (needs `sh`, `timeout`, `wget`, `nc`: busybox). */
  readonly probeImage: string;
  /** Also check that what is not exposed does not answer. */
  readonly negative: boolean;
  /** Who `kubectl proxy` runs as. */
  readonly proxyIdentity?: Identity;
}

/** Where progress goes (stderr on a terminal; nowhere otherwise). */
export type Progress = (line: string) => void;

const NOT_ANSWERING = /^(connection refused|no answer|host unreachable|network unreachable|connection reset|timed out)/;

/** Runs verify over `apps`; rejects only with a VerifyError (bad input, cluster, permissions). */
export async function verifyApps(apps: GuideApp[], options: VerifyOptions, client: ClusterClient, local: LocalProber,
  progress: Progress = () => undefined): Promise<VerifyResult[]> {
  const run = new Run(options, client, local, progress);
  try {
    await client.checkAccess([...new Set(apps.map((a) => a.namespace))]);
    const results: VerifyResult[] = [];
    for (const app of apps) {
      for (const point of app.accessPoints) {
        results.push(...await run.point(app, point));
      }
    }
    return results;
  } finally {
    await run.close();
    await client.cleanup();
  }
}

interface Endpoint { readonly ip: string; readonly nodeName?: string; readonly ready: boolean }

interface Readiness {
  /** The ready endpoints (or pods). */
  readonly ready: Endpoint[];
  /** Why not all of them, when not. */
  readonly problem?: string;
}

/** The state of one run: the deadline, caches, the probe pods and the proxy. */
class Run {
  private readonly deadline: number;
  private readonly probePods = new Map<string, Promise<ProbePod>>();
  private proxy?: Promise<string>;
  private stopProxy?: () => void;

  constructor(private readonly options: VerifyOptions, private readonly client: ClusterClient,
    private readonly local: LocalProber, private readonly progress: Progress) {
    this.deadline = Date.now() + options.timeoutMs;
  }

  public async close(): Promise<void> {
    this.stopProxy?.();
  }

  public async point(app: GuideApp, p: GuidePoint): Promise<VerifyResult[]> {
    const label = p.address ?? `${p.host}:${p.port ?? '<port>'}`;
    const row = (r: Omit<VerifyResult, 'app' | 'point' | 'notes' | 'ms' | 'negative'> & Partial<Pick<VerifyResult, 'notes' | 'ms' | 'negative'>>): VerifyResult =>
      ({ app: app.path, point: label, notes: [], ms: 0, negative: false, ...r });
    const notProbed = (reason: string, probed = '-') => [row({ probed, verdict: Verdict.NOT_PROBED, reason })];

    if (p.protocol !== 'TCP') return notProbed(`${p.protocol}: verify probes TCP only (UDP has no handshake to test)`);
    if (p.origin === 'routed-network') {
      return notProbed('routed addresses: reachable only from networks that learn the routes over BGP; run the guide\'s test from such a network');
    }
    if (p.method === 'Ingress') {
      return notProbed('a route through an ingress controller or gateway: verify does not probe routes; send the guide\'s request to the controller\'s address with the route\'s Host header');
    }
    const ns = p.serviceNamespace ?? app.namespace;
    const serviceName = p.serviceName ?? serviceFromBackend(p.backend) ?? serviceFromDns(p.host, ns);

    switch (p.method) {
      case 'HostNetwork':
      case 'HostPort':
        return this.hostPoint(app, p, row, notProbed);
      case 'NodePort':
        if (!serviceName) return notProbed('the guide names no Service behind this node port');
        return this.nodePortPoint(ns, serviceName, p, row);
      case 'LoadBalancer':
        if (!serviceName) return notProbed('the guide names no Service behind this load balancer address');
        return this.loadBalancerPoint(ns, serviceName, p, row);
      case 'ClusterIP':
      case 'PodIP':
        if (!serviceName) return notProbed('the guide names no Service behind this address');
        return this.clusterPoint(ns, serviceName, p, row);
      case 'ApiServerProxy':
        return this.proxyPoint(ns, serviceName, p, row, notProbed);
      default:
        return notProbed(`method ${p.method} is not known to this version of verify`);
    }
  }

  // --- resolution -----------------------------------------------------------------------------

  private async service(ns: string, name: string): Promise<any | undefined> {
    for (;;) {
      const svc = await this.client.get('service', ns, name);
      if (svc || Date.now() > this.deadline) return svc;
      this.progress(`waiting for Service ${ns}/${name} to exist`);
      await sleep(1000);
    }
  }

  /** The Service port a point is about: by number, then by name, then the only one. */
  private servicePortOf(svc: any, p: GuidePoint): any | undefined {
    const ports: any[] = svc.spec?.ports ?? [];
    if (p.servicePort !== undefined) return ports.find((sp) => sp.port === p.servicePort);
    if (p.method === 'NodePort' && p.port !== undefined) return ports.find((sp) => sp.nodePort === p.port) ?? ports.find((sp) => sp.name === p.portName);
    return ports.find((sp) => sp.name !== undefined && sp.name === p.portName)
      ?? ports.find((sp) => sp.port === p.port)
      ?? (ports.length === 1 ? ports[0] : undefined);
  }

  /** Waits until every endpoint of the Service port is ready (or the deadline). */
  private async endpoints(ns: string, name: string, portName: string | undefined): Promise<Readiness> {
    for (;;) {
      const ep = await this.client.get('endpoints', ns, name);
      const ready: Endpoint[] = [];
      let notReady = 0;
      for (const subset of ep?.subsets ?? []) {
        const ports: any[] = subset.ports ?? [];
        if (portName !== undefined && ports.length > 0 && !ports.some((x) => x.name === portName)) continue;
        for (const a of subset.addresses ?? []) ready.push({ ip: a.ip, nodeName: a.nodeName, ready: true });
        notReady += (subset.notReadyAddresses ?? []).length;
      }
      if ((ready.length > 0 && notReady === 0) || Date.now() > this.deadline) {
        const problem = ready.length === 0
          ? `no ready endpoint for Service ${ns}/${name}${notReady ? ` (${notReady} not ready)` : ' (no pod matches its selector, or none is ready)'} within ${this.options.timeoutMs / 1000}s`
          : notReady ? `${notReady} endpoint(s) still not ready` : undefined;
        return { ready, problem };
      }
      this.progress(`waiting for Service ${ns}/${name}: ${ready.length} ready, ${notReady} not ready`);
      await sleep(1000);
    }
  }

  /** Waits until every pod with the labels is ready (or the deadline). */
  private async pods(ns: string, selector: { [key: string]: string }): Promise<Readiness & { pods: any[] }> {
    const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    for (;;) {
      const pods = (await this.client.list('pods', ns, sel)).filter((x) => !x.metadata?.deletionTimestamp);
      const isReady = (x: any) => (x.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      const ready = pods.filter(isReady);
      if ((ready.length > 0 && ready.length === pods.length) || Date.now() > this.deadline) {
        const problem = ready.length === 0
          ? `no ready pod with ${sel} in namespace ${ns} within ${this.options.timeoutMs / 1000}s${pods.length ? ` (${pods.length} not ready: ${podWaitReason(pods[0])})` : ''}`
          : ready.length < pods.length ? `${pods.length - ready.length} pod(s) still not ready` : undefined;
        return { pods: ready, ready: ready.map((x) => ({ ip: x.status.podIP, nodeName: x.spec?.nodeName, ready: true })), problem };
      }
      this.progress(`waiting for pods ${sel} in ${ns}: ${ready.length}/${pods.length} ready`);
      await sleep(1000);
    }
  }

  private async nodeAddresses(): Promise<Map<string, string>> {
    const nodes = await this.client.list('nodes');
    const out = new Map<string, string>();
    for (const n of nodes) {
      const addrs: any[] = n.status?.addresses ?? [];
      const a = addrs.find((x) => x.type === 'ExternalIP') ?? addrs.find((x) => x.type === 'InternalIP');
      if (a) out.set(n.metadata.name, a.address);
    }
    return out;
  }

  // --- points -----------------------------------------------------------------------------------

  private async hostPoint(app: GuideApp, p: GuidePoint, row: RowFn, notProbed: (r: string) => VerifyResult[]): Promise<VerifyResult[]> {
    if (p.port === undefined) return notProbed('the guide has no port');
    if (isLoopbackHost(p.host)) return notProbed(`a loopback hostIP (${p.host}) answers only on the node itself; run the guide's test there`);
    if (!p.podSelector) return notProbed('the guide does not say which pods run this app (podSelector)');
    const r = await this.pods(app.namespace, p.podSelector);
    if (r.pods.length === 0) return [row({ probed: '-', verdict: Verdict.FAILED, reason: r.problem! })];
    const hosts = p.host.startsWith('<') ? [...new Set(r.pods.map((x: any) => x.status.hostIP as string).filter(Boolean))] : [p.host];
    const notes = p.host.startsWith('<') ? [`${p.host} = the address of each node running a ready pod: ${hosts.join(', ')}`] : [];
    if (r.problem) notes.push(r.problem);
    const out: VerifyResult[] = [];
    for (const h of hosts) out.push(await this.probeLocal(row, h, p.port, p, notes));
    return out;
  }

  private async nodePortPoint(ns: string, name: string, p: GuidePoint, row: RowFn): Promise<VerifyResult[]> {
    const svc = await this.service(ns, name);
    if (!svc) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} not found` })];
    const sp = this.servicePortOf(svc, p);
    if (!sp?.nodePort) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} has no node port for this point (type ${svc.spec?.type})` })];
    if (p.port !== undefined && p.port !== sp.nodePort) {
      return [row({ probed: '-', verdict: Verdict.FAILED, reason: `the guide says node port ${p.port}, Service ${ns}/${name} has ${sp.nodePort}` })];
    }
    const r = await this.endpoints(ns, name, sp.name);
    if (r.ready.length === 0) return [row({ probed: '-', verdict: Verdict.FAILED, reason: r.problem! })];
    const nodes = await this.nodeAddresses();
    const local = svc.spec?.externalTrafficPolicy === 'Local';
    const withPods = [...new Set(r.ready.map((e) => e.nodeName).filter((n): n is string => !!n && nodes.has(n)))];
    const chosen = [...withPods];
    // Cluster policy: any node forwards, so one node without a pod is probed too (when there is one).
    if (!local) {
      const other = [...nodes.keys()].find((n) => !withPods.includes(n));
      if (other) chosen.push(other);
    }
    if (chosen.length === 0) chosen.push(...[...nodes.keys()].slice(0, 1));
    const notes = [
      `${p.host} = ${local ? 'externalTrafficPolicy Local: the nodes running a ready pod' : 'any node'}: ${chosen.map((n) => `${n} ${nodes.get(n)}`).join(', ')}`,
      ...(p.port === undefined ? [`node port allocated by the cluster: ${sp.nodePort}`] : []),
      ...(r.problem ? [r.problem] : []),
    ];
    const out: VerifyResult[] = [];
    for (const n of chosen) out.push(await this.probeLocal(row, nodes.get(n)!, sp.nodePort, p, notes));
    return out;
  }

  private async loadBalancerPoint(ns: string, name: string, p: GuidePoint, row: RowFn): Promise<VerifyResult[]> {
    let svc = await this.service(ns, name);
    if (!svc) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} not found` })];
    while (!(svc.status?.loadBalancer?.ingress ?? []).length && Date.now() <= this.deadline) {
      this.progress(`waiting for a load balancer address of Service ${ns}/${name}`);
      await sleep(1000);
      svc = (await this.client.get('service', ns, name)) ?? svc;
    }
    const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length === 0) {
      return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} got no load balancer address within ${this.options.timeoutMs / 1000}s (is the load balancer controller running?)` })];
    }
    const sp = this.servicePortOf(svc, p);
    const port = sp?.port ?? p.port;
    if (port === undefined) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} has no such port` })];
    const r = await this.endpoints(ns, name, sp?.name);
    if (r.ready.length === 0) return [row({ probed: '-', verdict: Verdict.FAILED, reason: r.problem! })];
    const addresses: string[] = ingress.map((i) => i.ip ?? i.hostname).filter(Boolean);
    const notes: string[] = [];
    if (!p.host.startsWith('<') && !addresses.includes(p.host)) {
      notes.push(`the guide names ${p.host}; the cluster assigned ${addresses.join(', ')} (probed)`);
    } else if (p.host.startsWith('<')) {
      notes.push(`${p.host} = ${addresses.join(', ')} (status.loadBalancer.ingress)`);
    }
    if (r.problem) notes.push(r.problem);
    const ranges: string[] = svc.spec?.loadBalancerSourceRanges ?? [];
    const out: VerifyResult[] = [];
    for (const address of addresses) {
      const source = ranges.length ? await this.local.sourceAddress(address) : undefined;
      const outside = source !== undefined && !inRanges(source, ranges);
      if (outside) {
        const why = `this machine (${source}) is outside loadBalancerSourceRanges ${ranges.join(', ')}`;
        out.push(row({ probed: `${address}:${port} from outside`, verdict: Verdict.NOT_PROBED, reason: `${why}: only those sources may connect; run verify from one of them`, notes }));
        if (this.options.negative) {
          out.push(await this.probeLocal(row, address, port, p, [`${why}: must be refused`], true));
        }
      } else {
        out.push(await this.probeLocal(row, address, port, p, notes));
        if (this.options.negative && ranges.length) out.push(await this.sourceRangeNegative(row, ns, address, port, p, ranges));
      }
    }
    return out;
  }

  /** From the probe pod, when its address is outside the source ranges: the load balancer must refuse it. */
  private async sourceRangeNegative(row: RowFn, ns: string, address: string, port: number, p: GuidePoint, ranges: string[]): Promise<VerifyResult> {
    const pod = await this.probePod(ns);
    const probed = `${address}:${port} from a pod`;
    if (!pod.podIP || inRanges(pod.podIP, ranges)) {
      return row({ probed, negative: true, verdict: Verdict.NOT_PROBED, reason: `no client outside loadBalancerSourceRanges ${ranges.join(', ')} to probe from (the probe pod is ${pod.podIP ?? 'unknown'})` });
    }
    return this.probeInPod(row, ns, address, port, p, [`the probe pod (${pod.podIP}) is outside loadBalancerSourceRanges ${ranges.join(', ')}: must be refused`], true);
  }

  private async clusterPoint(ns: string, name: string, p: GuidePoint, row: RowFn): Promise<VerifyResult[]> {
    const svc = await this.service(ns, name);
    if (!svc) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} not found` })];
    const headless = svc.spec?.clusterIP === 'None';
    const sp = this.servicePortOf(svc, p);
    const r = await this.endpoints(ns, name, sp?.name);
    if (r.ready.length === 0) return [row({ probed: '-', verdict: Verdict.FAILED, reason: r.problem! })];
    if (p.port === undefined) return [row({ probed: '-', verdict: Verdict.NOT_PROBED, reason: 'the guide has no port' })];
    const targets = headless ? r.ready.map((e) => e.ip) : [svc.spec.clusterIP as string];
    const viaDns = /\.svc(\.|$)/.test(p.host);
    const notes = [
      ...(viaDns ? [`${p.host} resolved through the API (not cluster DNS): ${headless ? 'headless, the endpoint addresses' : 'the Service IP'} ${targets.join(', ')}`] : []),
      ...(r.problem ? [r.problem] : []),
    ];
    const out: VerifyResult[] = [];
    for (const t of targets) {
      out.push(await this.probeInPod(row, ns, t, p.port, p, notes));
    }
    if (this.options.negative) {
      for (const t of targets) out.push(await this.probeLocal(row, t, p.port, p, ['cluster-internal: must not answer from outside'], true));
    }
    return out;
  }

  private async proxyPoint(ns: string, name: string | undefined, p: GuidePoint, row: RowFn,
    notProbed: (r: string) => VerifyResult[]): Promise<VerifyResult[]> {
    if (!p.path || /<[^>]+>/.test(p.path)) return notProbed('the path has a placeholder (a pod name): name the pod and run the guide\'s test');
    const notes: string[] = [];
    if (name) {
      const svc = await this.service(ns, name);
      if (!svc) return [row({ probed: '-', verdict: Verdict.FAILED, reason: `Service ${ns}/${name} not found` })];
      const r = await this.endpoints(ns, name, this.servicePortOf(svc, p)?.name);
      if (r.ready.length === 0) return [row({ probed: '-', verdict: Verdict.FAILED, reason: r.problem! })];
      if (r.problem) notes.push(r.problem);
    }
    const address = await this.proxyAddress();
    const who = this.options.proxyIdentity?.user ? ` as ${this.options.proxyIdentity.user}` : '';
    notes.push(`kubectl proxy${who} on ${address} stands in for ${p.host}:${p.port}`);
    return [await this.timed(row, `http://${address}${p.path} (kubectl proxy${who})`, false, notes, () => this.local.http(`http://${address}${p.path}`, this.options.probeTimeoutMs))];
  }

  private proxyAddress(): Promise<string> {
    this.proxy ??= this.client.startProxy(this.options.proxyIdentity).then((px) => {
      this.stopProxy = px.stop;
      return px.address;
    });
    return this.proxy;
  }

  private probePod(ns: string): Promise<ProbePod> {
    let pod = this.probePods.get(ns);
    if (!pod) {
      this.progress(`starting a probe pod (${this.options.probeImage}) in namespace ${ns}`);
      pod = this.client.startProbePod(ns, this.options.probeImage, Math.max(this.deadline, Date.now() + 30_000));
      this.probePods.set(ns, pod);
    }
    return pod;
  }

  // --- probes -----------------------------------------------------------------------------------

  private probeLocal(row: RowFn, host: string, port: number, p: GuidePoint, notes: string[], negative = false): Promise<VerifyResult> {
    const url = urlOf(p, host, port);
    const timeout = negative ? Math.min(this.options.probeTimeoutMs, 3000) : this.options.probeTimeoutMs;
    return this.timed(row, `${url ?? `${hostPort(host, port)}`} from outside`, negative, notes,
      () => (url ? this.local.http(url, timeout) : this.local.tcp(host, port, timeout)));
  }

  private async probeInPod(row: RowFn, ns: string, host: string, port: number, p: GuidePoint, notes: string[],
    negative = false): Promise<VerifyResult> {
    const pod = await this.probePod(ns);
    const url = urlOf(p, host, port);
    const seconds = Math.max(1, Math.round((negative ? Math.min(this.options.probeTimeoutMs, 3000) : this.options.probeTimeoutMs) / 1000));
    return this.timed(row, `${url ?? hostPort(host, port)} from a pod`, negative, notes, async () => {
      const r = await pod.exec(podProbeScript({ url, host, port }, seconds), seconds * 1000 + 15_000);
      return podProbeOutcome(r.code, `${r.stdout}\n${r.stderr}`, seconds);
    });
  }

  private async timed(row: RowFn, probed: string, negative: boolean, notes: string[], probe: () => Promise<ProbeOutcome>): Promise<VerifyResult> {
    this.progress(`probing ${probed}${negative ? ' (must not answer)' : ''}`);
    const start = Date.now();
    const o = await probe();
    const ms = Date.now() - start;
    if (!negative) {
      return row({ probed, verdict: o.ok ? Verdict.PASSED : Verdict.FAILED, reason: o.ok ? o.detail : failureReason(o.detail), notes, ms });
    }
    const silent = o.silent || NOT_ANSWERING.test(o.detail);
    return row({ probed, negative, verdict: silent ? Verdict.PASSED : Verdict.FAILED, reason: silent ? `no answer, as required (${o.detail})` : `answered (${o.detail}) but must not`, notes, ms });
  }
}

type RowFn = (r: Omit<VerifyResult, 'app' | 'point' | 'notes' | 'ms' | 'negative'> & Partial<Pick<VerifyResult, 'notes' | 'ms' | 'negative'>>) => VerifyResult;

function failureReason(detail: string): string {
  if (/^HTTP 403/.test(detail)) return `${detail}: the identity is not allowed (is it one of the bound subjects?)`;
  if (/connection refused/.test(detail)) return `${detail}: nothing listens there (does the container listen on the Service's targetPort?)`;
  return detail;
}

function urlOf(p: GuidePoint, host: string, port: number): string | undefined {
  if (p.scheme !== 'http' && p.scheme !== 'https') return undefined;
  return `${p.scheme}://${hostPort(host, port)}${p.path ?? '/'}`;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function isLoopbackHost(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost';
}

/** `Service ns/name` -> name (guides written before `serviceName` existed). */
function serviceFromBackend(backend: string | undefined): string | undefined {
  const m = /^Service [a-z0-9-]+\/([a-z0-9-]+)$/.exec(backend ?? '');
  return m?.[1];
}

/** `name.ns.svc.cluster.local` -> name, when ns is the app's namespace. */
function serviceFromDns(host: string, ns: string): string | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.|$)/.exec(host);
  return m && m[2] === ns ? m[1] : undefined;
}

/** Whether an address lies in one of the CIDRs. */
export function inRanges(address: string, ranges: string[]): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  return ranges.some((r) => {
    const c = parseCidr(r);
    return c !== undefined && c.family === ip.family && ip.value >= c.first && ip.value <= c.last;
  });
}

function podWaitReason(pod: any): string {
  const s = pod.status?.containerStatuses?.[0]?.state;
  if (s?.waiting) return `${s.waiting.reason}${s.waiting.message ? `: ${s.waiting.message}` : ''}`;
  const cond = (pod.status?.conditions ?? []).find((c: any) => c.status === 'False' && c.message);
  return cond ? cond.message : `phase ${pod.status?.phase ?? 'unknown'}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
