/**
 * What verify needs from the cluster, behind one small interface: the real one drives `kubectl`
 * as a subprocess (no client library: the package adds no runtime dependency), the unit tests
 * pass a fake.
 */
import { ChildProcess, spawn } from 'child_process';
import { VerifyError } from './guide';

/** The result of a command run in the probe pod. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A short-lived pod that probes cluster-internal addresses. */
export interface ProbePod {
  /** The pod's IP (the source address the probed Services see). */
  readonly podIP?: string;
  /** Runs `sh -c script` in the pod. */
  exec(script: string, timeoutMs: number): Promise<ExecResult>;
}

/** A running `kubectl proxy`. */
export interface ApiProxy {
  /** Where it listens, e.g. `127.0.0.1:38211`. */
  readonly address: string;
  stop(): void;
}

/** The cluster as verify sees it. */
export interface ClusterClient {
  /** Fails with a VerifyError when the cluster cannot be reached or the user cannot read it. */
  checkAccess(namespaces: string[]): Promise<void>;
  /** One object (`kind` as kubectl spells it: `service`, `endpoints`, ...), or undefined when it does not exist. */
  get(kind: string, namespace: string, name: string): Promise<any | undefined>;
  /** The objects of a kind in a namespace (undefined: cluster-scoped), optionally by label selector. */
  list(kind: string, namespace?: string, labelSelector?: string): Promise<any[]>;
  /** Starts a probe pod running `image` in `namespace` and waits (until `deadline`, ms since epoch) until it runs. */
  startProbePod(namespace: string, image: string, deadline: number): Promise<ProbePod>;
  /** Starts `kubectl proxy` on a free loopback port, as `identity` when given (impersonation). */
  startProxy(identity?: Identity): Promise<ApiProxy>;
  /** Removes everything this client started (probe pods, proxies). */
  cleanup(): Promise<void>;
}

/** A user to impersonate (kubectl `--as`, `--as-group`). */
export interface Identity {
  readonly user?: string;
  readonly groups?: string[];
}

/** Options passed through to kubectl as it has them. */
export interface KubectlOptions {
  readonly kubectl?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly as?: string;
  readonly asGroups?: string[];
}

/** The probe pod's name prefix and label. */
export const PROBE_POD_PREFIX = 'cdk8s-expose-verify-';

/** A ClusterClient that runs kubectl. */
export class KubectlClusterClient implements ClusterClient {
  private readonly connectionArgs: string[];
  private readonly globalArgs: string[];
  private readonly pods: { namespace: string; name: string }[] = [];
  private readonly proxies: ChildProcess[] = [];

  constructor(private readonly options: KubectlOptions = {}) {
    this.connectionArgs = [
      ...(options.kubeconfig ? [`--kubeconfig=${options.kubeconfig}`] : []),
      ...(options.context ? [`--context=${options.context}`] : []),
    ];
    this.globalArgs = [...this.connectionArgs, ...identityArgs({ user: options.as, groups: options.asGroups })];
  }

  public async checkAccess(namespaces: string[]): Promise<void> {
    const version = await this.run(['version', '-o', 'json', '--request-timeout=10s'], undefined, 20_000);
    if (version.code !== 0 && !/serverVersion/.test(version.stdout)) {
      throw new VerifyError(`cannot reach the cluster: ${kubectlReason(version.stderr)}`);
    }
    for (const ns of namespaces) {
      for (const resource of ['services', 'endpoints', 'pods']) {
        const can = await this.run(['auth', 'can-i', 'list', resource, '-n', ns]);
        if (can.stdout.trim() !== 'yes') {
          throw new VerifyError(`missing permission: cannot list ${resource} in namespace ${ns} (kubectl auth can-i list ${resource} -n ${ns} says "${(can.stdout.trim() || kubectlReason(can.stderr))}")`);
        }
      }
    }
  }

  public async get(kind: string, namespace: string, name: string): Promise<any | undefined> {
    const r = await this.run(['get', kind, name, '-n', namespace, '-o', 'json']);
    if (r.code !== 0) {
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new VerifyError(`kubectl get ${kind} ${name} -n ${namespace} failed: ${kubectlReason(r.stderr)}`);
    }
    return JSON.parse(r.stdout);
  }

  public async list(kind: string, namespace?: string, labelSelector?: string): Promise<any[]> {
    const args = ['get', kind, '-o', 'json', ...(namespace ? ['-n', namespace] : []), ...(labelSelector ? ['-l', labelSelector] : [])];
    const r = await this.run(args);
    if (r.code !== 0) throw new VerifyError(`kubectl ${args.join(' ')} failed: ${kubectlReason(r.stderr)}`);
    return JSON.parse(r.stdout).items ?? [];
  }

  public async startProbePod(namespace: string, image: string, deadline: number): Promise<ProbePod> {
    const name = `${PROBE_POD_PREFIX}${Math.random().toString(36).slice(2, 8)}`;
    const pod = probePodManifest(name, namespace, image);
    const created = await this.run(['create', '-f', '-', '-o', 'name'], JSON.stringify(pod));
    if (created.code !== 0) throw new VerifyError(`cannot create the probe pod in namespace ${namespace}: ${kubectlReason(created.stderr)}`);
    this.pods.push({ namespace, name });
    for (;;) {
      const p = await this.get('pod', namespace, name);
      const phase = p?.status?.phase;
      if (phase === 'Running' && p.status.podIP) {
        return { podIP: p.status.podIP, exec: (script, timeoutMs) => this.run(['exec', '-n', namespace, name, '--', 'sh', '-c', script], undefined, timeoutMs) };
      }
      if (phase === 'Failed' || phase === 'Succeeded' || Date.now() > deadline) {
        const waiting = p?.status?.containerStatuses?.[0]?.state?.waiting;
        const condition = (p?.status?.conditions ?? []).find((c: any) => c.status === 'False' && c.message);
        const why = waiting ? `${waiting.reason}: ${waiting.message ?? ''}`
          : condition ? `${condition.reason ?? condition.type}: ${condition.message}` : `phase ${phase ?? 'unknown'}`;
        throw new VerifyError(`the probe pod ${namespace}/${name} (image ${image}) did not start: ${why}; pick another image with --probe-image, or make room for it`);
      }
      await sleep(500);
    }
  }

  public startProxy(identity?: Identity): Promise<ApiProxy> {
    const args = identity ? [...this.connectionArgs, ...identityArgs(identity)] : this.globalArgs;
    return new Promise((resolve, reject) => {
      const child = spawn(this.kubectl, [...args, 'proxy', '--port=0', '--address=127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.proxies.push(child);
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new VerifyError(`kubectl proxy did not start within 15s: ${err.trim() || out.trim()}`)), 15_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /Starting to serve on ([0-9.]+:[0-9]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ address: m[1], stop: () => child.kill() });
        }
      });
      child.stderr!.on('data', (d) => { err += d; });
      child.on('error', (e) => { clearTimeout(timer); reject(new VerifyError(`cannot run ${this.kubectl}: ${e.message}`)); });
      child.on('exit', (code) => { clearTimeout(timer); reject(new VerifyError(`kubectl proxy exited (${code}): ${kubectlReason(err)}`)); });
    });
  }

  public async cleanup(): Promise<void> {
    for (const p of this.proxies) p.kill();
    await Promise.all(this.pods.splice(0).map((p) =>
      this.run(['delete', 'pod', p.name, '-n', p.namespace, '--wait=false', '--grace-period=0', '--ignore-not-found'])));
  }

  private get kubectl(): string {
    return this.options.kubectl ?? 'kubectl';
  }

  /** Runs kubectl with the global flags; never rejects (a missing kubectl is a VerifyError). */
  private run(args: string[], input?: string, timeoutMs = 60_000): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.kubectl, [...this.globalArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', (e: any) => {
        clearTimeout(timer);
        reject(new VerifyError(e.code === 'ENOENT' ? `kubectl not found (${this.kubectl}): install it or put it in PATH` : `cannot run kubectl: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 124 : 1), stdout, stderr: signal === 'SIGKILL' ? `${stderr}timed out after ${timeoutMs / 1000}s` : stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
  }
}

function identityArgs(identity: Identity): string[] {
  return [...(identity.user ? [`--as=${identity.user}`] : []), ...(identity.groups ?? []).map((g) => `--as-group=${g}`)];
}

/** The pod verify probes from: unprivileged (Pod Security "restricted"), small, self-terminating. */
export function probePodManifest(name: string, namespace: string, image: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'cdk8s-expose-verify' } },
    spec: {
      restartPolicy: 'Never',
      // Gone after 15 minutes even when verify is killed before it deletes the pod.
      activeDeadlineSeconds: 900,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'probe',
        image,
        command: ['sleep', '900'],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      }],
    },
  };
}

/** The last meaningful line of kubectl's stderr. */
export function kubectlReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(W|I)\d{4} /.test(l) && !/version difference|skew/i.test(l));
  return (lines[lines.length - 1] ?? 'no output').replace(/^error: /, '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
