/**
 * `cdk8s-expose verify` against a fake cluster and a fake network: resolution, each probe kind,
 * "not probed", negative checks, the table and JSON, exit codes and the bad-input lines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/verify/cli';
import { ApiProxy, ClusterClient, Identity, ProbePod, probePodManifest } from '../src/verify/cluster';
import { relocate, parseGuide, VerifyError } from '../src/verify/guide';
import { LocalProber, podProbeOutcome, podProbeScript, ProbeOutcome } from '../src/verify/probe';

const NODE = { metadata: { name: 'node-a' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } };
const NODE_B = { metadata: { name: 'node-b' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } };

function endpoints(ips: string[], notReady: string[] = [], portName?: string) {
  return {
    subsets: [{
      addresses: ips.map((ip) => ({ ip, nodeName: 'node-a' })),
      notReadyAddresses: notReady.map((ip) => ({ ip, nodeName: 'node-a' })),
      ports: [{ port: 80, name: portName }],
    }],
  };
}

/** A cluster held in maps; records what verify asked for. */
class FakeCluster implements ClusterClient {
  public objects = new Map<string, any>();
  public pods: any[] = [];
  public nodes: any[] = [NODE];
  public execs: string[] = [];
  public proxies: (Identity | undefined)[] = [];
  public cleaned = false;
  public accessProblem?: string;
  /** exit status and output of a probe-pod command, by the address it probes. */
  public podAnswers = new Map<string, { code: number; output: string }>();

  public async checkAccess(): Promise<void> {
    if (this.accessProblem) throw new VerifyError(this.accessProblem);
  }
  public async get(kind: string, namespace: string, name: string): Promise<any> {
    return this.objects.get(`${kind}/${namespace}/${name}`);
  }
  public async list(kind: string): Promise<any[]> {
    return kind === 'nodes' ? this.nodes : this.pods;
  }
  public async startProbePod(): Promise<ProbePod> {
    return {
      podIP: '10.244.0.99',
      exec: async (script: string) => {
        this.execs.push(script);
        const hit = [...this.podAnswers.entries()].find(([addr]) => script.includes(addr));
        const a = hit?.[1] ?? { code: 0, output: '' };
        return { code: a.code, stdout: a.output, stderr: '' };
      },
    };
  }
  public async startProxy(identity?: Identity): Promise<ApiProxy> {
    this.proxies.push(identity);
    return { address: '127.0.0.1:45678', stop: () => undefined };
  }
  public async cleanup(): Promise<void> {
    this.cleaned = true;
  }
  public service(ns: string, name: string, spec: any, status: any = {}) {
    this.objects.set(`service/${ns}/${name}`, { metadata: { name, namespace: ns }, spec, status });
  }
  public endpoints(ns: string, name: string, ep: any) {
    this.objects.set(`endpoints/${ns}/${name}`, ep);
  }
}

/** The network from this machine: answers by URL or host:port. */
class FakeNetwork implements LocalProber {
  public answers = new Map<string, ProbeOutcome>();
  public probed: string[] = [];
  public source = '10.0.0.50';
  public async http(url: string): Promise<ProbeOutcome> {
    this.probed.push(url);
    return this.answers.get(url) ?? { ok: false, silent: true, detail: 'no answer within 5s' };
  }
  public async tcp(host: string, port: number): Promise<ProbeOutcome> {
    this.probed.push(`${host}:${port}`);
    return this.answers.get(`${host}:${port}`) ?? { ok: false, silent: true, detail: 'connection refused' };
  }
  public async sourceAddress(): Promise<string | undefined> {
    return this.source;
  }
}

const OK: ProbeOutcome = { ok: true, silent: false, detail: 'HTTP 200 OK' };
const CONNECTED: ProbeOutcome = { ok: true, silent: false, detail: 'connected' };

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function guideFile(apps: any[], name = 'access.json'): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ apps }));
  return file;
}

function app(points: any[], namespace = 'web', p = 'chart/App') {
  return { path: p, pattern: 'test', namespace, prerequisites: [], accessPoints: points };
}

async function verify(args: string[], cluster: FakeCluster, net: FakeNetwork, interactive = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(['verify', ...args], {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    interactive,
    client: () => cluster,
    prober: net,
  });
  return { code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout) : undefined };
}

const NODE_PORT_POINT = {
  origin: 'outside-cluster',
  method: 'NodePort',
  host: '<node-ip>',
  port: 30080,
  protocol: 'TCP',
  scheme: 'http',
  serviceName: 'nginx',
  servicePort: 80,
  address: 'http://<node-ip>:30080',
};

describe('verify: resolution and probes', () => {
  test('a NodePort point is probed on the node running the pod and on another node (Cluster policy)', async () => {
    const c = new FakeCluster();
    c.nodes = [NODE, NODE_B];
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    c.endpoints('web', 'nginx', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.0.0.1:30080/', OK).set('http://10.0.0.2:30080/', OK);
    const r = await verify([guideFile([app([NODE_PORT_POINT])]), '--json'], c, n);
    expect(r.code).toBe(0);
    expect(n.probed).toEqual(['http://10.0.0.1:30080/', 'http://10.0.0.2:30080/']);
    expect(r.json.summary).toEqual({ passed: 2, failed: 0, notProbed: 0 });
    expect(r.json.results[0].notes[0]).toMatch(/any node: node-a 10\.0\.0\.1, node-b 10\.0\.0\.2/);
    expect(c.cleaned).toBe(true);
  });

  test('with externalTrafficPolicy Local only the nodes running a ready pod are probed; an allocated node port is read from the Service', async () => {
    const c = new FakeCluster();
    c.nodes = [NODE, NODE_B];
    c.service('web', 'nginx', { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 31234 }] });
    c.endpoints('web', 'nginx', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.0.0.1:31234/', OK);
    const r = await verify([guideFile([app([{ ...NODE_PORT_POINT, port: undefined }])]), '--json'], c, n);
    expect(r.code).toBe(0);
    expect(n.probed).toEqual(['http://10.0.0.1:31234/']);
    expect(r.json.results[0].notes).toEqual(expect.arrayContaining([expect.stringMatching(/Local/), 'node port allocated by the cluster: 31234']));
  });

  test('fails if the guide\'s node port is not the Service\'s', async () => {
    const c = new FakeCluster();
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30099 }] });
    const r = await verify([guideFile([app([{ ...NODE_PORT_POINT, servicePort: 80 }])]), '--json'], c, new FakeNetwork());
    expect(r.code).toBe(1);
    expect(r.json.results[0].reason).toBe('the guide says node port 30080, Service web/nginx has 30099');
  });

  test('fails with a reason when nothing listens on the target port', async () => {
    const c = new FakeCluster();
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    c.endpoints('web', 'nginx', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.0.0.1:30080/', { ok: false, silent: true, detail: 'connection refused' });
    const r = await verify([guideFile([app([NODE_PORT_POINT])])], c, n);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED +\d+\.\ds +connection refused: nothing listens there/);
    expect(r.stdout).toMatch(/0 passed, 1 failed, 0 not probed/);
  });

  test('fails if no pod becomes ready within --timeout', async () => {
    const c = new FakeCluster();
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    c.endpoints('web', 'nginx', endpoints([], ['10.244.0.5']));
    const r = await verify([guideFile([app([NODE_PORT_POINT])]), '--timeout=0.1', '--json'], c, new FakeNetwork());
    expect(r.code).toBe(1);
    expect(r.json.results[0].reason).toMatch(/^no ready endpoint for Service web\/nginx \(1 not ready\) within 0\.1s/);
  });

  test('host-network and host-port points are probed on the nodes that run the pods (TCP connect without a scheme)', async () => {
    const c = new FakeCluster();
    c.pods = [{ metadata: { name: 'p' }, spec: { nodeName: 'node-a' }, status: { hostIP: '10.0.0.1', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } }];
    const n = new FakeNetwork();
    n.answers.set('10.0.0.1:8086', CONNECTED);
    const point = { origin: 'outside-cluster', method: 'HostPort', host: '<node-ip>', port: 8086, protocol: 'TCP', podSelector: { app: 'influx' } };
    const r = await verify([guideFile([app([point])]), '--json'], c, n);
    expect(r.code).toBe(0);
    expect(r.json.results[0]).toMatchObject({ probed: '10.0.0.1:8086 from outside', verdict: 'passed', reason: 'connected' });
  });

  test('a ClusterIP point: DNS name resolved through the API, probed from a probe pod; --negative: silent from outside', async () => {
    const c = new FakeCluster();
    c.service('web', 'web', { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80, name: 'http' }] });
    c.endpoints('web', 'web', endpoints(['10.244.0.5'], [], 'http'));
    const n = new FakeNetwork();
    const point = { origin: 'cluster-network', method: 'ClusterIP', host: 'web.web.svc.cluster.local', port: 80, portName: 'http', protocol: 'TCP', serviceName: 'web' };
    const r = await verify([guideFile([app([point])]), '--negative', '--json'], c, n);
    expect(r.code).toBe(0);
    expect(c.execs).toEqual(["timeout 5 nc '10.96.0.10' 80 </dev/null 2>&1"]);
    expect(r.json.results.map((x: any) => [x.probed, x.negative, x.verdict])).toEqual([
      ['10.96.0.10:80 from a pod', false, 'passed'],
      ['10.96.0.10:80 from outside', true, 'passed'],
    ]);
    expect(r.json.results[0].notes[0]).toBe('web.web.svc.cluster.local resolved through the API (not cluster DNS): the Service IP 10.96.0.10');
  });

  test('fails a negative check if a cluster-internal Service answers from outside', async () => {
    const c = new FakeCluster();
    c.service('web', 'web', { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    c.endpoints('web', 'web', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('10.96.0.10:80', CONNECTED);
    const point = { origin: 'cluster-network', method: 'ClusterIP', host: 'web.web.svc.cluster.local', port: 80, protocol: 'TCP', serviceName: 'web' };
    const r = await verify([guideFile([app([point])]), '--negative', '--json'], c, n);
    expect(r.code).toBe(1);
    expect(r.json.results[1]).toMatchObject({ negative: true, verdict: 'failed', reason: 'answered (connected) but must not' });
  });

  test('a headless point resolves to the endpoint addresses; each is probed over HTTP from the pod', async () => {
    const c = new FakeCluster();
    c.service('web', 'peers', { clusterIP: 'None', ports: [{ port: 80 }] });
    c.endpoints('web', 'peers', endpoints(['10.244.0.5', '10.244.0.6']));
    c.podAnswers.set('10.244.0.6', { code: 1, output: 'wget: server returned error: HTTP/1.1 404 Not Found' });
    const point = { origin: 'cluster-network', method: 'PodIP', host: 'peers.web.svc.cluster.local', port: 80, protocol: 'TCP', scheme: 'http', serviceName: 'peers', servicePort: 80 };
    const r = await verify([guideFile([app([point])]), '--json'], c, new FakeNetwork());
    expect(r.code).toBe(1);
    expect(c.execs).toEqual([
      "timeout 5 wget -q -O /dev/null 'http://10.244.0.5:80/' 2>&1",
      "timeout 5 wget -q -O /dev/null 'http://10.244.0.6:80/' 2>&1",
    ]);
    expect(r.json.results.map((x: any) => [x.verdict, x.reason])).toEqual([['passed', 'answered'], ['failed', 'HTTP 404 Not Found']]);
    expect(r.json.results[0].notes[0]).toMatch(/headless, the endpoint addresses 10\.244\.0\.5, 10\.244\.0\.6/);
  });

  test('a load balancer point is probed at the address in the Service status, and says when it differs from the guide', async () => {
    const c = new FakeCluster();
    c.service('web', 'lb', { type: 'LoadBalancer', ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '10.200.0.200' }] } });
    c.endpoints('web', 'lb', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.200.0.200:80/', OK);
    const point = { origin: 'outside-cluster', method: 'LoadBalancer', host: '192.168.9.0', port: 80, protocol: 'TCP', scheme: 'http', serviceName: 'lb' };
    const r = await verify([guideFile([app([point])]), '--json'], c, n);
    expect(r.code).toBe(0);
    expect(r.json.results[0].notes[0]).toBe('the guide names 192.168.9.0; the cluster assigned 10.200.0.200 (probed)');
  });

  test('outside loadBalancerSourceRanges: not probed, and --negative checks the refusal; inside: probed, and the probe pod must be refused', async () => {
    const c = new FakeCluster();
    c.service('web', 'lb', { type: 'LoadBalancer', loadBalancerSourceRanges: ['192.168.0.0/16'], ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '10.200.0.200' }] } });
    c.endpoints('web', 'lb', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    const point = { origin: 'outside-cluster', method: 'LoadBalancer', host: '<load-balancer-ip>', port: 80, protocol: 'TCP', serviceName: 'lb' };
    const outside = await verify([guideFile([app([point])]), '--negative', '--json'], c, n);
    expect(outside.code).toBe(0);
    expect(outside.json.results.map((x: any) => [x.verdict, x.negative])).toEqual([['not probed', false], ['passed', true]]);
    expect(outside.json.results[0].reason).toMatch(/^this machine \(10\.0\.0\.50\) is outside loadBalancerSourceRanges 192\.168\.0\.0\/16/);

    n.source = '192.168.1.5';
    n.answers.set('10.200.0.200:80', CONNECTED);
    c.podAnswers.set('10.200.0.200', { code: 143, output: 'Terminated' });
    const inside = await verify([guideFile([app([point])]), '--negative', '--json'], c, n);
    expect(inside.code).toBe(0);
    expect(inside.json.results.map((x: any) => [x.probed, x.verdict, x.negative])).toEqual([
      ['10.200.0.200:80 from outside', 'passed', false],
      ['10.200.0.200:80 from a pod', 'passed', true],
    ]);
  });

  test('fails if the load balancer gets no address within --timeout', async () => {
    const c = new FakeCluster();
    c.service('web', 'lb', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    const point = { origin: 'outside-cluster', method: 'LoadBalancer', host: '<load-balancer-ip>', port: 80, protocol: 'TCP', serviceName: 'lb' };
    const r = await verify([guideFile([app([point])]), '--timeout=0.1', '--json'], c, new FakeNetwork());
    expect(r.code).toBe(1);
    expect(r.json.results[0].reason).toMatch(/got no load balancer address within 0\.1s/);
  });

  test('an API-server point goes through kubectl proxy, as --proxy-as when given; 403 is a failure that says why', async () => {
    const c = new FakeCluster();
    c.service('web', 'web', { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    c.endpoints('web', 'web', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    const proxyPath = '/api/v1/namespaces/web/services/http:web:80/proxy/';
    n.answers.set(`http://127.0.0.1:45678${proxyPath}`, { ok: false, silent: false, detail: 'HTTP 403 Forbidden' });
    const point = { origin: 'api-server', method: 'ApiServerProxy', host: '127.0.0.1', port: 8080, protocol: 'TCP', scheme: 'http', path: proxyPath, serviceName: 'web', serviceNamespace: 'web', servicePort: 80 };
    const r = await verify([guideFile([app([point])]), '--proxy-as=bob', '--proxy-as-group=devs', '--json'], c, n);
    expect(c.proxies).toEqual([{ user: 'bob', groups: ['devs'] }]);
    expect(r.code).toBe(1);
    expect(r.json.results[0].reason).toBe('HTTP 403 Forbidden: the identity is not allowed (is it one of the bound subjects?)');
  });

  test('ingress routes, routed networks, UDP and pod-name placeholders are "not probed" with a reason, never passed', async () => {
    const points = [
      { origin: 'outside-cluster', method: 'Ingress', host: 'nginx.example.com', port: 80, protocol: 'TCP', scheme: 'http', path: '/' },
      { origin: 'routed-network', method: 'PodIP', host: '10.244.0.0/16', protocol: 'TCP' },
      { origin: 'outside-cluster', method: 'NodePort', host: '<node-ip>', port: 30053, protocol: 'UDP', serviceName: 'dns' },
      { origin: 'api-server', method: 'ApiServerProxy', host: '127.0.0.1', port: 8001, protocol: 'TCP', scheme: 'http', path: '/api/v1/namespaces/web/pods/<pod-name>:<port>/proxy/' },
    ];
    const r = await verify([guideFile([app(points)]), '--json'], new FakeCluster(), new FakeNetwork());
    expect(r.code).toBe(0);
    expect(r.json.summary).toEqual({ passed: 0, failed: 0, notProbed: 4 });
    expect(r.json.results.map((x: any) => x.reason)).toEqual([
      expect.stringMatching(/ingress controller or gateway/),
      expect.stringMatching(/^routed addresses/),
      expect.stringMatching(/^UDP: verify probes TCP only/),
      expect.stringMatching(/placeholder \(a pod name\)/),
    ]);
  });

  test('--namespace moves the apps the guide places in default (kubectl apply -n)', async () => {
    const c = new FakeCluster();
    c.service('staging', 'web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    c.endpoints('staging', 'web', endpoints(['10.244.0.5']));
    const point = { origin: 'cluster-network', method: 'ClusterIP', host: 'web.default.svc.cluster.local', port: 80, protocol: 'TCP', serviceName: 'web' };
    const r = await verify([guideFile([app([point], 'default')]), '--namespace', 'staging', '--json'], c, new FakeNetwork());
    expect(r.code).toBe(0);
    expect(r.json.results[0].point).toBe('web.staging.svc.cluster.local:80');
    expect(relocate(parseGuide({ apps: [app([point], 'default')] }, 'f'), 'staging')[0]).toMatchObject({
      namespace: 'staging', accessPoints: [{ host: 'web.staging.svc.cluster.local' }],
    });
  });
});

describe('verify: output', () => {
  test('the table has access point, probed address, result, time and reason, then the counts', async () => {
    const c = new FakeCluster();
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    c.endpoints('web', 'nginx', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.0.0.1:30080/', OK);
    const r = await verify([guideFile([app([NODE_PORT_POINT])])], c, n);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ACCESS POINT +PROBED +RESULT +TIME +REASON$/);
    expect(lines[1]).toMatch(/^chart\/App http:\/\/<node-ip>:30080 +http:\/\/10\.0\.0\.1:30080\/ from outside +passed +\d+\.\ds +HTTP 200 OK$/);
    expect(lines[2]).toMatch(/^ {4}note: <node-ip> = any node: node-a 10\.0\.0\.1$/);
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed, 0 not probed');
    expect(r.stderr).toBe('');
  });

  test('progress goes to stderr only on a terminal', async () => {
    const c = new FakeCluster();
    c.service('web', 'nginx', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    c.endpoints('web', 'nginx', endpoints(['10.244.0.5']));
    const n = new FakeNetwork();
    n.answers.set('http://10.0.0.1:30080/', OK);
    const r = await verify([guideFile([app([NODE_PORT_POINT])])], c, n, true);
    expect(r.stderr).toMatch(/probing http:\/\/10\.0\.0\.1:30080\/ from outside/);
  });

  test('without files it reads every access.json under dist/', async () => {
    const cwd = process.cwd();
    guideFile([app([{ origin: 'routed-network', method: 'PodIP', host: '10.244.0.0/16', protocol: 'TCP' }])], 'dist/a/access.json');
    guideFile([app([{ origin: 'routed-network', method: 'PodIP', host: '10.245.0.0/16', protocol: 'TCP' }], 'web', 'b/App')], 'dist/b/access.json');
    process.chdir(dir);
    try {
      const r = await verify(['--json'], new FakeCluster(), new FakeNetwork());
      expect(r.json.results.map((x: any) => x.app)).toEqual(['chart/App', 'b/App']);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('verify: bad input is one line on stderr and exit 2', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['a file that is not JSON', () => [fs.writeFileSync(path.join(dir, 'x.json'), 'hello') ?? path.join(dir, 'x.json')], /x\.json: not an access guide \(not JSON\)/],
    ['JSON that is not an access guide', () => [guideFile([{ path: 'a' }])], /not an access guide \(apps\[0\]\.namespace is not a string\)/],
    ['a missing file', () => [path.join(dir, 'nope.json')], /nope\.json: cannot read it \(ENOENT\)/],
    ['no access.json under dist/', () => ['--timeout=5'], /no access\.json under dist\//],
    ['an unknown option', () => [guideFile([]), '--timout=5'], /unknown option --timout=5/],
    ['a bad timeout', () => [guideFile([]), '--timeout=soon'], /--timeout must be a positive number of seconds.*got soon/],
  ];
  test.each(cases)('fails if given %s', async (_name, args, message) => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await verify(args(), new FakeCluster(), new FakeNetwork());
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^cdk8s-expose verify: /);
    } finally {
      process.chdir(cwd);
    }
  });

  test('fails if the cluster is unreachable or the user lacks permissions', async () => {
    const c = new FakeCluster();
    c.accessProblem = 'cannot reach the cluster: dial tcp 10.200.0.1:16443: connect: connection refused';
    const r = await verify([guideFile([app([NODE_PORT_POINT])])], c, new FakeNetwork());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cdk8s-expose verify: cannot reach the cluster: dial tcp 10.200.0.1:16443: connect: connection refused\n');
    expect(c.cleaned).toBe(true);
  });

  test('fails if the command is unknown; --help prints the usage', async () => {
    let out = '';
    let err = '';
    const env = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { err += t; }, interactive: false };
    expect(await main(['check'], env)).toBe(2);
    expect(err).toBe('cdk8s-expose verify: unknown command "check"; the only command is verify (cdk8s-expose verify --help)\n');
    expect(await main(['verify', '--help'], env)).toBe(0);
    expect(out).toMatch(/^Usage: cdk8s-expose verify/);
  });
});

describe('verify: probe pod and its commands', () => {
  test('the probe pod is unprivileged, small and removes itself', () => {
    const pod = probePodManifest('p', 'web', 'busybox');
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Never',
      activeDeadlineSeconds: 900,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(pod.spec.containers[0].securityContext).toStrictEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('busybox exit statuses and messages become outcomes', () => {
    expect(podProbeScript({ host: '10.0.0.1', port: 80 }, 5)).toBe("timeout 5 nc '10.0.0.1' 80 </dev/null 2>&1");
    expect(podProbeOutcome(0, '', 5)).toEqual({ ok: true, silent: false, detail: 'answered' });
    expect(podProbeOutcome(143, 'Terminated', 5)).toEqual({ ok: false, silent: true, detail: 'no answer within 5s' });
    expect(podProbeOutcome(1, 'nc: can\'t connect to remote host (10.0.0.1): Connection refused', 5)).toEqual({ ok: false, silent: true, detail: 'connection refused' });
  });
});
