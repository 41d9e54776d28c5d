import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ipFamilyOf, LoadBalancerShape } from './load-balancer-shape';
import { BuiltService, ResolvedServicePort, sourceIpLostUnlessLocal } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import { ExternalExposureProps, ExternalTrafficPolicy, NodePortRange, ServicePortSpec } from '../core/exposure';
import { labelKeyProblem } from '../core/names';
import { checkNetworkCidr } from '../core/net';
import { allowFromPolicy } from '../core/network-policy';
import { claimLoadBalancerPorts, profileNodePortRange, validateNodePortRange } from '../profile/profile-rules';

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

/** The shared props after defaults and checks. */
interface ResolvedLoadBalancer {
  readonly ipFamilies?: IpFamily[];
  readonly loadBalancerSourceRanges?: string[];
  readonly allocateLoadBalancerNodePorts: boolean;
  readonly annotations: { [key: string]: string };
  readonly networkPolicy?: kplus.NetworkPolicy;
  readonly built: BuiltService;
}

/**
 * Base class of the `LoadBalancer` Service patterns (`LoadBalancerService`,
 * `MetalLbLoadBalancer`): one set of rules for what every load balancer shares — source ranges
 * and the family rule, node-port allocation, the traffic policy, the load balancer class,
 * `allowFrom`, dual stack, further annotations — and the cluster profile's checks (ServiceLB
 * host ports, the node port range). Each pattern adds who provisions the address.
 *
 * Security: the address is reachable from wherever the implementation makes it reachable,
 * unless `loadBalancerSourceRanges` limits the sources or `allowFrom` adds a NetworkPolicy at the
 * pods.
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

  private _lb?: ResolvedLoadBalancer;

  protected constructor(scope: Construct, id: string, props: LoadBalancerServiceBaseProps, className: string) {
    super(scope, id, props, className);
    this.nodePortRange = profileNodePortRange(this, props.nodePortRange);
    // Checked with the Service spec (`buildService`), as on every Service pattern.
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    // Checked by `_buildLoadBalancer`, whose fix names the pattern's implementation.
    this.loadBalancerClass = props.loadBalancerClass;
  }

  /** The Service's IP families, when set. */
  public get ipFamilies(): IpFamily[] | undefined {
    return this._built.ipFamilies;
  }

  /** The client CIDRs allowed to reach the load balancer, when restricted. */
  public get loadBalancerSourceRanges(): string[] | undefined {
    return this._built.loadBalancerSourceRanges;
  }

  /** Whether node ports are allocated for every port. */
  public get allocateLoadBalancerNodePorts(): boolean {
    return this._built.allocateLoadBalancerNodePorts;
  }

  /** Every annotation of the Service: the pattern's and the `annotations` prop's. */
  public get annotations(): { [key: string]: string } {
    return { ...this._built.annotations };
  }

  /** The NetworkPolicy that admits only `allowFrom`, when it is set. */
  public get networkPolicy(): kplus.NetworkPolicy | undefined {
    return this._built.networkPolicy;
  }

  /** The resolved Service ports. @internal */
  protected get _ports(): ResolvedServicePort[] {
    return this._built.built.ports;
  }

  private get _built(): ResolvedLoadBalancer {
    if (!this._lb) {
      throw new Error(`[${this.node.path}] ${this._check.className}: the Service was not built (a subclass must call _buildLoadBalancer)`);
    }
    return this._lb;
  }

  /**
   * Resolves and checks the shared props, creates the `LoadBalancer` Service (through
   * `_buildService`) and the `allowFrom` NetworkPolicy, and registers the profile's checks.
   * Every subclass calls it once, from its constructor, after checking its own props.
   * @internal
   */
  protected _buildLoadBalancer(props: LoadBalancerServiceBaseProps, shape: LoadBalancerShape): BuiltService {
    const check = this._check;
    if (props.loadBalancerClass !== undefined) {
      const problem = typeof props.loadBalancerClass === 'string' ? labelKeyProblem(props.loadBalancerClass) : 'must be a string';
      if (problem) {
        check.fail('loadBalancerClass', problem.replace('label key', 'load balancer class (qualified name)'), props.loadBalancerClass, shape.loadBalancerClassFix);
      }
    }
    const ipFamilies = this.resolveFamilies(props.ipFamilies, shape.defaultIpFamilies);
    shape.checkFamilies?.(ipFamilies);
    const loadBalancerSourceRanges = this.resolveSourceRanges(props.loadBalancerSourceRanges, ipFamilies);
    const allocateLoadBalancerNodePorts = check.boolean('allocateLoadBalancerNodePorts', props.allocateLoadBalancerNodePorts)
      ?? shape.defaultAllocateNodePorts;
    const annotations = this.resolveAnnotations(props.annotations, shape.annotations, shape.ownAnnotationFix);

    const built = this._buildService(props, {
      type: 'LoadBalancer',
      ports: props.ports,
      portsRequired: true,
      nodePortRange: this.nodePortRange,
      annotations,
      spec: {
        externalTrafficPolicy: this.externalTrafficPolicy,
        loadBalancerSourceRanges,
        // Kubernetes defaults to true: only false is written.
        allocateLoadBalancerNodePorts: allocateLoadBalancerNodePorts ? undefined : false,
        loadBalancerClass: this.loadBalancerClass,
        ipFamilies,
        ipFamilyPolicy: ipFamilies && ipFamilies.length === 2 ? 'RequireDualStack' : undefined,
      },
    });
    validateNodePortRange(check, props.nodePortRange,
      built.ports.flatMap((p, i) => (p.nodePort === undefined ? [] : [{ prop: `ports[${i}].nodePort`, nodePort: p.nodePort }])));
    claimLoadBalancerPorts(check, built.ports.map((p, i) => ({ prop: `ports[${i}].port`, port: p.port, protocol: p.protocol })), this.loadBalancerClass);

    const networkPolicy = props.allowFrom === undefined ? undefined : allowFromPolicy({
      scope: this,
      check,
      allowFrom: props.allowFrom,
      pods: props.selector,
      metadataNamespace: this._metadataNamespace,
      ports: built.ports.map((p) => ({ port: p.targetPort, protocol: p.protocol })),
      sourceIpLost: shape.sourceIpLost ?? sourceIpLostUnlessLocal(this.externalTrafficPolicy, shape.otherAllowFromFix),
    });
    this._lb = { ipFamilies, loadBalancerSourceRanges, allocateLoadBalancerNodePorts, annotations, networkPolicy, built };
    return built;
  }

  private resolveFamilies(given: IpFamily[] | undefined, defaults: IpFamily[] | undefined): IpFamily[] | undefined {
    const check = this._check;
    if (given === undefined) return defaults;
    if (!Array.isArray(given) || given.length === 0 || given.length > 2) {
      check.fail('ipFamilies', 'must list one or two families', given, 'Use [IpFamily.IPV4], [IpFamily.IPV6], or both for a dual-stack Service.');
    }
    given.forEach((f, i) => check.enumValue(`ipFamilies[${i}]`, f, IpFamily, 'IpFamily'));
    given.forEach((f, i) => {
      if (f === undefined) check.fail(`ipFamilies[${i}]`, 'must be an IpFamily', f, 'Use IpFamily.IPV4 or IpFamily.IPV6.');
    });
    if (given.length === 2 && given[0] === given[1]) {
      check.fail('ipFamilies[1]', 'repeats ipFamilies[0]', given[1], 'List each family once.');
    }
    return [...given];
  }

  private resolveSourceRanges(ranges: string[] | undefined, ipFamilies: IpFamily[] | undefined): string[] | undefined {
    const check = this._check;
    if (ranges === undefined) return undefined;
    if (!Array.isArray(ranges) || ranges.length === 0) {
      check.fail('loadBalancerSourceRanges', 'must list at least one CIDR (an empty list allows every source)', ranges,
        'Omit loadBalancerSourceRanges to allow every source, or list the client networks, e.g. ["192.168.0.0/16"].');
    }
    const families = new Set<IpFamily>();
    ranges.forEach((text, i) => {
      const cidr = checkNetworkCidr(check, `loadBalancerSourceRanges[${i}]`, text, '"192.168.0.0/16" (a single client is "203.0.113.7/32")');
      const family = ipFamilyOf(cidr.family);
      if (ipFamilies && !ipFamilies.includes(family)) {
        check.fail(`loadBalancerSourceRanges[${i}]`, `is an ${family} range but the Service's families are ${ipFamilies.join(', ')}, so kube-proxy ignores it`,
          text, 'List ranges of the Service\'s families only.');
      }
      families.add(family);
    });
    const open = ipFamilies?.find((f) => !families.has(f));
    if (open) {
      check.fail('loadBalancerSourceRanges', `has no ${open} range, so kube-proxy would let every ${open} source reach the ${open} load balancer IP`, ranges,
        `Add the allowed ${open} client networks.`);
    }
    return [...ranges];
  }

  private resolveAnnotations(given: { [key: string]: string } | undefined, own: { [key: string]: string },
    ownFix: string): { [key: string]: string } {
    const check = this._check;
    if (given === undefined) return own;
    check.stringMap('annotations', given, 'Pass annotation keys and string values, e.g. { "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz" }.');
    for (const key of Object.keys(given)) {
      const problem = labelKeyProblem(key);
      if (problem) {
        check.fail(`annotations[${JSON.stringify(key)}]`, problem.replace('label key', 'annotation key'), key,
          'Use a qualified name, e.g. "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path".');
      }
      if (key in own) {
        check.fail(`annotations[${JSON.stringify(key)}]`, `is written by the pattern itself (as ${JSON.stringify(own[key])})`, given[key], ownFix);
      }
    }
    return { ...own, ...given };
  }
}
