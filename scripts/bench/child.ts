/**
 * One benchmark measurement, in a fresh node process started by scripts/bench.ts:
 *
 *   node bench.out/child/child.js '<json Task>'
 *
 * It loads what the task needs (untimed, except for the `require` scenario), times the work and
 * prints one JSON line: `{ cpuMs, ms, constructionCpuMs, maxRssMb, heapUsedMb, bytes, sha }`.
 * `cpuMs` is the process's CPU time (user + system, GC and compiler threads included) spent on
 * the work: unlike the wall time `ms`, it barely moves when other processes compete for the
 * cores. `constructionCpuMs` (the `apps` scenario only) is its part before `App.synthYaml()`.
 *
 * The modules are loaded with `require()` at run time (the library from the compiled JS whose
 * directory the task names), so that this file compiles on its own and nothing is loaded that the
 * measured variant does not use.
 */
import { createHash } from 'crypto';
import { createRequire } from 'module';

/** Loads a module at run time (the measured variant's only). */
const load = createRequire(__filename);

/**
 * The YAML with the lines that only cdk8s-plus-27 emits removed: its Service writes
 * `externalIPs: []`, which the library (like Kubernetes) leaves out. Used to check that the (c)
 * variants emit the same objects.
 */
const withoutKplusDefaults = (yaml: string) => yaml.replace(/^ *externalIPs: \[\]\n/gm, '');

/** What to measure. */
export interface Task {
  /**
   * - `require`: time of `require()` of the variant's entry module; for `lib`, with the first read
   *   of `NodePortService` (the index is lazy: what an App using one pattern loads), for
   *   `lib-all` with every export read (the whole library);
   * - `services`: N NodePort Services, each selecting its own pods (the library variant passes a
   *   `kplus.Pods.select` per Service), then `App.synthYaml()` (or, for `yaml`, `Yaml.stringify`);
   * - `services-shared`: the same, all Services selecting one set of pods (the library variant
   *   shares one selector): the library's own overhead, without the selector constructs;
   * - `apps`: N Deployments, each exposed by a NodePort Service, then `App.synthYaml()`.
   * - `routes`: one App with N HTTP routes through `IngressRoute` (10 per construct, one host
   *   each, under one wildcard route that every host overlaps), in the flavour the variant names,
   *   then `App.synthYaml()`: the Traefik variant includes the App-wide priority assignment.
   */
  readonly scenario: 'require' | 'services' | 'services-shared' | 'apps' | 'routes';
  /**
   * `lib` (cdk8s-expose), `l1` (the typed L1 `kplus.k8s.KubeService`), `apiobject` (a bare cdk8s
   * `ApiObject`), `yaml` (plain objects through cdk8s' YAML serializer), `kplus` (cdk8s-plus-27),
   * `floor` (the L1 in the construct tree of the library variant, without its code: each
   * `KubeService` is the `Resource` child of a bare `Construct`, next to the `kplus.Pods.select`
   * the library variant makes; in `apps`, the Deployment's child; what any L2 with this API costs
   * at least).
   */
  readonly variant: 'lib' | 'lib-all' | 'l1' | 'apiobject' | 'yaml' | 'kplus' | 'floor' | 'ingress' | 'traefik' | 'gateway';
  readonly n: number;
  /** Directory of the compiled library (its index.js). */
  readonly libDir: string;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const cpuNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function main(task: Task): void {
  let ms: number;
  let cpuMs: number;
  let constructionCpuMs: number | undefined;
  let yaml = '';
  if (task.scenario === 'require') {
    const [start, cpuStart] = [now(), cpuNow()];
    if (task.variant === 'kplus') {
      load('cdk8s-plus-27');
    } else {
      const lib = load(task.libDir);
      for (const name of task.variant === 'lib-all' ? Object.keys(lib) : ['NodePortService']) void lib[name];
    }
    [ms, cpuMs] = [now() - start, cpuNow() - cpuStart];
  } else {
    const cdk8s = load('cdk8s');
    const kplus = load('cdk8s-plus-27');
    const lib = task.variant === 'lib' || task.scenario === 'routes' ? load(task.libDir) : undefined;
    // The lazy index loads a module on the first read of its export: read them all, untimed.
    for (const name of Object.keys(lib ?? {})) void lib[name];
    const constructs = load('constructs');
    const [start, cpuStart] = [now(), cpuNow()];
    if (task.scenario === 'apps') {
      const app = apps(task, cdk8s, kplus, lib, constructs);
      constructionCpuMs = cpuNow() - cpuStart;
      yaml = app.synthYaml();
    } else {
      yaml = task.scenario === 'routes' ? routes(task, cdk8s, lib) : services(task, cdk8s, kplus, lib, constructs);
    }
    [ms, cpuMs] = [now() - start, cpuNow() - cpuStart];
  }
  const result = {
    cpuMs,
    ms,
    constructionCpuMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    bytes: yaml.length,
    sha: createHash('sha256').update(yaml).digest('hex').slice(0, 12),
    normalizedSha: createHash('sha256').update(withoutKplusDefaults(yaml)).digest('hex').slice(0, 12),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The i-th Service as it is emitted (the same document in every variant). */
function serviceDoc(i: number, shared: boolean) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}` },
    spec: {
      ports: [{ name: 'http', nodePort: 30000 + (i % 2000), port: 80, targetPort: 8080 }],
      selector: { app: shared ? 'app' : `app-${i}` },
      type: 'NodePort',
    },
  };
}

/**
 * (b) N NodePort Services. Node ports repeat every 2,000 Services in the plain variants; the
 * library refuses duplicate node ports, so from 2,000 Services on each chart holds 2,000
 * (node ports are claimed App-wide: charts are put in separate Apps).
 */
function services(task: Task, cdk8s: any, kplus: any, lib: any, constructs: any): string {
  const shared = task.scenario === 'services-shared';
  if (task.variant === 'yaml') {
    const docs = [];
    for (let i = 0; i < task.n; i++) docs.push(serviceDoc(i, shared));
    return cdk8s.Yaml.stringify(...docs);
  }
  const outputs: string[] = [];
  for (let first = 0; first < task.n; first += 2000) {
    const app = new cdk8s.App({ outdir: '/nonexistent-never-written' });
    const chart = new cdk8s.Chart(app, 'bench', { disableResourceNameHashes: true });
    const withSelectors = task.variant === 'lib' || task.variant === 'floor';
    const sharedSelector = shared && withSelectors ? kplus.Pods.select(chart, 'Pods', { labels: { app: 'app' } }) : undefined;
    for (let i = first; i < Math.min(task.n, first + 2000); i++) {
      const doc = serviceDoc(i, shared);
      if (task.variant === 'lib') {
        new lib.NodePortService(chart, `Svc${i}`, {
          name: doc.metadata.name,
          selector: sharedSelector ?? kplus.Pods.select(chart, `Pods${i}`, { labels: doc.spec.selector }),
          ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: doc.spec.ports[0].nodePort }],
        });
      } else if (task.variant === 'l1' || task.variant === 'floor') {
        let scope = chart;
        if (task.variant === 'floor') {
          if (!shared) kplus.Pods.select(chart, `Pods${i}`, { labels: doc.spec.selector });
          scope = new constructs.Construct(chart, `Svc${i}`);
        }
        new kplus.k8s.KubeService(scope, task.variant === 'floor' ? 'Resource' : `Svc${i}`, {
          metadata: doc.metadata,
          spec: { ...doc.spec, ports: [{ ...doc.spec.ports[0], targetPort: kplus.k8s.IntOrString.fromNumber(8080) }] },
        });
      } else {
        new cdk8s.ApiObject(chart, `Svc${i}`, doc);
      }
    }
    outputs.push(app.synthYaml());
  }
  return outputs.join('---\n');
}

/**
 * (c) N apps: a Deployment exposed by a NodePort Service (allocated node port), through this
 * library or through cdk8s-plus-27's `exposeViaService`. Both put the Service where
 * `exposeViaService` does, as the Deployment's child `Service`: the same construct tree, so the
 * same generated names and the same YAML (but for the `externalIPs: []` cdk8s-plus-27 adds).
 * The `floor` variant makes the library's objects without its code: a bare `Construct` as the
 * Deployment's child `Service`, its `Resource` the L1 Service of the Deployment's selector labels.
 * Returns the App unsynthesized: the caller times construction and synthesis apart.
 */
function apps(task: Task, cdk8s: any, kplus: any, lib: any, constructs: any): any {
  const app = new cdk8s.App({ outdir: '/nonexistent-never-written' });
  const chart = new cdk8s.Chart(app, 'bench');
  for (let i = 0; i < task.n; i++) {
    const deployment = new kplus.Deployment(chart, `App${i}`, {
      containers: [{ image: 'registry.example.com/app:1.0', portNumber: 8080 }],
    });
    if (task.variant === 'lib') {
      new lib.NodePortService(deployment, 'Service', { selector: deployment, ports: [{ port: 80, targetPort: 8080 }] });
    } else if (task.variant === 'floor') {
      const selector = deployment.toPodSelectorConfig().labelSelector._toKube().matchLabels;
      new kplus.k8s.KubeService(new constructs.Construct(deployment, 'Service'), 'Resource', {
        spec: { type: 'NodePort', selector, ports: [{ port: 80, targetPort: kplus.k8s.IntOrString.fromNumber(8080) }] },
      });
    } else {
      deployment.exposeViaService({ serviceType: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080 }] });
    }
  }
  return app;
}

/** Routes per `IngressRoute` construct in the `routes` scenario. */
const ROUTES_PER_CONSTRUCT = 10;

/**
 * N routes in one App: construct 0 routes `*.example.com`, every other construct `h<k>.example.com`
 * (each overlapping the wildcard), 10 paths each (`/`, `/p1` ... `/p9`) to one Service.
 */
function routes(task: Task, cdk8s: any, lib: any): string {
  const app = new cdk8s.App({ outdir: '/nonexistent-never-written' });
  const chart = new cdk8s.Chart(app, 'bench', { disableResourceNameHashes: true });
  const flavour = task.variant === 'traefik' ? lib.RouteFlavour.traefik()
    : task.variant === 'gateway' ? lib.RouteFlavour.gatewayApi({ gateway: { name: 'web', namespace: 'gateways' } }) : lib.RouteFlavour.ingress();
  for (let k = 0; k * ROUTES_PER_CONSTRUCT < task.n; k++) {
    const backend = lib.ExposedService.fromAttributes(`svc-${k}`, 'default', [{ port: 80 }]);
    const host = k === 0 ? '*.example.com' : `h${k}.example.com`;
    const rules = [];
    for (let j = 0; j < ROUTES_PER_CONSTRUCT && k * ROUTES_PER_CONSTRUCT + j < task.n; j++) {
      rules.push({ host, path: j === 0 ? '/' : `/p${j}`, backend, port: 80 });
    }
    new lib.IngressRoute(chart, `Route${k}`, { flavour, rules });
  }
  return app.synthYaml();
}

main(JSON.parse(process.argv[2]));
