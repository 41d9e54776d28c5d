/**
 * Fuzz generators of the host-level apps: HostNetworkApp and HostPortApp.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import {
  allowFromInvariants, anyAllowFrom, anyNamespace, anyPort, anyPortName, anyProtocol, invalidIp, makeAllowFrom, PeerSpec, sometimes,
  validPort, validPortName,
} from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { namespaceOf } from './k8s-rules';
import { dropUndefined } from './services';
import { parseIp } from '../../src/core/net';
import { WorkloadKind } from '../../src/host/host-app';
import { HostNetworkApp } from '../../src/host/host-network';
import { HostPortApp } from '../../src/host/host-port';

/** What both apps accept besides their ports. */
interface CommonInput {
  readonly image: any;
  readonly workloadKind?: any;
  readonly replicas?: any;
  readonly nodeSelector?: any;
  readonly name?: any;
  readonly namespace?: any;
  readonly createNamespace?: any;
  /** The container's security context: cdk8s-plus' hardening, root, a non-root user, or the NET_BIND_SERVICE capability. */
  readonly security?: 'hardened' | 'root' | 'user' | 'bind';
  readonly allowFrom?: PeerSpec[];
}

const validImage = fc.constantFrom('registry.example.com/app:1.0', 'nginx:1.25', 'influxdb@sha256:0123456789abcdef');
const anyImage = fc.oneof<any>({ weight: 8, arbitrary: validImage }, { weight: 1, arbitrary: fc.constantFrom('', 'nginx 1.25', ' nginx', 42) });
const validNodeSelector = fc.constantFrom<{ [key: string]: string }>(
  { 'kubernetes.io/hostname': 'node-1' }, { 'kubernetes.io/hostname': 'node-2' }, { 'example.com/edge': 'true' },
  { 'kubernetes.io/hostname': 'node-1', 'example.com/edge': 'true' },
);
const anyNodeSelector = fc.oneof<any>(
  { weight: 6, arbitrary: validNodeSelector },
  { weight: 1, arbitrary: fc.constantFrom({}, { 'bad key': 'x' }, { 'kubernetes.io/hostname': '-node' }, { [`k${'a'.repeat(63)}`]: 'x' }, null, 'node-1') },
);
/** DNS-1123 labels (the workload and container name), from a pool so that two apps may share one. */
const validAppName = fc.constantFrom('web', 'proxy', '1app', `a${'b'.repeat(62)}`);
const anyAppName = fc.oneof<any>({ weight: 5, arbitrary: validAppName }, { weight: 1, arbitrary: fc.constantFrom('', 'Web', 'web_1', '-web', `a${'b'.repeat(63)}`) });

/** Mostly one pod per node (DaemonSet); Deployments with a valid or invalid replica count. */
const workload = fc.oneof<any>(
  { weight: 4, arbitrary: fc.record({ workloadKind: fc.constantFrom(undefined, WorkloadKind.DAEMON_SET) }) },
  { weight: 4, arbitrary: fc.record({ workloadKind: fc.constant(WorkloadKind.DEPLOYMENT), replicas: sometimes(fc.constantFrom(0, 1, 2, 3)) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      workloadKind: fc.constantFrom<any>(undefined, WorkloadKind.DEPLOYMENT, WorkloadKind.DAEMON_SET, 'Job', 'daemonset'),
      replicas: fc.constantFrom<any>(-1, 1.5, NaN, '2', 1),
    }),
  },
);

function commonInput(edgy: boolean): fc.Arbitrary<CommonInput> {
  return fc.tuple(
    workload,
    fc.record({
      image: edgy ? anyImage : validImage,
      nodeSelector: sometimes(edgy ? anyNodeSelector : validNodeSelector, 2),
      name: sometimes(edgy ? anyAppName : validAppName),
      namespace: edgy ? anyNamespace : sometimes(fc.constantFrom('edge', 'web')),
      createNamespace: edgy ? fc.constantFrom<any>(undefined, true, false, 'yes') : fc.constantFrom(undefined, false),
      security: fc.constantFrom<CommonInput['security']>('hardened', 'root', 'user', 'bind'),
    }),
  ).map(([w, rest]) => dropUndefined({ ...(w as object), ...rest }));
}

const SECURITY_CONTEXTS: { [name: string]: kplus.ContainerSecurityContextProps | undefined } = {
  hardened: undefined,
  root: { ensureNonRoot: false, readOnlyRootFilesystem: false },
  user: { ensureNonRoot: false, user: 1000 },
  bind: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } },
};

function commonProps(input: CommonInput) {
  return dropUndefined({
    image: input.image,
    workloadKind: input.workloadKind,
    replicas: input.replicas,
    nodeSelector: input.nodeSelector,
    name: input.name,
    namespace: input.namespace,
    createNamespace: input.createNamespace,
    securityContext: SECURITY_CONTEXTS[input.security ?? 'hardened'],
  });
}

/** A host-level app of the App, as the conflict rule sees it. */
interface HostApp {
  readonly path: string;
  readonly nodeSelector?: { [key: string]: string };
  readonly bindings: { port: number; protocol: string; hostIp?: string }[];
}

function hostAppsOf(root: IConstruct): HostApp[] {
  return root.node.findAll().flatMap((c): HostApp[] => {
    if (c instanceof HostNetworkApp) {
      return [{ path: c.node.path, nodeSelector: c.nodeSelector, bindings: c.ports.map((p) => ({ port: p.port, protocol: p.protocol! })) }];
    }
    if (c instanceof HostPortApp) {
      return [{
        path: c.node.path,
        nodeSelector: c.nodeSelector,
        bindings: c.ports.map((p) => ({ port: p.hostPort, protocol: p.protocol!, hostIp: canonicalHostIp(p.hostIp) })),
      }];
    }
    return [];
  });
}

/** The address a hostIp binds: undefined for every address (unset, 0.0.0.0, ::). */
function canonicalHostIp(hostIp: string | undefined): string | undefined {
  const ip = hostIp === undefined ? undefined : parseIp(hostIp);
  return ip === undefined || ip.value === 0n ? undefined : `${ip.family}/${ip.value}`;
}

/** True when some node may match both selectors (no shared key with different values). */
function mayShareNodes(a?: { [key: string]: string }, b?: { [key: string]: string }): boolean {
  if (!a || !b) return true;
  return Object.entries(a).every(([k, v]) => !(k in b) || b[k] === v);
}

/** The app's DaemonSet or Deployment document. */
function workloadDocOf(app: HostNetworkApp | HostPortApp, input: CommonInput, docs: any[]): any {
  const kind = input.workloadKind === WorkloadKind.DEPLOYMENT ? 'Deployment' : 'DaemonSet';
  return docs.find((d) => d.kind === kind && d.metadata?.name === app.workload.name && namespaceOf(d) === app.namespace);
}

/** The invariants both apps keep (`hostInvariants`), and the workload document and its pod spec. */
function hostCheck(app: HostNetworkApp | HostPortApp, input: CommonInput, docs: any[]): { problems: string[]; doc: any; pod: any } {
  const doc = workloadDocOf(app, input, docs);
  return { problems: hostInvariants(app, input, docs), doc, pod: doc?.spec.template.spec };
}

/** A problem when the first container's ports, each as `describe` writes it, are not `wanted` (in any order). */
function samePorts(pod: any, describe: (port: any) => string, wanted: string[]): string[] {
  const emitted = (pod?.containers?.[0]?.ports ?? []).map(describe);
  return JSON.stringify([...emitted].sort()) === JSON.stringify([...wanted].sort()) ? [] : [`container ports ${emitted}, expected ${wanted}`];
}

/**
 * The invariants both apps keep: the workload as asked for, one pod per node, node pinning, the
 * created namespace, and no other host app of the App binding the same port on the same nodes.
 */
function hostInvariants(app: HostNetworkApp | HostPortApp, input: CommonInput, docs: any[]): string[] {
  const problems: string[] = [];
  const kind = input.workloadKind === WorkloadKind.DEPLOYMENT ? 'Deployment' : 'DaemonSet';
  const doc = workloadDocOf(app, input, docs);
  if (!doc) return [`no ${kind} ${app.namespace}/${app.workload.name}`];
  if (input.name !== undefined && doc.metadata.name !== input.name) problems.push(`workload name ${doc.metadata.name}, given ${input.name}`);
  const pod = doc.spec.template.spec;
  if (kind === 'Deployment') {
    if (doc.spec.replicas !== (input.replicas ?? 1)) problems.push(`replicas ${doc.spec.replicas}, given ${input.replicas}`);
    const required = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (!required.some((t: any) => t.topologyKey === 'kubernetes.io/hostname')) problems.push('a Deployment without required anti-affinity on kubernetes.io/hostname: two pods may meet on one node');
    if (doc.spec.strategy?.rollingUpdate?.maxSurge !== 0) problems.push(`maxSurge ${doc.spec.strategy?.rollingUpdate?.maxSurge}: a new pod may wait for the port of its predecessor`);
    if (doc.spec.replicas > 1 && input.nodeSelector?.['kubernetes.io/hostname'] !== undefined) {
      problems.push(`${doc.spec.replicas} replicas pinned to one node (kubernetes.io/hostname), one pod per node: the others stay Pending`);
    }
  } else if (doc.spec.replicas !== undefined) {
    problems.push('a DaemonSet with replicas');
  }
  // Every port below 1024 the process binds must be bindable: root, or NET_BIND_SERVICE.
  for (const container of pod.containers ?? []) {
    const context = container.securityContext ?? {};
    const root = context.runAsNonRoot !== true && (context.runAsUser === undefined || context.runAsUser === 0);
    const capable = root || (context.capabilities?.add ?? []).some((c: string) => /^(CAP_)?NET_BIND_SERVICE$/.test(c));
    for (const p of container.ports ?? []) {
      if (p.containerPort < 1024 && !capable) problems.push(`container ${container.name} binds ${p.containerPort} as non-root without NET_BIND_SERVICE: it never can`);
    }
  }
  for (const [key, value] of Object.entries(input.nodeSelector ?? {})) {
    const terms = pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const pinned = terms.length > 0 && terms.every((t: any) => (t.matchExpressions ?? [])
      .some((e: any) => e.key === key && e.operator === 'In' && e.values?.length === 1 && e.values[0] === value));
    if (!pinned) problems.push(`not pinned to nodes with ${key}=${value}`);
  }
  if (input.createNamespace === true) {
    const ns = docs.find((d) => d.kind === 'Namespace' && d.metadata?.name === app.namespace);
    if (ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'] !== 'privileged') problems.push(`namespace ${app.namespace} not created with Pod Security privileged`);
  }
  // No other host app of the App binds one of these ports on nodes and addresses it may share.
  const mine = hostAppsOf(app).find((h) => h.path === app.node.path)!;
  for (const other of hostAppsOf(app.node.root)) {
    if (other.path === mine.path || !mayShareNodes(mine.nodeSelector, other.nodeSelector)) continue;
    for (const b of mine.bindings) {
      const clash = other.bindings.find((o) => o.port === b.port && o.protocol === b.protocol
        && (o.hostIp === undefined || b.hostIp === undefined || o.hostIp === b.hostIp));
      if (clash) problems.push(`binds ${b.port}/${b.protocol} like [${other.path}] on nodes both may use`);
    }
  }
  return problems;
}

// --- HostNetworkApp -----------------------------------------------------------------------------

interface HostNetworkInput extends CommonInput {
  readonly ports: any;
  readonly dnsPolicy?: any;
}

const validHostNetworkPorts = fc.uniqueArray(
  fc.record({ port: validPort, name: validPortName, protocol: fc.constantFrom(undefined, 'TCP', 'UDP') as fc.Arbitrary<any> }).map(dropUndefined),
  { minLength: 1, maxLength: 3, selector: (p) => p.name },
).filter((ports) => new Set(ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)).size === ports.length);

const anyHostNetworkPorts = fc.oneof<any>(
  {
    weight: 10,
    arbitrary: fc.array(
      fc.record({ port: anyPort, name: sometimes(anyPortName, 2), protocol: anyProtocol }).map(dropUndefined),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom([], undefined, 'http') },
);

export const hostNetworkFuzzer: PatternFuzzer<HostNetworkInput> = {
  className: 'HostNetworkApp',
  input: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(commonInput(false), validHostNetworkPorts).map(([c, ports]) => ({ ...c, ports })) },
    {
      weight: 1,
      arbitrary: fc.tuple(commonInput(true), anyHostNetworkPorts,
        fc.constantFrom<any>(undefined, kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET, kplus.DnsPolicy.DEFAULT, kplus.DnsPolicy.CLUSTER_FIRST, kplus.DnsPolicy.NONE, 'x'),
        fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyAllowFrom }))
        .map(([c, ports, dnsPolicy, allowFrom]) => dropUndefined({ ...c, ports, dnsPolicy, allowFrom })),
    },
  ),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: HostNetworkInput, caller): Built {
    const app = new HostNetworkApp(scope, id, caller({
      ...commonProps(input), ports: input.ports, dnsPolicy: input.dnsPolicy, allowFrom: makeAllowFrom(scope, id, input.allowFrom),
    } as any));
    return {
      construct: app,
      check: (docs) => {
        const { problems, pod } = hostCheck(app, input, docs);
        if (pod?.hostNetwork !== true) problems.push('hostNetwork is not true');
        const dns = input.dnsPolicy ?? kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET;
        if (pod?.dnsPolicy !== dns) problems.push(`dnsPolicy ${pod?.dnsPolicy}, expected ${dns}`);
        problems.push(...samePorts(pod, (p) => `${p.containerPort}:${p.hostPort}/${p.protocol ?? 'TCP'}`,
          (input.ports as any[]).map((p) => `${p.port}:${p.port}/${p.protocol ?? 'TCP'}`)));
        return problems;
      },
    };
  },
};

// --- HostPortApp --------------------------------------------------------------------------------

interface HostPortInput extends CommonInput {
  readonly ports: any;
}

const validHostIp = fc.constantFrom(undefined, '127.0.0.1', '0.0.0.0', '::', '192.168.9.10', 'fd00::10', 'FD00:0::10');

const validHostPortPorts = fc.uniqueArray(
  fc.record({
    containerPort: validPort,
    hostPort: fc.oneof(validPort, fc.constantFrom(80, 443, 8080)),
    hostIp: validHostIp,
    name: validPortName,
    protocol: fc.constantFrom(undefined, 'TCP', 'UDP') as fc.Arbitrary<any>,
  }).map(dropUndefined),
  { minLength: 1, maxLength: 3, selector: (p) => p.name },
).filter((ports) => new Set(ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)).size === ports.length
  && new Set(ports.map((p) => `${p.hostPort}/${p.protocol ?? 'TCP'}`)).size === ports.length);

const anyHostPortPorts = fc.oneof<any>(
  {
    weight: 10,
    arbitrary: fc.array(fc.record({
      containerPort: anyPort,
      hostPort: anyPort,
      hostIp: fc.oneof({ weight: 4, arbitrary: validHostIp }, { weight: 1, arbitrary: invalidIp }),
      name: sometimes(anyPortName, 2),
      protocol: anyProtocol,
    }).map(dropUndefined), { minLength: 1, maxLength: 3 }),
  },
  { weight: 1, arbitrary: fc.constantFrom([], undefined) },
);

export const hostPortFuzzer: PatternFuzzer<HostPortInput> = {
  className: 'HostPortApp',
  input: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(commonInput(false), validHostPortPorts,
        fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyAllowFrom }))
        .map(([c, ports, allowFrom]) => dropUndefined({ ...c, ports, allowFrom })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(commonInput(true), anyHostPortPorts, anyAllowFrom)
        .map(([c, ports, allowFrom]) => dropUndefined({ ...c, ports, allowFrom })),
    },
  ),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: HostPortInput, caller): Built {
    const allowFrom = makeAllowFrom(scope, id, input.allowFrom);
    const app = new HostPortApp(scope, id, caller({ ...commonProps(input), ports: input.ports, allowFrom } as any));
    return {
      construct: app,
      check: (docs) => {
        const { problems, doc, pod } = hostCheck(app, input, docs);
        if (pod?.hostNetwork) problems.push('hostNetwork is set');
        problems.push(...samePorts(pod, (p) => `${p.containerPort}:${canonicalHostIp(p.hostIP) ?? '*'}:${p.hostPort}/${p.protocol ?? 'TCP'}`,
          (input.ports as any[]).map((p) => `${p.containerPort}:${canonicalHostIp(p.hostIp) ?? '*'}:${p.hostPort}/${p.protocol ?? 'TCP'}`)));
        const podLabels = pod ? doc.spec.template.metadata?.labels : undefined;
        problems.push(...allowFromInvariants(app.networkPolicy?.name, input.allowFrom, app.namespace, podLabels,
          (input.ports as any[]).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`), docs));
        return problems;
      },
    };
  },
};
