import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExternalTrafficPolicy, NodePortRange, ServicePortSpec } from './service-vocabulary';
import { checkTargetPorts } from './target-ports';
import { AppClaims, ClaimKind, claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { Checker, structKeys } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint, ExposedServicePort } from '../core/exposure';
import { claimPortOnNodes, NodePortOwner } from '../core/interference';
import { dns1035LabelProblem, ianaServiceNameProblem, labelKeyProblem } from '../core/names';
import { SourceIpLost } from '../core/network-policy';
import { definedOnly } from '../core/objects';
import { checkPortList, checkPortNumber, checkProtocol } from '../core/ports';
import { selectorLabels } from '../core/selector';
import { jsonPathCommand, LOCAL_TRAFFIC_NOTE, podHostIpsCommand } from '../guide/commands';
import { checkNodePortRange } from '../profile/node-port-rules';

/** A Service port after defaults and checks. */
export interface ResolvedServicePort {
  readonly port: number;
  readonly targetPort: number;
  /** Whether `targetPort` was given (Kubernetes defaults it to `port`: not written otherwise). */
  readonly targetPortGiven: boolean;
  readonly nodePort?: number;
  readonly name?: string;
  readonly protocol: kplus.Protocol;
  readonly appProtocol?: string;
}

/**
 * What a Service pattern says its Service is (the hook `ServiceExposure._serviceShape` returns
 * it); the `ServiceExposure` base adds the construct, name, selector and namespaces.
 */
export interface ServiceShape {
  /** The Service type on the wire. */
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly ports?: ServicePortSpec[];
  /** False for headless Services, which may have no ports. */
  readonly portsRequired: boolean;
  /** The node port range, for types that open node ports. */
  readonly nodePortRange?: NodePortRange;
  /** Further `spec` fields (L1 names, e.g. `clusterIp`), already checked by the pattern. */
  readonly spec?: Omit<kplus.k8s.ServiceSpec, 'type' | 'ports' | 'selector'>;
  readonly annotations?: { [key: string]: string };
}

/** What the `ServiceExposure` base hands to `buildService`. */
export interface ServiceBuildOptions {
  readonly scope: Construct;
  readonly check: Checker;
  /** User-chosen `metadata.name`; cdk8s names it from the construct path otherwise. */
  readonly name?: string;
  readonly metadataNamespace?: string;
  readonly namespace: string;
  readonly selector: kplus.IPodSelector;
  readonly shape: ServiceShape;
}

/** What `buildService` made. */
export interface BuiltService {
  readonly apiObject: kplus.k8s.KubeService;
  readonly name: string;
  readonly ports: ResolvedServicePort[];
  readonly selector: { [key: string]: string };
}

/** Who opened a node port. */
export interface NodePortClaim {
  /** Who claimed it; its path is only built for the error message. */
  readonly scope: Construct;
  readonly service: string;
}

/** A node port number -> the Service that opens it (node ports are cluster-wide). */
export const NODE_PORT = new ClaimKind<NodePortClaim>('node-port');

/** The keys of a `ServicePortSpec`. */
export const SERVICE_PORT_SPEC = structKeys<ServicePortSpec>('ServicePortSpec',
  { port: true, targetPort: true, nodePort: true, name: true, protocol: true, appProtocol: true });

/**
 * Refuses a value that is not an `ExternalTrafficPolicy` (a JavaScript caller's `"local"`).
 */
export function checkExternalTrafficPolicy(check: Checker, policy: ExternalTrafficPolicy | undefined): ExternalTrafficPolicy | undefined {
  return check.enumValue('externalTrafficPolicy', policy, ExternalTrafficPolicy, 'ExternalTrafficPolicy',
    { extraFix: ', or omit it for Kubernetes\' default (Cluster)' });
}

/**
 * Validates a Service pattern's inputs and creates its `Service` as the `Resource` child.
 * Shared by every Service pattern so that each rule is written once.
 */
export function buildService(options: ServiceBuildOptions): BuiltService {
  const { check, scope, shape } = options;
  check.string('name', options.name, 'Service names start with a letter, e.g. "web".');
  if (options.name !== undefined) {
    const problem = dns1035LabelProblem(options.name);
    if (problem) {
      check.fail('name', problem, options.name, 'Service names start with a letter, e.g. "web".');
    }
  }
  const selector = selectorLabels(check, 'selector', options.selector, options.namespace);
  const ports = resolveServicePorts(check, shape.ports, shape.portsRequired, shape.nodePortRange);

  const apiObject = new kplus.k8s.KubeService(scope, 'Resource', {
    metadata: definedOnly({
      name: options.name,
      namespace: options.metadataNamespace,
      annotations: shape.annotations && Object.keys(shape.annotations).length > 0 ? shape.annotations : undefined,
    }),
    spec: {
      type: shape.type,
      selector,
      ports: ports.length === 0 ? undefined : ports.map(toL1Port),
      ...shape.spec,
    },
  });

  // One Service per name and namespace in the whole App: a second one would overwrite the first.
  claimObjectName(check, 'name', apiObject, options.name === undefined ? DERIVED_NAME_FIX : undefined);
  claimNodePorts(check, scope, apiObject.name, ports);
  checkTargetPorts(check, scope, options.selector, ports);
  return { apiObject, name: apiObject.name, ports, selector };
}

/** The `IntOrString` of each target port number, shared by every Service of the process. */
const TARGET_PORTS = new Map<number, kplus.k8s.IntOrString>();

/**
 * The `IntOrString` of a port number. Made once per number: it is immutable, and the L1 keeps
 * it until synth (one per Service port otherwise).
 */
function intOrStringOf(port: number): kplus.k8s.IntOrString {
  let value = TARGET_PORTS.get(port);
  if (value === undefined) {
    value = kplus.k8s.IntOrString.fromNumber(port);
    TARGET_PORTS.set(port, value);
  }
  return value;
}

/**
 * A Service port as the L1 takes it, with only the fields that are set: the L1 keeps it until
 * synth, where cdk8s resolves every key, an undefined one too.
 */
function toL1Port(p: ResolvedServicePort): kplus.k8s.ServicePort {
  return definedOnly({
    name: p.name,
    port: p.port,
    protocol: p.protocol === kplus.Protocol.TCP ? undefined : p.protocol,
    targetPort: p.targetPortGiven ? intOrStringOf(p.targetPort) : undefined,
    nodePort: p.nodePort,
    appProtocol: p.appProtocol,
  });
}

/**
 * Checks and resolves a Service port list. `nodePortRange` undefined means node ports are not
 * allowed (ClusterIP and headless Services).
 */
export function resolveServicePorts(check: Checker, given: ServicePortSpec[] | undefined, required: boolean,
  nodePortRange?: NodePortRange): ResolvedServicePort[] {
  if (!required && given === undefined) return [];
  const ports = check.structList('ports', given!, SERVICE_PORT_SPEC, { noun: 'port', minLength: required ? 1 : 0, fix: 'Pass e.g. [{ port: 80 }].' });
  if (ports.length === 0) return [];
  const range = nodePortRange === undefined ? undefined : checkNodePortRange(check, nodePortRange);
  const resolved = ports.map((p, i): ResolvedServicePort => {
    checkPortNumber(check, `ports[${i}].port`, p.port);
    if (p.targetPort !== undefined) {
      checkPortNumber(check, `ports[${i}].targetPort`, p.targetPort);
    }
    if (p.nodePort !== undefined) {
      if (!range) {
        check.fail(`ports[${i}].nodePort`, 'is only allowed on NodePort and LoadBalancer Services', p.nodePort,
          'Remove nodePort, or use NodePortService / MetalLbLoadBalancer.');
      }
      check.integer(`ports[${i}].nodePort`, p.nodePort, range,
        'Omit nodePort to let Kubernetes allocate one, or pass nodePortRange for a cluster with a custom range.');
    }
    check.string(`ports[${i}].appProtocol`, p.appProtocol, 'Use e.g. "http", "https" or "kubernetes.io/h2c".');
    if (p.appProtocol !== undefined && ianaServiceNameProblem(p.appProtocol) && (!p.appProtocol.includes('/') || labelKeyProblem(p.appProtocol))) {
      check.fail(`ports[${i}].appProtocol`, 'must be an IANA service name or a domain-prefixed name', p.appProtocol,
        'Use e.g. "http", "https" or "kubernetes.io/h2c".');
    }
    return {
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      targetPortGiven: p.targetPort !== undefined,
      nodePort: p.nodePort,
      name: p.name,
      protocol: checkProtocol(check, `ports[${i}].protocol`, p.protocol),
      appProtocol: p.appProtocol,
    };
  });
  checkPortList(check, 'ports', resolved, 'port');
  // Kubernetes refuses a nodePort used twice for the same protocol in one Service (the map is
  // only made when there are two ports or more: this runs for every Service).
  const nodePorts = resolved.length > 1 ? new Map<string, number>() : undefined;
  resolved.forEach((p, i) => {
    if (p.nodePort === undefined || !nodePorts) return;
    const key = `${p.nodePort}/${p.protocol}`;
    const previous = nodePorts.get(key);
    if (previous !== undefined) {
      check.duplicate(`ports[${i}].nodePort`, `ports[${previous}].nodePort`, p.nodePort,
        'Give each port its own nodePort, or omit nodePort to let Kubernetes allocate one.');
    }
    nodePorts.set(key, i);
  });
  return resolved;
}

/**
 * Node ports are cluster-wide: one nodePort number belongs to one Service in the whole App.
 */
function claimNodePorts(check: Checker, scope: Construct, serviceName: string, ports: ResolvedServicePort[]): void {
  let claims: AppClaims | undefined;
  // A nodePort given for two protocols is one claim. An index loop, and no Set for one port:
  // this runs for every Service, and `ports.entries()` allocates per port.
  const seen = ports.length > 1 ? new Set<number>() : undefined;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (p.nodePort === undefined) continue;
    claimPortOnNodes(check, `ports[${i}].nodePort`, p.nodePort, p.protocol, NodePortOwner.NODE_PORT);
    if (seen?.has(p.nodePort)) continue;
    seen?.add(p.nodePort);
    claims ??= AppClaims.of(scope);
    const [previous] = claims.add(NODE_PORT, String(p.nodePort), { scope, service: serviceName });
    if (previous) {
      check.fail(`ports[${i}].nodePort`, `is already used by [${previous.scope.node.path}] (Service "${previous.service}"), and node ports are cluster-wide`,
        p.nodePort, 'Pick another nodePort, or omit it to let Kubernetes allocate one.');
    }
  }
}

/** The URL scheme an `appProtocol` implies, for the access guide. */
export function schemeOf(appProtocol: string | undefined): string | undefined {
  return appProtocol === 'http' || appProtocol === 'https' ? appProtocol : undefined;
}

/** The ports as other patterns see them. */
export function toExposedPorts(ports: ResolvedServicePort[]): ExposedServicePort[] {
  return ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol }));
}

/**
 * Access points of the node ports of a Service (NodePort, or LoadBalancer with node ports).
 */
export function nodePortAccessPoints(namespace: string, serviceName: string, ports: ResolvedServicePort[],
  localPods?: { [key: string]: string }): AccessPoint[] {
  // With externalTrafficPolicy Local, only the nodes that run a pod answer: look those up.
  const hostLookupCommand = localPods === undefined ? 'kubectl get nodes -o wide' : podHostIpsCommand(namespace, localPods);
  const local = localPods === undefined ? '' : `; ${LOCAL_TRAFFIC_NOTE}`;
  return ports.map((p, i) => ({
    origin: AccessOrigin.OUTSIDE_CLUSTER,
    method: AccessMethod.NODE_PORT,
    host: '<node-ip>',
    port: p.nodePort,
    protocol: p.protocol,
    portName: p.name,
    scheme: schemeOf(p.appProtocol),
    hostLookupCommand,
    backend: `Service ${namespace}/${serviceName}`,
    serviceName,
    servicePort: p.port,
    portLookupCommand: p.nodePort === undefined
      ? jsonPathCommand(namespace, 'service', serviceName, `{.spec.ports[${i}].nodePort}`)
      : undefined,
    description: `${localPods === undefined ? 'Any node\'s address' : 'The address of a node that runs a pod'}, node port ${p.nodePort ?? '(allocated)'}/${p.protocol}, `
      + `forwarded to Service ${serviceName} port ${p.port} (target ${p.targetPort})${local}.`,
  }));
}

/**
 * Why `allowFrom` cannot work behind a Service reachable from outside the cluster: with
 * `externalTrafficPolicy` Cluster (set or Kubernetes' default) a node replaces the client's
 * address with its own (SNAT), so an `ipBlock` never matches the client, and pod or namespace
 * peers do not keep outside clients out (NetworkPolicy admits the traffic of the pod's own node).
 * Undefined with `Local`, which keeps the client's address. `otherFix` is a further way out.
 */
export function sourceIpLostUnlessLocal(policy: ExternalTrafficPolicy | undefined, otherFix?: string): SourceIpLost | undefined {
  if (policy === ExternalTrafficPolicy.LOCAL) return undefined;
  const fix = 'Set externalTrafficPolicy: ExternalTrafficPolicy.LOCAL so that the pods see the client\'s own address (only nodes running a pod then answer)';
  return {
    reason: 'with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s',
    value: policy ?? 'Cluster (default)',
    fix: otherFix === undefined ? `${fix}.` : `${fix}, or ${otherFix}.`,
  };
}
