/**
 * What HostNetworkApp and HostPortApp share: prop checks, the workload (a cdk8s-plus DaemonSet
 * or Deployment with the safe scheduling defaults), App-wide host port claims and access points.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { HostWorkloadProps } from './host-app';
import { AppClaims, ClaimKind, nodeSelectorsDisjoint } from '../core/claims';
import { INT32_MAX } from '../core/crd-limits';
import { Checker } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';
import { claimPortOnNodes, NodePortOwner } from '../core/interference';
import { dns1123LabelProblem } from '../core/names';
import { formatIp, parseIp } from '../core/net';
import { definedOnly } from '../core/objects';
import { podSecurityPrerequisite, privilegedNamespace } from '../core/pod-security';
import { podHostIpsCommand, podNodesCommand } from '../guide/commands';

/** The container name when the app is not named. */
export const DEFAULT_CONTAINER_NAME = 'main';

/** Throws unless `image` is a non-empty image reference without whitespace. */
export function checkImage(check: Checker, image: string): void {
  if (typeof image !== 'string' || image.length === 0 || /\s/.test(image)) {
    check.fail('image', 'must be a non-empty container image reference without whitespace', image,
      'Pass the image to run, e.g. "nginx:1.25" or "influxdb:2.7".');
  }
}

/** Throws unless `name` is a DNS-1123 label (it names the workload, its pods and the container). */
export function checkName(check: Checker, name: string | undefined): void {
  if (name === undefined) return;
  const problem = dns1123LabelProblem(name);
  if (problem) {
    check.fail('name', problem, name, 'Use a short lowercase name such as "nginx", or omit name to let cdk8s derive one.');
  }
}

/**
 * Checks `replicas` against the workload kind; returns the replicas to emit (undefined for a
 * DaemonSet).
 */
export function resolveReplicas(check: Checker, deployment: boolean, replicas: number | undefined, defaultReplicas: number): number | undefined {
  if (!deployment) {
    if (replicas !== undefined) {
      check.fail('replicas', 'only applies to WorkloadKind.DEPLOYMENT (a DaemonSet runs one pod per selected node)', replicas,
        'Remove replicas, or set workloadKind: WorkloadKind.DEPLOYMENT.');
    }
    return undefined;
  }
  return check.integer('replicas', replicas ?? defaultReplicas, { min: 0, max: INT32_MAX }, 'Use the number of pods to run, e.g. 1 (each needs its own node).');
}

/**
 * Checks the node selector's label keys and values. Returns a copy, or undefined when empty.
 */
export function checkNodeSelector(check: Checker, selector: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (selector === undefined) return undefined;
  check.labelMap('nodeSelector', selector, {
    map: 'Pass e.g. { "kubernetes.io/hostname": "node-1" }.',
    key: 'Use a node label key such as "kubernetes.io/hostname" or "example.com/edge".',
    value: 'Use the value of the node label, e.g. "node-1" (kubectl get nodes --show-labels).',
  });
  return Object.keys(selector).length === 0 ? undefined : { ...selector };
}

/**
 * Checks a `hostIp` and returns its canonical text, or undefined for an unset or unspecified
 * address (0.0.0.0, ::), which binds every address of the node.
 */
export function normalizeHostIp(check: Checker, prop: string, hostIp: string | undefined): string | undefined {
  if (hostIp === undefined) return undefined;
  const ip = parseIp(hostIp);
  if (!ip) {
    check.fail(prop, 'must be an IPv4 or IPv6 address', hostIp,
      'Use an address of the node (e.g. "127.0.0.1" for node-local access), or omit hostIp to bind every address.');
  }
  return ip.value === 0n ? undefined : formatIp(ip.family, ip.value);
}

/** One port a host-level app binds on its nodes. */
export interface HostBinding {
  /** Where to report a conflict, e.g. `ports[0].hostPort`. */
  readonly prop: string;
  readonly hostPort: number;
  readonly protocol: kplus.Protocol;
  /** Canonical host IP; undefined binds every address of the node. */
  readonly hostIp?: string;
}

/** A port a host-level app binds on its nodes, with the container port behind it. */
export interface HostPortBinding extends HostBinding {
  readonly containerPort: number;
  readonly name?: string;
}

/** Who binds a port on the nodes. */
export interface HostPortClaim {
  readonly path: string;
  readonly className: string;
  readonly hostIp?: string;
  readonly nodeSelector?: { [key: string]: string };
}

/** `<port>/<protocol>` -> the host-level apps that bind it on their nodes. */
export const HOST_PORT = new ClaimKind<HostPortClaim>('host-port');

function hostIpsOverlap(a?: string, b?: string): boolean {
  return a === undefined || b === undefined || a === b;
}

function describeBinding(hostPort: number, protocol: kplus.Protocol, hostIp?: string): string {
  return `${hostIp === undefined ? '' : `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:`}${hostPort}/${protocol}`;
}

/**
 * Refuses two bindings of one app that would take the same port of a node (an unset hostIp
 * overlaps every address).
 */
export function checkOwnBindings(check: Checker, bindings: readonly HostBinding[]): void {
  const byPort = new Map<string, HostBinding[]>();
  for (const binding of bindings) {
    const key = `${binding.hostPort}/${binding.protocol}`;
    const earlier = byPort.get(key) ?? [];
    const clash = earlier.find((e) => hostIpsOverlap(e.hostIp, binding.hostIp));
    if (clash) {
      check.fail(binding.prop, `binds ${describeBinding(binding.hostPort, binding.protocol, binding.hostIp)} on the node, which overlaps ${clash.prop} (${describeBinding(clash.hostPort, clash.protocol, clash.hostIp)})`,
        binding.hostPort, 'Bind each host port and protocol once per address; an unset hostIp binds every address of the node.');
    }
    earlier.push(binding);
    byPort.set(key, earlier);
  }
}

/**
 * Host ports are node-wide: two host-level apps of one App must not bind the same port and
 * protocol on overlapping addresses of nodes they may share. Buckets by port/protocol, so each
 * binding is only compared with the bindings of the same port.
 */
export function claimHostPorts(check: Checker, scope: Construct, bindings: readonly HostBinding[],
  nodeSelector: { [key: string]: string } | undefined): void {
  const claims = AppClaims.of(scope);
  const path = scope.node.path;
  for (const binding of bindings) {
    claimPortOnNodes(check, binding.prop, binding.hostPort, binding.protocol, NodePortOwner.HOST_PORT);
    const earlier = claims.add(HOST_PORT, `${binding.hostPort}/${binding.protocol}`,
      { path, className: check.className, hostIp: binding.hostIp, nodeSelector });
    for (const other of earlier) {
      if (other.path === path) continue;
      if (!hostIpsOverlap(other.hostIp, binding.hostIp) || nodeSelectorsDisjoint(other.nodeSelector, nodeSelector)) continue;
      check.fail(binding.prop,
        `is already bound as ${describeBinding(binding.hostPort, binding.protocol, other.hostIp)} by [${other.path}] (${other.className}) on nodes this app may share`,
        binding.hostPort,
        'Pick another port, or pin the apps to disjoint nodes with nodeSelector (the same label key with different values).');
    }
  }
}

/** What `buildHostWorkload` needs. */
export interface HostWorkloadOptions {
  readonly scope: Construct;
  readonly deployment: boolean;
  readonly name?: string;
  readonly metadataNamespace?: string;
  readonly image: string;
  readonly ports: kplus.ContainerPort[];
  readonly replicas?: number;
  readonly nodeSelector?: { [key: string]: string };
  readonly hostNetwork: boolean;
  readonly dnsPolicy?: kplus.DnsPolicy;
  readonly securityContext?: kplus.ContainerSecurityContextProps;
  readonly resources?: kplus.ContainerResources;
  /** A namespace the workload is created in, applied before it. */
  readonly namespaceObject?: kplus.k8s.KubeNamespace;
}

/** What a host-level app binds and how (the hook `HostApp._hostShape` returns it). */
export interface HostAppShape {
  /** Whether the pods share the node's network namespace (`HostNetworkApp`). */
  readonly hostNetwork: boolean;
  /** The pods' DNS policy; undefined leaves it to cdk8s-plus. */
  readonly dnsPolicy?: kplus.DnsPolicy;
  /** The ports bound on the node: checked against each other and claimed App-wide. */
  readonly bindings: readonly HostPortBinding[];
  /** The container's ports, as the pod spec lists them. */
  readonly containerPorts: kplus.ContainerPort[];
  /** Prerequisites beyond those every host-level app has. */
  readonly extraPrerequisites?: string[];
}

/**
 * A port struct of the public API (`HostNetworkPort`, `HostPortMapping`) once checked: its
 * protocol resolved (the default filled in), so that the code after the checks needs no `!`.
 */
export type WithProtocol<T> = T & { readonly protocol: kplus.Protocol };

/** What `buildHostWorkload` made. */
export interface HostWorkload {
  readonly workload: kplus.Workload;
  readonly container: kplus.Container;
}

/**
 * Creates the DaemonSet or Deployment as the `Resource` child, with the host-level safe defaults:
 * one pod per node (required anti-affinity on kubernetes.io/hostname for a Deployment), a rollout
 * that frees the port before taking it again (maxSurge 0, maxUnavailable 1), node pinning.
 */
export function buildHostWorkload(options: HostWorkloadOptions): HostWorkload {
  const common: kplus.WorkloadProps = {
    metadata: definedOnly({ name: options.name, namespace: options.metadataNamespace }),
    hostNetwork: options.hostNetwork ? true : undefined,
    dns: options.dnsPolicy === undefined ? undefined : { policy: options.dnsPolicy },
    containers: [definedOnly({
      name: options.name ?? DEFAULT_CONTAINER_NAME,
      image: options.image,
      ports: options.ports,
      securityContext: options.securityContext,
      resources: options.resources,
    })],
  };
  let workload: kplus.Workload;
  if (options.deployment) {
    workload = new kplus.Deployment(options.scope, 'Resource', {
      ...common,
      replicas: options.replicas,
      // A new pod cannot start on a node whose old pod still holds the port: never surge.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(0),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
      }),
    });
    // Two replicas on one node would clash on the port: one pod per node.
    workload.scheduling.spread({ topology: kplus.Topology.HOSTNAME });
  } else {
    workload = new kplus.DaemonSet(options.scope, 'Resource', common);
  }
  if (options.namespaceObject) {
    workload.node.addDependency(options.namespaceObject);
  }
  if (options.nodeSelector) {
    // One attract() call with every label: the terms are ANDed, like a nodeSelector.
    workload.scheduling.attract(kplus.Node.labeled(
      ...Object.entries(options.nodeSelector).map(([key, value]) => kplus.NodeLabelQuery.is(key, value))));
  }
  return { workload, container: workload.containers[0] };
}

/** The `kubectl` command that prints the IPs of the nodes running the workload's pods. */
export function nodeIpLookupCommand(namespace: string, workload: kplus.Workload): string {
  return podHostIpsCommand(namespace, workload.matchLabels);
}

/** What an access point of a host-level app says. */
export interface HostAccessOptions {
  readonly method: AccessMethod;
  readonly namespace: string;
  readonly workload: kplus.Workload;
  readonly deployment: boolean;
  readonly nodeSelector?: { [key: string]: string };
  readonly bindings: readonly HostPortBinding[];
}

/** True for an address that only the node itself can reach (127.0.0.0/8, ::1). */
export function isLoopback(hostIp: string | undefined): boolean {
  return hostIp !== undefined && (hostIp.startsWith('127.') || hostIp === '::1');
}

/** One access point per bound port: `<node-ip>` (or the hostIp) and the host port. */
export function hostAccessPoints(options: HostAccessOptions): AccessPoint[] {
  const lookup = nodeIpLookupCommand(options.namespace, options.workload);
  const labelled = options.nodeSelector ? ` labelled ${formatLabels(options.nodeSelector)}` : '';
  const where = options.deployment
    ? `a node${labelled} that runs one of the pods (a pod may move to another such node when rescheduled)`
    : `any node${labelled} (the DaemonSet runs one pod on each)`;
  const via = options.method === AccessMethod.HOST_NETWORK ? 'the pod shares the node\'s network' : 'the node forwards the port to the pod';
  return options.bindings.map((b) => {
    const loopback = isLoopback(b.hostIp);
    return {
      // A loopback binding is only reachable from the node itself, which is inside the cluster.
      origin: loopback ? AccessOrigin.CLUSTER_NETWORK : AccessOrigin.OUTSIDE_CLUSTER,
      method: options.method,
      host: b.hostIp ?? '<node-ip>',
      port: b.hostPort,
      protocol: b.protocol,
      portName: b.name,
      // A loopback address is the same on every node: which nodes run a pod is what to look up.
      hostLookupCommand: b.hostIp === undefined ? lookup : loopback ? podNodesCommand(options.namespace, options.workload.matchLabels) : undefined,
      podSelector: { ...options.workload.matchLabels },
      description: b.hostIp === undefined
        ? `The address of ${where}, port ${b.hostPort}/${b.protocol}; ${via} (container port ${b.containerPort}).`
        : `Address ${b.hostIp} of ${where}, port ${b.hostPort}/${b.protocol}; ${via} (container port ${b.containerPort})${loopback ? '; a loopback address: reachable from processes on that node only (and hostNetwork pods there), so test it on the node' : ''}.`,
    };
  });
}

function formatLabels(labels: { [key: string]: string }): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * Creates the app's namespace with Pod Security `privileged` enforced when asked to, and makes
 * the workload depend on it so that it is applied first.
 */
export function createHostNamespace(scope: Construct, check: Checker, create: boolean | undefined,
  metadataNamespace: string | undefined): kplus.k8s.KubeNamespace | undefined {
  if (check.boolean('createNamespace', create) !== true) return undefined;
  const created = privilegedNamespace(scope, check, 'namespace', metadataNamespace);
  createNamespaceFirst(scope, created);
  return created;
}

/**
 * Makes every API object of the App that lives in the created namespace depend on it, whatever
 * the construct order, so that `kubectl apply -f` of the synthesized files creates the namespace
 * first (cdk8s orders objects, and numbers chart files, by their dependencies). Added when the
 * App validates, which cdk8s does before it orders and writes the objects: by then every object
 * of the App exists.
 */
function createNamespaceFirst(scope: Construct, namespace: kplus.k8s.KubeNamespace): void {
  const name = namespace.metadata.name;
  scope.node.addValidation({
    validate: () => {
      for (const c of scope.node.root.node.findAll()) {
        if (c !== namespace && ApiObject.isApiObject(c) && c.metadata.namespace === name && !c.node.dependencies.includes(namespace)) {
          c.node.addDependency(namespace);
        }
      }
      return [];
    },
  });
}

/** The prerequisites every host-level app has. */
export function hostPrerequisites(namespace: string, namespaceCreated: boolean, bindings: readonly HostBinding[],
  nodeSelector: { [key: string]: string } | undefined): string[] {
  const result = [podSecurityPrerequisite(namespace, namespaceCreated)];
  const external = bindings.filter((b) => !isLoopback(b.hostIp));
  if (external.length > 0) {
    result.push(`The nodes' firewalls must admit ${external.map((b) => describeBinding(b.hostPort, b.protocol, b.hostIp)).join(', ')} from the clients.`);
  }
  if (nodeSelector) {
    result.push(`At least one node must carry the labels ${formatLabels(nodeSelector)} (kubectl label node <node> ${Object.entries(nodeSelector).map(([k, v]) => `${k}=${v}`).join(' ')}).`);
  }
  return result;
}

/**
 * The keys of `HostWorkloadProps` (with `ExposureProps`' `namespace`), for the key lists of the
 * host apps' props: each app adds its own (the struct-keys test checks every list against jsii).
 */
export const HOST_WORKLOAD_PROP_KEYS: { readonly [K in keyof Required<HostWorkloadProps>]: true } = {
  namespace: true,
  image: true,
  workloadKind: true,
  replicas: true,
  nodeSelector: true,
  name: true,
  securityContext: true,
  resources: true,
  createNamespace: true,
};
