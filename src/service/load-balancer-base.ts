import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { familyOf, LoadBalancerShape } from './load-balancer-shape';
import { checkExternalTrafficPolicy, nodePortAccessPoints, ResolvedServicePort, schemeOf, ServiceShape } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import { ExternalTrafficPolicy, NodePortRange, ServicePortSpec } from './service-vocabulary';
import { AccessMethod, AccessOrigin, AccessPoint, ExternalExposureProps } from '../core/exposure';
import { ALL_FAMILIES, checkAllowListCoversFamilies, PossibleFamilies } from '../core/families';
import { labelKeyProblem } from '../core/names';
import { checkNetworkCidr } from '../core/net';
import { LOCAL_TRAFFIC_NOTE, podHostIpsCommand } from '../guide/commands';
import { nodePortsOf, profileNodePortRange, validateNodePortRange } from '../profile/node-port-rules';
import { claimLoadBalancerPorts } from '../profile/profile-rules';

/**
 * An IP address family of a Service (`spec.ipFamilies`).
 * @see https://kubernetes.io/docs/concepts/services-networking/dual-stack/#services
 */
export enum IpFamily {
  /** IPv4. */
  IPV4 = 'IPv4',
  /** IPv6. */
  IPV6 = 'IPv6',
}

/**
 * Properties every `LoadBalancer` Service pattern accepts (`LoadBalancerService`,
 * `MetalLbLoadBalancer`).
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export interface LoadBalancerServiceBaseProps extends ServiceExposureProps, ExternalExposureProps {
  /** The ports the load balancer answers on (at least one). */
  readonly ports: ServicePortSpec[];
  /**
   * The Service's IP families (`spec.ipFamilies`); two families make a dual-stack Service
   * (`ipFamilyPolicy: RequireDualStack`), which gets one load balancer address per family.
   * @default - `MetalLbLoadBalancer`: the families of `loadBalancerIPs` when given (so that the
   * Service can hold the pinned addresses); otherwise not set: the cluster's primary family
   */
  readonly ipFamilies?: IpFamily[];
  /**
   * Whether a node forwards external traffic to pods on other nodes.
   *
   * Security: with `CLUSTER` (Kubernetes' default) the client's source IP is replaced by a node
   * IP, so NetworkPolicies and logs cannot see the client. `LOCAL` keeps the client IP; only
   * nodes running a pod then answer (the load balancer's health checks find them).
   * @default - not set: Kubernetes applies `Cluster`
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * The client CIDRs allowed to reach the load balancer (kube-proxy, or the cloud's load
   * balancer or firewall, filters the rest).
   *
   * Security: without it every source that can route to the load balancer can connect. Every
   * family of the Service needs at least one range: ranges of another family are ignored, and
   * an empty list for a family opens it to everyone.
   * @default - every source
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * Whether Kubernetes also opens a node port on every node for each Service port.
   *
   * Security: a node port is reachable at every node's address without the
   * `loadBalancerSourceRanges` filter, so it is off wherever the load balancer does not need it
   * (written explicitly: Kubernetes' default is `true`). A port with an explicit `nodePort` still
   * gets it.
   * @default - `MetalLbLoadBalancer`: false (DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS);
   * `LoadBalancerService`: false for `AWS` (IP targets) and for `K3S_SERVICE_LB` with
   * `externalTrafficPolicy` Cluster; true (Kubernetes' default, not written) for `GKE`, `AKS`,
   * `GENERIC` and for ServiceLB with `Local`, whose implementations use them
   */
  readonly allocateLoadBalancerNodePorts?: boolean;
  /**
   * The load balancer class (`spec.loadBalancerClass`): only the load balancer implementation
   * of that class serves the Service, and the cluster's default implementation (ServiceLB,
   * MetalLB without `--lb-class`, the cloud's) ignores it. Immutable once created.
   * @default - not set: served by the cluster's default load balancer implementation
   */
  readonly loadBalancerClass?: string;
  /**
   * The cluster's node port range, for explicit `nodePort`s on a cluster started with another
   * `--service-node-port-range`.
   * @default - the cluster profile's (`ClusterProfile`), else DEFAULT_NODE_PORT_RANGE (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * Further annotations of the Service, for what the pattern has no prop for (e.g.
   * `service.beta.kubernetes.io/aws-load-balancer-healthcheck-path`,
   * `metallb.io/ip-allocated-from-pool`). An annotation the pattern writes itself (the
   * provider's or MetalLB's) is refused here: use the pattern's prop.
   *
   * Security: an annotation can widen the load balancer (make it internet-facing, open more
   * sources): review what each one does.
   * @default - only the annotations the pattern writes
   */
  readonly annotations?: { [key: string]: string };
}

/** The Service of a LoadBalancer pattern, with the shared props resolved and the pattern's own shape. */
interface LoadBalancerServiceShape extends ServiceShape {
  readonly spec: NonNullable<ServiceShape['spec']>;
  readonly annotations: { [key: string]: string };
  readonly nodePortRange: NodePortRange;
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  readonly ipFamilies?: IpFamily[];
  readonly loadBalancerSourceRanges?: string[];
  readonly allocateLoadBalancerNodePorts: boolean;
  /** The families the Service may end up with (what `loadBalancerSourceRanges` must cover). */
  readonly possibleFamilies: PossibleFamilies;
  /** What the pattern's own hook returned. */
  readonly pattern: LoadBalancerShape;
}

/**
 * Base class of the `LoadBalancer` Service patterns (`LoadBalancerService`,
 * `MetalLbLoadBalancer`): one set of rules for what every load balancer shares — source ranges
 * and the family rule, node-port allocation, the traffic policy, the load balancer class,
 * `allowFrom`, dual stack, further annotations — and the cluster profile's checks (ServiceLB
 * host ports, the node port range). Each pattern says who provisions the address through one
 * hook, which the base calls before the Service is built.
 *
 * Security: the address is reachable from wherever the implementation makes it reachable,
 * unless `loadBalancerSourceRanges` limits the sources or `allowFrom` adds a NetworkPolicy at the
 * pods. Node ports are only allocated where the implementation needs them.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export abstract class LoadBalancerServiceBase extends ServiceExposure {
  /** The external traffic policy, when set. */
  public readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** The load balancer class, when set. */
  public readonly loadBalancerClass?: string;
  /** The node port range explicit nodePorts were checked against. */
  public readonly nodePortRange: NodePortRange;
  /** The Service's IP families, when set. */
  public readonly ipFamilies?: IpFamily[];
  /** The client CIDRs allowed to reach the load balancer, when restricted. */
  public readonly loadBalancerSourceRanges?: string[];
  /** Whether node ports are allocated for every port. */
  public readonly allocateLoadBalancerNodePorts: boolean;
  /** Every annotation of the Service: the pattern's and the `annotations` prop's. */
  public readonly annotations: { [key: string]: string };
  /** The NetworkPolicy that admits only `allowFrom`, when it is set. */
  public readonly networkPolicy?: kplus.NetworkPolicy;

  /** @internal */
  declare protected readonly _shape: LoadBalancerServiceShape;

  protected constructor(scope: Construct, id: string, props: LoadBalancerServiceBaseProps, className: string) {
    super(scope, id, props, className);
    const check = this._check;
    const shape = this._shape;
    this.externalTrafficPolicy = shape.externalTrafficPolicy;
    this.loadBalancerClass = props.loadBalancerClass;
    this.nodePortRange = shape.nodePortRange;
    this.ipFamilies = shape.ipFamilies;
    this.loadBalancerSourceRanges = shape.loadBalancerSourceRanges;
    this.allocateLoadBalancerNodePorts = shape.allocateLoadBalancerNodePorts;
    this.annotations = { ...shape.annotations };
    validateNodePortRange(check, props.nodePortRange, nodePortsOf(this._resolvedPorts));
    claimLoadBalancerPorts(check, this._resolvedPorts.map((p, i) => ({ prop: `ports[${i}].port`, port: p.port, protocol: p.protocol })), this.loadBalancerClass);
    this.networkPolicy = this._allowFromBehindService(props.allowFrom, props.selector, this.externalTrafficPolicy,
      shape.pattern, shape.possibleFamilies);
  }

  /**
   * The access points of a load balancer: each of `hosts` on each port (`describe` says how),
   * then the node ports where they are allocated.
   * @internal
   */
  protected _loadBalancerAccessPoints(hosts: string[], hostLookupCommand: string | undefined,
    describe: (host: string, port: ResolvedServicePort) => string): AccessPoint[] {
    // With externalTrafficPolicy Local, only the nodes that run a pod take the traffic: say so once here.
    const localPods = this.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL ? this._selectorLabels : undefined;
    const patternNote = this._shape.pattern.localTrafficNote;
    const local = localPods === undefined ? ''
      : `; ${LOCAL_TRAFFIC_NOTE}${patternNote === undefined ? '' : `: ${patternNote}`} (${podHostIpsCommand(this.namespace, localPods)} lists them)`;
    const points: AccessPoint[] = hosts.flatMap((host) => this._resolvedPorts.map((p) => ({
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.LOAD_BALANCER,
      host,
      port: p.port,
      protocol: p.protocol,
      portName: p.name,
      scheme: schemeOf(p.appProtocol),
      backend: `Service ${this.namespace}/${this.serviceName}`,
      serviceName: this.serviceName,
      hostLookupCommand,
      description: `${describe(host, p)}${local}.`,
    })));
    const withNodePorts = this.allocateLoadBalancerNodePorts ? this._resolvedPorts : this._resolvedPorts.filter((p) => p.nodePort !== undefined);
    return [...points, ...nodePortAccessPoints(this.namespace, this.serviceName, withNodePorts, localPods)];
  }

  /**
   * Who provisions the address: the pattern's own annotations and defaults, after it checked its
   * props object and its own props. Called once, before the shared props are resolved and the
   * Service is built: it reads `props` only (the pattern's fields are not assigned yet).
   * @internal
   */
  protected abstract _loadBalancerShape(props: LoadBalancerServiceBaseProps): LoadBalancerShape;

  /** @internal */
  protected _serviceShape(props: LoadBalancerServiceBaseProps): LoadBalancerServiceShape {
    const check = this._check;
    const pattern = this._loadBalancerShape(props);
    const externalTrafficPolicy = checkExternalTrafficPolicy(check, props.externalTrafficPolicy);
    if (props.loadBalancerClass !== undefined) {
      const problem = typeof props.loadBalancerClass === 'string' ? labelKeyProblem(props.loadBalancerClass, 'load balancer class (qualified name)') : 'must be a string';
      if (problem) {
        check.fail('loadBalancerClass', problem, props.loadBalancerClass, pattern.loadBalancerClassFix);
      }
    }
    const ipFamilies = this.resolveFamilies(props.ipFamilies, pattern.defaultIpFamilies);
    pattern.checkFamilies?.(ipFamilies);
    const possibleFamilies = this.possibleFamilies(props.ipFamilies === undefined ? undefined : ipFamilies, pattern.impliedFamilies);
    const loadBalancerSourceRanges = this.resolveSourceRanges(props.loadBalancerSourceRanges, possibleFamilies);
    const allocateLoadBalancerNodePorts = check.boolean('allocateLoadBalancerNodePorts', props.allocateLoadBalancerNodePorts)
      ?? pattern.defaultAllocateNodePorts;
    const annotations = this.resolveAnnotations(props.annotations, pattern.annotations, pattern.ownAnnotationFix);
    return {
      type: 'LoadBalancer',
      ports: props.ports,
      portsRequired: true,
      nodePortRange: profileNodePortRange(this, props.nodePortRange),
      annotations,
      spec: {
        externalTrafficPolicy,
        loadBalancerSourceRanges,
        // Kubernetes defaults to true: only false is written.
        allocateLoadBalancerNodePorts: allocateLoadBalancerNodePorts ? undefined : false,
        loadBalancerClass: props.loadBalancerClass,
        ipFamilies,
        ipFamilyPolicy: ipFamilies && ipFamilies.length === 2 ? 'RequireDualStack' : undefined,
      },
      externalTrafficPolicy,
      ipFamilies,
      loadBalancerSourceRanges,
      allocateLoadBalancerNodePorts,
      possibleFamilies,
      pattern,
    };
  }

  private resolveFamilies(given: IpFamily[] | undefined, defaults: IpFamily[] | undefined): IpFamily[] | undefined {
    const check = this._check;
    if (given === undefined) return defaults;
    const familiesFix = 'Use [IpFamily.IPV4], [IpFamily.IPV6], or both for a dual-stack Service.';
    check.list('ipFamilies', given, { noun: 'IP family', minLength: 1, fix: familiesFix });
    if (given.length > 2) {
      check.fail('ipFamilies', 'must list one or two families', given, familiesFix);
    }
    given.forEach((f, i) => check.enumValue(`ipFamilies[${i}]`, f, IpFamily, 'IpFamily'));
    if (given.length === 2 && given[0] === given[1]) {
      check.duplicate('ipFamilies[1]', 'ipFamilies[0]', given[1], 'List each family once.');
    }
    return [...given];
  }

  /**
   * The families the Service may end up with: its `ipFamilies`; else those the pattern's props
   * imply (pinned addresses, pool); else either (single-stack in the cluster's primary family,
   * unknown at synth time).
   */
  private possibleFamilies(given: IpFamily[] | undefined, implied: PossibleFamilies | undefined): PossibleFamilies {
    if (given) return { families: given.map(familyOf), source: `has ipFamilies ${given.join(', ')}`, explicit: true };
    return implied ?? {
      families: ALL_FAMILIES,
      source: 'is single-stack in the cluster\'s primary family (no ipFamilies, pinned address or pool of this App say which), unknown at synth time',
      explicit: false,
    };
  }

  private resolveSourceRanges(ranges: string[] | undefined, possible: PossibleFamilies): string[] | undefined {
    const check = this._check;
    if (ranges === undefined) return undefined;
    check.list('loadBalancerSourceRanges', ranges, {
      noun: 'CIDR',
      minLength: 1,
      emptyReason: ' (an empty list allows every source)',
      fix: 'Omit loadBalancerSourceRanges to allow every source, or list the client networks, e.g. ["192.168.0.0/16"].',
    });
    const entries = ranges.map((text, i) => ({
      family: checkNetworkCidr(check, `loadBalancerSourceRanges[${i}]`, text, '"192.168.0.0/16" (a single client is "203.0.113.7/32")').family,
      text,
    }));
    checkAllowListCoversFamilies(check, 'loadBalancerSourceRanges', entries, possible, 'load balancer IP', 'ipFamilies');
    return [...ranges];
  }

  private resolveAnnotations(given: { [key: string]: string } | undefined, own: { [key: string]: string },
    ownFix: string): { [key: string]: string } {
    const check = this._check;
    if (given === undefined) return own;
    check.stringMap('annotations', given, 'Pass annotation keys and string values, e.g. { "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz" }.');
    for (const key of Object.keys(given)) {
      const problem = labelKeyProblem(key, 'annotation key');
      if (problem) {
        check.fail(`annotations[${JSON.stringify(key)}]`, problem, key,
          'Use a qualified name, e.g. "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path".');
      }
      if (key in own) {
        check.fail(`annotations[${JSON.stringify(key)}]`, `is written by the pattern itself (as ${JSON.stringify(own[key])})`, given[key], ownFix);
      }
    }
    return { ...own, ...given };
  }
}
