/**
 * The end-to-end suite (`npx projen e2e`): every example deployed on a real cluster and every
 * access point reached the way its guide says, with `cdk8s-expose verify` (the code users run).
 *
 * Cluster: `E2E_KUBECONFIG` when set; otherwise ../shared/cluster-lab is set up and started here,
 * and stopped at the end whatever happened. See the README, "End-to-end tests".
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { FIXTURES, Fixture } from './fixtures';
import { applyWaivers } from './waivers';
import { EXAMPLES } from '../../examples/index';
import { AccessGuide } from '../../src';
import { isClusterScoped } from '../../src/core/claims';

const ROOT = path.resolve(__dirname, '..', '..');
const LAB = path.resolve(process.env.CLUSTER_LAB_DIR ?? path.join(ROOT, '..', 'shared', 'cluster-lab'));
const OUTSIDE_NETNS = process.env.E2E_OUTSIDE_NETNS ?? 'clab-client';
/** Load balancer addresses the suite writes into Service status (the lab routes 10.200.0.128/25). */
const LB_ADDRESSES = (process.env.E2E_LB_ADDRESSES ?? '10.200.0.200,10.200.0.201,10.200.0.202,10.200.0.203,10.200.0.204,10.200.0.205').split(',');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-e2e-'));

let kubeconfig = '';
let validateFlag = '--validate=strict';
let passed = 0;
let failed = 0;
const phases: [string, number][] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);

function check(ok: boolean, what: string, detail = ''): boolean {
  if (ok) passed++; else failed++;
  log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  return ok;
}

async function phase<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const start = Date.now();
  log(`\n=== ${name}`);
  try {
    return await fn();
  } finally {
    const s = (Date.now() - start) / 1000;
    phases.push([name, s]);
    log(`=== ${name}: ${s.toFixed(1)}s`);
  }
}

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function kubectl(args: string[], input?: string): Promise<Run> {
  return run('kubectl', [`--kubeconfig=${kubeconfig}`, ...args], input);
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => !/version difference|WARNING/.test(l)).pop() ?? '';
}

// --- the cluster ----------------------------------------------------------------------------

function startLab(): void {
  const setupLog = path.join(WORK, 'setup.log');
  try {
    execFileSync('bash', ['-c', `"${LAB}/setup.sh" > "${setupLog}" 2>&1`], { stdio: 'inherit' });
  } catch {
    log(fs.readFileSync(setupLog, 'utf-8').split('\n').slice(-30).join('\n'));
    throw new Error(`cluster-lab setup.sh failed (log: ${setupLog})`);
  }
  const out = execFileSync(`${LAB}/start.sh`, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const m = /export KUBECONFIG=(\S+)/.exec(lastLine(out));
  if (!m) throw new Error(`cluster-lab start.sh did not print the kubeconfig: ${lastLine(out)}`);
  kubeconfig = m[1];
}

function stopLab(): void {
  try {
    const out = execFileSync(`${LAB}/stop.sh`, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    log(lastLine(out));
  } catch (e: any) {
    log(`cluster-lab stop.sh failed: ${lastLine(String(e.stderr ?? e.message))}`);
  }
}

async function detectKubectl(): Promise<void> {
  const v = await run('kubectl', ['version', '--client', '-o', 'json']);
  const minor = Number(/"minor":\s*"(\d+)/.exec(v.stdout)?.[1] ?? '0');
  // kubectl >= 1.25 checks against the server's OpenAPI with --validate=strict; 1.20's flag is a boolean.
  validateFlag = minor >= 25 ? '--validate=strict' : '--validate=true';
  log(`kubectl 1.${minor}: ${validateFlag}`);
}

// --- objects --------------------------------------------------------------------------------

function readDocs(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON()).filter((d) => d);
}

function writeDocs(file: string, docs: any[]): string {
  fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
  return file;
}

/** Creates objects with strict validation (AlreadyExists tolerated for CRDs the cluster has). */
async function create(file: string, tolerateExisting = false): Promise<Run> {
  const r = await kubectl(['create', validateFlag, '-f', file]);
  if (r.code !== 0 && tolerateExisting) {
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error') && !/AlreadyExists|already exists/.test(l));
    return { ...r, code: errors.length ? 1 : 0, stderr: errors.join('\n') };
  }
  return r;
}

async function installCrds(): Promise<string[]> {
  const before = new Set((await kubectl(['get', 'crd', '-o', 'name'])).stdout.split('\n').filter(Boolean).map((l) => l.replace(/^.*\//, '')));
  const created: string[] = [];
  for (const file of fs.readdirSync(path.join(ROOT, 'crds')).filter((f) => f.endsWith('.yaml')).sort()) {
    const docs = readDocs(path.join(ROOT, 'crds', file));
    const waived = docs.flatMap((d) => applyWaivers(d));
    const r = await create(writeDocs(path.join(WORK, file), docs), true);
    check(r.code === 0, `CRDs ${file}: ${docs.length} created with ${validateFlag} (${waived.length} waived fields, see test/e2e/waivers.ts)`, r.code === 0 ? '' : lastLine(r.stderr));
    created.push(...docs.map((d) => d.metadata.name).filter((n) => !before.has(n)));
  }
  const names = readDocsNames();
  const w = await kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names.map((n) => `crd/${n}`)]);
  check(w.code === 0, `every vendored CRD established (${names.length})`, w.code === 0 ? '' : lastLine(w.stderr));
  return created;
}

function readDocsNames(): string[] {
  return fs.readdirSync(path.join(ROOT, 'crds')).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => readDocs(path.join(ROOT, 'crds', f)).map((d) => d.metadata.name));
}

interface Deployment {
  readonly id: string;
  readonly namespace: string;
  /** Every object (what clean-up deletes). */
  readonly manifest: string;
  /**
   * What a wave creates first, for all its deployments before anything else: the Services that
   * fix a node port, with the Namespaces they may live in (undefined when there are none). A node
   * port that Kubernetes allocates (a NodePort or LoadBalancer Service without `nodePort`) could
   * otherwise take the one another deployment of the wave fixes, whose create then fails with
   * "provided port is already allocated".
   */
  readonly fixedNodePorts?: string;
  /** The other objects, created once every deployment of the wave has its fixed node ports. */
  readonly rest: string;
  readonly guide: string;
  readonly docs: any[];
  readonly extraNamespaces: string[];
  readonly fixture?: Fixture;
  readonly keys: Set<string>;
}

/** Synthesizes an example (or fixture) into its own folder; objects without a namespace go to `e2e-<id>`. */
function synthesize(id: string, build: (app: App) => void, fixture?: Fixture): Deployment {
  const outdir = path.join(WORK, id);
  const app = new App({ outdir });
  build(app);
  app.synth();
  AccessGuide.of(app).writeFiles(outdir);
  const namespace = `e2e-${id}`;
  const docs = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort().flatMap((f) => readDocs(path.join(outdir, f)));
  const own = new Set(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name));
  const extra = new Set<string>();
  const keys = new Set<string>();
  for (const d of docs) {
    // The library's own list of cluster-scoped kinds (its App-wide name claims use it too).
    const clusterScoped = isClusterScoped(d.kind, d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : 'core');
    if (!clusterScoped) {
      d.metadata.namespace ??= namespace;
      if (d.metadata.namespace !== namespace && !own.has(d.metadata.namespace)) extra.add(d.metadata.namespace);
    }
    keys.add(`${d.kind}/${clusterScoped ? '' : d.metadata.namespace}/${d.metadata.name}`);
    for (const port of hostAndNodePorts(d)) keys.add(`port/${port}`);
  }
  // The Services that fix a node port, with the Namespaces: created first in their wave.
  const fixed = docs.filter((d) => d.kind === 'Service' && hostAndNodePorts(d).length > 0);
  const first = fixed.length === 0 ? [] : docs.filter((d) => d.kind === 'Namespace' || fixed.includes(d));
  return {
    id,
    namespace,
    docs,
    fixture,
    keys,
    manifest: writeDocs(path.join(outdir, 'e2e.yaml'), docs),
    fixedNodePorts: first.length === 0 ? undefined : writeDocs(path.join(outdir, 'e2e-node-ports.yaml'), first),
    rest: writeDocs(path.join(outdir, 'e2e-rest.yaml'), docs.filter((d) => !first.includes(d))),
    guide: path.join(outdir, 'access.json'),
    extraNamespaces: [...extra],
  };
}

function hostAndNodePorts(d: any): number[] {
  const pod = d.spec?.template?.spec;
  const ports: number[] = [];
  for (const c of pod?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) ports.push(p.hostPort);
      if (pod.hostNetwork) ports.push(p.containerPort);
    }
  }
  if (d.kind === 'Service') for (const p of d.spec?.ports ?? []) if (p.nodePort) ports.push(p.nodePort);
  return ports;
}

/** The LoadBalancer Services of a deployment: each takes one of the lab's addresses in its wave. */
function loadBalancerServices(d: Deployment): any[] {
  return d.docs.filter((x) => x.kind === 'Service' && x.spec?.type === 'LoadBalancer');
}

/**
 * Groups deployments so that no two of a group share an object or a node/host port, and no group
 * holds more LoadBalancer Services than the lab has addresses (two Services on one address would
 * answer for each other).
 */
function waves(deployments: Deployment[]): Deployment[][] {
  const out: { items: Deployment[]; keys: Set<string>; lbs: number }[] = [];
  for (const d of deployments) {
    const lbs = loadBalancerServices(d).length;
    let wave = out.find((w) => ![...d.keys].some((k) => w.keys.has(k)) && w.lbs + lbs <= LB_ADDRESSES.length);
    if (!wave) out.push(wave = { items: [], keys: new Set(), lbs: 0 });
    wave.items.push(d);
    wave.lbs += lbs;
    d.keys.forEach((k) => wave!.keys.add(k));
  }
  return out.map((w) => w.items);
}

// --- one wave ---------------------------------------------------------------------------------

const createdNamespaces = new Set<string>();
let lbIndex = 0;

/**
 * Waits (bounded) until a namespace left by an earlier run on this cluster is gone: one deleted
 * just before the lab stopped is still terminating at the next start, and refuses new objects.
 */
async function awaitNotTerminating(ns: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const r = await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}', '--ignore-not-found']);
    if (r.code !== 0 || r.stdout.trim() !== 'Terminating') return;
    if (Date.now() > deadline) throw new Error(`namespace ${ns} of an earlier run is still terminating after 180s`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function ensureNamespace(ns: string): Promise<void> {
  if (createdNamespaces.has(ns) || /^(default|kube-system|kube-public)$/.test(ns)) return;
  await awaitNotTerminating(ns);
  const r = await kubectl(['create', 'namespace', ns]);
  if (r.code === 0) createdNamespaces.add(ns);
  else if (!/AlreadyExists/.test(r.stderr)) throw new Error(`cannot create namespace ${ns}: ${lastLine(r.stderr)}`);
}

/** Creates the deployments of a wave: every fixed node port first (see `Deployment.fixedNodePorts`), then the rest. */
async function deployWave(group: Deployment[]): Promise<boolean[]> {
  const first = await Promise.all(group.map(async (d) => {
    await ensureNamespace(d.namespace);
    for (const ns of d.extraNamespaces) await ensureNamespace(ns);
    for (const x of d.docs.filter((doc) => doc.kind === 'Namespace')) {
      await awaitNotTerminating(x.metadata.name);
      createdNamespaces.add(x.metadata.name);
    }
    return d.fixedNodePorts === undefined ? undefined : create(d.fixedNodePorts);
  }));
  return Promise.all(group.map(async (d, i) => {
    const r = first[i] !== undefined && first[i]!.code !== 0 ? first[i]! : await create(d.rest);
    return check(r.code === 0, `${d.id}: ${d.docs.length} objects created with ${validateFlag}`, r.code === 0 ? '' : lastLine(r.stderr));
  }));
}

async function waitReady(d: Deployment): Promise<boolean> {
  const workloads = d.docs.filter((x) => x.kind === 'Deployment' || x.kind === 'DaemonSet' || x.kind === 'StatefulSet');
  const results = await Promise.all(workloads.map((w) =>
    kubectl(['rollout', 'status', `${w.kind.toLowerCase()}/${w.metadata.name}`, '-n', w.metadata.namespace, '--timeout=120s'])));
  const bad = results.map((r, i) => (r.code === 0 ? undefined : `${workloads[i].kind} ${workloads[i].metadata.name}: ${lastLine(r.stderr || r.stdout)}`)).filter(Boolean);
  return check(bad.length === 0, `${d.id}: ${workloads.length} workload(s) ready`, bad.join('; '));
}

/** Stands in for MetalLB's controller: writes a lab address into each LoadBalancer Service's status. */
async function assignLoadBalancers(d: Deployment): Promise<void> {
  for (const svc of loadBalancerServices(d)) {
    // `waves` keeps a wave within the lab's addresses; each wave starts from the first again.
    const ip = LB_ADDRESSES[lbIndex++];
    const r = await patchStatus(svc.metadata.namespace, svc.metadata.name, { status: { loadBalancer: { ingress: [{ ip }] } } });
    check(r.code === 0, `${d.id}: Service ${svc.metadata.namespace}/${svc.metadata.name} status.loadBalancer.ingress = ${ip} (standing in for MetalLB)`, r.code === 0 ? '' : lastLine(r.stderr));
  }
}

/** PATCH .../services/NAME/status (merge patch) through `kubectl proxy`: works with every kubectl version (1.20 has no --subresource). */
async function patchStatus(ns: string, name: string, body: unknown): Promise<Run> {
  const proxy = spawn('kubectl', [`--kubeconfig=${kubeconfig}`, 'proxy', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      proxy.stdout.on('data', (d) => { out += d; const m = /serve on ([0-9.]+:[0-9]+)/.exec(out); if (m) resolve(m[1]); });
      proxy.on('exit', () => reject(new Error('kubectl proxy exited')));
      setTimeout(() => reject(new Error('kubectl proxy did not start')), 15_000);
    });
    return await new Promise<Run>((resolve) => {
      const data = JSON.stringify(body);
      const req = http.request(`http://${address}/api/v1/namespaces/${ns}/services/${name}/status`, {
        method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(data) },
      }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ code: res.statusCode === 200 ? 0 : 1, stdout: text, stderr: res.statusCode === 200 ? '' : `HTTP ${res.statusCode}: ${text}` }));
      });
      req.on('error', (e) => resolve({ code: 1, stdout: '', stderr: e.message }));
      req.end(data);
    });
  } catch (e: any) {
    return { code: 1, stdout: '', stderr: e.message };
  } finally {
    proxy.kill();
  }
}

/** Runs verify (the users' code) from outside the cluster: in the lab's client namespace when there is one. */
async function verify(d: Deployment, args: string[]): Promise<{ code: number; report: any; stderr: string; table: string }> {
  const cli = path.join(ROOT, 'src', 'verify', 'cli.ts');
  const base = [process.execPath, '-r', 'ts-node/register/transpile-only', cli, 'verify', d.guide,
    `--kubeconfig=${kubeconfig}`, `--namespace=${d.namespace}`, '--timeout=90', ...args];
  const env = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') };
  const inNetns = fs.existsSync(`/run/netns/${OUTSIDE_NETNS}`);
  const json = await run(inNetns ? 'ip' : base[0], inNetns ? ['netns', 'exec', OUTSIDE_NETNS, ...base, '--json'] : [...base.slice(1), '--json'], undefined, env);
  let report: any;
  try { report = JSON.parse(json.stdout); } catch { report = undefined; }
  return { code: json.code, report, stderr: json.stderr.trim(), table: report ? tableOf(report.results) : json.stdout };
}

function tableOf(results: any[]): string {
  return results.map((r) => `    ${r.verdict.padEnd(10)} ${r.negative ? 'negative ' : ''}${r.point} -> ${r.probed} (${(r.ms / 1000).toFixed(1)}s) ${r.reason}`).join('\n');
}

/** Why a point may be "not probed" on this lab; any other reason fails the suite. */
const ALLOWED_NOT_PROBED = [
  /ingress controller or gateway/, // no ingress controller in the lab
  /routed addresses/, // Calico BGP: no router in the lab
  /outside loadBalancerSourceRanges/, // the client is outside the example's source ranges (checked negatively)
  /placeholder \(a pod name\)/,
];

async function verifyExample(d: Deployment): Promise<void> {
  const expectFailure = d.fixture?.expectFailure;
  const v = await verify(d, ['--negative', ...(d.fixture?.verifyArgs ?? []), ...(EXAMPLE_VERIFY_ARGS[d.id] ?? [])]);
  log(`  verify ${d.id} (exit ${v.code}):\n${v.table}`);
  if (!v.report) {
    check(false, `${d.id}: verify printed a report`, v.stderr);
    return;
  }
  const results: any[] = v.report.results;
  if (expectFailure) {
    const failure = results.find((r) => r.verdict === 'failed' && expectFailure.test(r.reason));
    check(v.code === 1 && failure !== undefined, `${d.id}: verify fails with a reason (${expectFailure})`, failure ? failure.reason : `exit ${v.code}`);
    return;
  }
  // At least one probe must pass: every example has a point the lab carries, so a verify that
  // probed nothing (every point "not probed" for an allowed reason) proves nothing.
  const probesPassed = results.filter((r) => r.verdict === 'passed').length;
  check(v.code === 0 && probesPassed > 0, `${d.id}: verify exit 0, ${probesPassed} probes passed (at least one)`,
    results.filter((r) => r.verdict === 'failed').map((r) => `${r.probed}: ${r.reason}`).join('; ') || `${probesPassed} probes passed`);
  const unexplained = results.filter((r) => r.verdict === 'not probed' && !ALLOWED_NOT_PROBED.some((re) => re.test(r.reason)));
  check(unexplained.length === 0, `${d.id}: every point the lab can carry was probed`, unexplained.map((r) => `${r.point}: ${r.reason}`).join('; '));
  for (const extra of EXTRA_RUNS[d.id] ?? []) {
    const x = await verify(d, extra.args);
    const row = x.report?.results.find((r: any) => r.verdict === 'failed' && extra.reason.test(r.reason));
    check(x.code === 1 && row !== undefined, `${d.id}: ${extra.what}`, row ? row.reason : `exit ${x.code} ${x.stderr}`);
  }
}

/** Extra verify options per example. */
const EXAMPLE_VERIFY_ARGS: { [id: string]: string[] } = {
  // kubectl proxy as a subject the example's Role binds (impersonated from lab-admin).
  'api-proxy': ['--proxy-as=alice'],
};

/** More verify runs per example that must fail, and how. */
const EXTRA_RUNS: { [id: string]: { what: string; args: string[]; reason: RegExp }[] } = {
  'api-proxy': [{ what: 'an unbound user gets 403 through kubectl proxy', args: ['--proxy-as=lab-nobody'], reason: /HTTP 403/ }],
};

async function cleanup(deployments: Deployment[], final: boolean): Promise<void> {
  await Promise.all(deployments.map((d) => kubectl(['delete', '-f', d.manifest, '--ignore-not-found', '--wait=false', '--grace-period=1'])));
  if (final) {
    await Promise.all([...createdNamespaces].map((ns) => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])));
  }
}

// --- main -------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const ownLab = !process.env.E2E_KUBECONFIG;
  const started = Date.now();
  let crdsCreated: string[] = [];
  const stopOnSignal = () => { if (ownLab) stopLab(); process.exit(130); };
  process.on('SIGINT', stopOnSignal);
  process.on('SIGTERM', stopOnSignal);
  try {
    if (ownLab) {
      await phase('cluster-lab setup + start', () => startLab());
    } else {
      kubeconfig = path.resolve(process.env.E2E_KUBECONFIG!);
      log(`using E2E_KUBECONFIG=${kubeconfig}`);
    }
    await detectKubectl();
    crdsCreated = await phase('install vendored CRDs', () => installCrds());
    const deployments = await phase('synthesize examples and fixtures', () => [
      ...Object.entries(EXAMPLES).map(([id, factory]) => synthesize(id, (app) => {
        factory(app);
        FIXTURES.find((f) => f.forExample === id)?.build(app);
      })),
      ...FIXTURES.filter((f) => !f.forExample).map((f) => synthesize(f.id, (app) => f.build(app), f)),
    ]);
    const groups = waves(deployments);
    log(`${deployments.length} deployments in ${groups.length} wave(s): ${groups.map((g) => g.map((d) => d.id).join(' ')).join(' | ')}`);
    for (const [i, group] of groups.entries()) {
      await phase(`wave ${i + 1}: create, wait until ready, verify (${group.map((d) => d.id).join(', ')})`, async () => {
        lbIndex = 0;
        const ok = await deployWave(group);
        const live = group.filter((_, j) => ok[j]);
        await Promise.all(live.map((d) => waitReady(d)));
        for (const d of live) await assignLoadBalancers(d);
        await Promise.all(live.map((d) => verifyExample(d)));
        await cleanup(group, false);
      });
    }
    await phase('clean up', async () => {
      await cleanup(deployments, true);
      if (crdsCreated.length) await kubectl(['delete', 'crd', ...crdsCreated, '--wait=false', '--ignore-not-found']);
    });
  } catch (e: any) {
    check(false, 'suite', e.message);
  } finally {
    if (ownLab) await phase('cluster-lab stop', () => stopLab());
    fs.rmSync(WORK, { recursive: true, force: true });
  }
  log('\nphases:');
  for (const [name, s] of phases) log(`  ${s.toFixed(1).padStart(6)}s  ${name}`);
  log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  total`);
  log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
