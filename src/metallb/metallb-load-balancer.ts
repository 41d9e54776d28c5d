import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { canonicalIp, isBuggyIp, poolFacts, rangesContain } from './metallb';
import { DEFAULT_METALLB_NAMESPACE, MetalLbAddressPool, MetalLbAnnouncementMode } from './metallb-pool';
import { AppClaims, ClaimKind } from '../core/claims';
import { Checker } from '../core/errors';
import {
  AccessMethod, AccessOrigin, AccessPoint, DEFAULT_NODE_PORT_RANGE, ExternalExposureProps, ExternalTrafficPolicy, NodePortRange, ServicePortSpec,
} from '../core/exposure';
import { ALL_FAMILIES, checkAllowListCoversFamilies, checkIpBlockFamilies, familyName, PossibleFamilies } from '../core/families';
import { dns1123SubdomainProblem, labelKeyProblem } from '../core/names';
import { checkNetworkCidr, Family, parseIp } from '../core/net';
import { checkAllowFrom } from '../core/network-policy';
import { jsonPathCommand, LOCAL_TRAFFIC_NOTE, podHostIpsCommand } from '../guide/commands';
import { nodePortAccessPoints, schemeOf } from '../service/service';
import { ServiceExposure, ServiceExposureProps } from '../service/service-exposure';

/**
 * The prefix of the Service annotations MetalLB reads.
 * @see https://metallb.io/release-notes/#version-0149
 */
export enum MetalLbAnnotationStyle {
  /** `metallb.io/*`, read by MetalLB v0.14.9 and later. */
  CURRENT = 'metallb.io',
  /**
   * `metallb.universe.tf/*`, the only prefix MetalLB before v0.14.9 reads. Later releases still
   * read it but report it as deprecated.
   */
  LEGACY = 'metallb.universe.tf',
}

/** The annotation prefix a `MetalLbLoadBalancer` writes unless told otherwise. */
export const DEFAULT_METALLB_ANNOTATION_STYLE = MetalLbAnnotationStyle.CURRENT;

/**
 * Whether a `MetalLbLoadBalancer` has Kubernetes allocate a node port for each Service port.
 * `false`: MetalLB sends traffic to the load balancer IP itself and needs no node ports.
 */
export const DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS = false;

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
 * Properties of a `MetalLbLoadBalancer`.
 * @see https://metallb.io/usage/
 */
export interface MetalLbLoadBalancerProps extends ServiceExposureProps, ExternalExposureProps {
  /** The ports the load balancer IP answers on (at least one). */
  readonly ports: ServicePortSpec[];
  /**
   * The pool to take the address from, managed by this App. Written as the `address-pool`
   * annotation; `loadBalancerIPs` are checked against its addresses.
   * @default - see `poolName`
   */
  readonly pool?: MetalLbAddressPool;
  /**
   * The name of a pool managed elsewhere (not by this App). Mutually exclusive with `pool`.
   * @default - when neither `pool` nor `poolName` is given, MetalLB picks a pool with
   * `autoAssign: true`
   */
  readonly poolName?: string;
  /**
   * Fixed load balancer addresses, at most one per IP family (two for a dual-stack Service),
   * written as the `loadBalancerIPs` annotation (never the deprecated `spec.loadBalancerIP`).
   * With `pool`, each must be one of the pool's addresses.
   * @default - MetalLB assigns a free address of the pool
   */
  readonly loadBalancerIPs?: string[];
  /**
   * The Service's IP families (`spec.ipFamilies`); two families make a dual-stack Service
   * (`ipFamilyPolicy: RequireDualStack`), which gets one load balancer IP per family.
   * MetalLB only assigns addresses of the Service's families.
   * @default - the families of `loadBalancerIPs` when given (so that the Service can hold the
   * pinned addresses); otherwise not set: the cluster's primary family
   */
  readonly ipFamilies?: IpFamily[];
  /**
   * The sharing key (`allow-shared-ip` annotation): Services with the same key may share a load
   * balancer IP if their ports differ (and, with `externalTrafficPolicy: LOCAL`, they select
   * the same pods).
   * @default - the IP is not shared
   */
  readonly sharedIpKey?: string;
  /**
   * Whether a node forwards external traffic to pods on other nodes.
   *
   * Security: with `CLUSTER` (Kubernetes' default) the client's source IP is replaced by a node
   * IP, so NetworkPolicies and logs cannot see the client. `LOCAL` keeps the client IP; in L2
   * mode MetalLB then announces the IP from a node running a pod, in BGP mode only such nodes
   * attract traffic.
   * @default - not set: Kubernetes applies `Cluster`
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * The client CIDRs allowed to reach the load balancer IP (kube-proxy filters the rest).
   *
   * Security: without it every source that can route to the load balancer IP can connect.
   * Every family of the Service needs at least one range: kube-proxy ignores ranges of another
   * family, and an empty list for a family opens it to everyone.
   * @default - every source
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * Whether Kubernetes also opens a node port on every node for each Service port.
   *
   * Security: MetalLB does not need node ports (traffic arrives at the load balancer IP), and a
   * node port is reachable at every node's address without the `loadBalancerSourceRanges`
   * filter, so the default is `false` (written explicitly: Kubernetes' default is `true`).
   * A port with an explicit `nodePort` still gets it.
   * @default DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS (false)
   */
  readonly allocateLoadBalancerNodePorts?: boolean;
  /**
   * The load balancer class (`spec.loadBalancerClass`), for a MetalLB started with
   * `--lb-class=<class>`: such a MetalLB only serves Services of its class, and a MetalLB
   * without the flag ignores Services that have a class. Immutable once created.
   * @default - not set: served by the cluster's default load balancer implementation
   */
  readonly loadBalancerClass?: string;
  /**
   * The prefix of the MetalLB annotations: `metallb.io/*`, or `metallb.universe.tf/*` for MetalLB
   * before v0.14.9.
   * @default DEFAULT_METALLB_ANNOTATION_STYLE (MetalLbAnnotationStyle.CURRENT)
   */
  readonly annotationStyle?: MetalLbAnnotationStyle;
  /**
   * The cluster's node port range, for explicit `nodePort`s on a cluster started with another
   * `--service-node-port-range`.
   * @default DEFAULT_NODE_PORT_RANGE (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
}

interface IpShareClaim {
  readonly path: string;
  readonly service: string;
  readonly sharedIpKey?: string;
  readonly ports: string[];
  /** MetalLB's backend key: the selector with `Local`, empty with `Cluster`. */
  readonly backendKey: string;
}

/** A load balancer address -> the Services that pin it. */
const LOAD_BALANCER_IP = new ClaimKind<IpShareClaim>('metallb-load-balancer-ip');

interface ResolvedIp {
  readonly family: Family;
  readonly value: bigint;
  /** Canonical text. */
  readonly text: string;
}

const FAMILY_OF: { [family: number]: IpFamily } = { 4: IpFamily.IPV4, 6: IpFamily.IPV6 };

/**
 * A `LoadBalancer` Service that MetalLB gives an external IP, from a `MetalLbAddressPool` of the
 * App, a pool managed elsewhere, or any auto-assign pool.
 *
 * Reach it at the load balancer IP on each port: the pinned address, or the one MetalLB
 * assigned (`kubectl get service` shows it as EXTERNAL-IP). The App refuses a pinned address
 * outside the given pool, and two Services sharing an address that MetalLB would not share.
 *
 * Security: the address is reachable from every network it is announced to (the L2 segment,
 * or the BGP peers' networks) unless `loadBalancerSourceRanges` limits the sources (kube-proxy
 * filters them at the load balancer IP) or `allowFrom` adds a NetworkPolicy at the pods. Node
 * ports are not allocated by default.
 *
 * @see https://metallb.io/usage/
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export class MetalLbLoadBalancer extends ServiceExposure {
  /** The pool the address comes from, when the App manages it. */
  public readonly pool?: MetalLbAddressPool;
  /** The name of the pool the Service asks for, when it names one. */
  public readonly poolName?: string;
  /** The pinned load balancer addresses (canonical form), when given. */
  public readonly loadBalancerIPs?: string[];
  /** The Service's IP families, when set. */
  public readonly ipFamilies?: IpFamily[];
  /** The sharing key, when set. */
  public readonly sharedIpKey?: string;
  /** The external traffic policy, when set. */
  public readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** The client CIDRs allowed to reach the load balancer IP, when restricted. */
  public readonly loadBalancerSourceRanges?: string[];
  /** Whether node ports are allocated for every port. */
  public readonly allocateLoadBalancerNodePorts: boolean;
  /** The load balancer class, when set. */
  public readonly loadBalancerClass?: string;
  /** The prefix of the MetalLB annotations. */
  public readonly annotationStyle: MetalLbAnnotationStyle;
  /** The node port range explicit nodePorts were checked against. */
  public readonly nodePortRange: NodePortRange;
  /** The NetworkPolicy that admits only `allowFrom`, when it is set. */
  public readonly networkPolicy?: kplus.NetworkPolicy;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[];
  public readonly patternName = 'MetalLB LoadBalancer Service';

  constructor(scope: Construct, id: string, props: MetalLbLoadBalancerProps) {
    super(scope, id, props, 'MetalLbLoadBalancer');
    const check: Checker = this._check;
    this.nodePortRange = props.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    this.allocateLoadBalancerNodePorts = props.allocateLoadBalancerNodePorts ?? DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS;
    this.annotationStyle = props.annotationStyle ?? DEFAULT_METALLB_ANNOTATION_STYLE;
    this.externalTrafficPolicy = props.externalTrafficPolicy;

    if (!Object.values(MetalLbAnnotationStyle).includes(this.annotationStyle)) {
      check.fail('annotationStyle', 'must be a MetalLbAnnotationStyle', this.annotationStyle, 'Use MetalLbAnnotationStyle.CURRENT or LEGACY.');
    }
    if (typeof this.allocateLoadBalancerNodePorts !== 'boolean') {
      check.fail('allocateLoadBalancerNodePorts', 'must be a boolean', this.allocateLoadBalancerNodePorts, 'Pass true or false, or omit it.');
    }

    // Pool
    if (props.pool !== undefined && props.poolName !== undefined) {
      check.fail('poolName', 'cannot be combined with pool', props.poolName,
        'Pass pool for a MetalLbAddressPool of this App, or poolName for a pool managed elsewhere, not both.');
    }
    if (props.pool !== undefined && !(props.pool instanceof MetalLbAddressPool)) {
      check.fail('pool', 'must be a MetalLbAddressPool', String(props.pool), 'Pass a MetalLbAddressPool, or poolName for a pool managed elsewhere.');
    }
    if (props.poolName !== undefined) {
      const problem = dns1123SubdomainProblem(props.poolName);
      if (problem) check.fail('poolName', problem, props.poolName, 'Use the metadata.name of the IPAddressPool.');
    }
    this.pool = props.pool;
    this.poolName = props.pool?.poolName ?? props.poolName;

    // Addresses and families
    const ips = this.resolveIps(check, props.loadBalancerIPs);
    this.loadBalancerIPs = ips?.map((ip) => ip.text);
    this.ipFamilies = this.resolveFamilies(check, props.ipFamilies, ips);
    if (props.pool) {
      this.checkAgainstPool(check, props.pool, ips, this.ipFamilies);
    }

    // Sources
    const possibleFamilies = this.possibleFamilies(props.ipFamilies !== undefined, props.pool);
    this.loadBalancerSourceRanges = this.resolveSourceRanges(check, props.loadBalancerSourceRanges, possibleFamilies);

    if (props.sharedIpKey !== undefined && (typeof props.sharedIpKey !== 'string' || props.sharedIpKey.trim().length === 0)) {
      check.fail('sharedIpKey', 'must be a non-empty string', props.sharedIpKey, 'Use the same key, e.g. "dns", on every Service that shares the IP.');
    }
    this.sharedIpKey = props.sharedIpKey;
    if (props.loadBalancerClass !== undefined) {
      const problem = labelKeyProblem(props.loadBalancerClass);
      if (problem) {
        check.fail('loadBalancerClass', problem.replace('label key', 'load balancer class (qualified name)'), props.loadBalancerClass,
          'Use the value MetalLB was started with (--lb-class), e.g. "example.com/metallb".');
      }
    }
    this.loadBalancerClass = props.loadBalancerClass;

    const prefix = this.annotationStyle;
    const annotations: { [key: string]: string } = {};
    if (this.poolName !== undefined) annotations[`${prefix}/address-pool`] = this.poolName;
    if (this.loadBalancerIPs) annotations[`${prefix}/loadBalancerIPs`] = this.loadBalancerIPs.join(',');
    if (this.sharedIpKey !== undefined) annotations[`${prefix}/allow-shared-ip`] = this.sharedIpKey;

    const built = this._buildService(props, {
      type: 'LoadBalancer',
      ports: props.ports,
      portsRequired: true,
      nodePortRange: this.nodePortRange,
      annotations,
      spec: {
        externalTrafficPolicy: props.externalTrafficPolicy,
        loadBalancerSourceRanges: this.loadBalancerSourceRanges,
        // Kubernetes defaults to true: only the safer false is written.
        allocateLoadBalancerNodePorts: this.allocateLoadBalancerNodePorts ? undefined : false,
        loadBalancerClass: this.loadBalancerClass,
        ipFamilies: this.ipFamilies,
        ipFamilyPolicy: this.ipFamilies && this.ipFamilies.length === 2 ? 'RequireDualStack' : undefined,
      },
    });

    if (ips) {
      const backendKey = props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL
        ? Object.keys(built.selector).sort().map((k) => `${k}=${built.selector[k]}`).join(',')
        : '';
      this.claimIps(check, ips, {
        path: this.node.path,
        service: `${this.namespace}/${built.name}`,
        sharedIpKey: this.sharedIpKey,
        ports: built.ports.map((p) => `${p.port}/${p.protocol}`),
        backendKey,
      });
    }

    this.networkPolicy = this._allowFromBehindService(props, 'use loadBalancerSourceRanges (filtered by kube-proxy before the SNAT)');
    checkIpBlockFamilies(check, checkAllowFrom(check, props.allowFrom), possibleFamilies);

    // Access points
    const hostLookupCommand = jsonPathCommand(this.namespace, 'service', built.name, '{.status.loadBalancer.ingress[*].ip}');
    const origin = this.poolName === undefined ? 'assigned by MetalLB from an auto-assign pool'
      : `${ips ? 'pinned, ' : 'assigned '}from pool "${this.poolName}"${this.pool ? '' : ', managed elsewhere'}`;
    const mode = !this.pool ? ''
      : this.pool.advertisement.mode === MetalLbAnnouncementMode.NONE
        ? '; MetalLB only allocates it: announced by another component (e.g. Calico BGP), not by MetalLB'
        : `; announced in ${this.pool.advertisement.mode} mode`;
    const sources = this.loadBalancerSourceRanges ? `; only from ${this.loadBalancerSourceRanges.join(', ')}` : '';
    // With externalTrafficPolicy Local, only nodes running a pod forward (and MetalLB announces the IP from those only).
    const localPods = props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL ? built.selector : undefined;
    const local = localPods === undefined ? ''
      : `; ${LOCAL_TRAFFIC_NOTE}: MetalLB announces the IP from those nodes only (${podHostIpsCommand(this.namespace, localPods)} lists them)`;
    const hosts = ips ? ips.map((ip) => ip.text) : ['<load-balancer-ip>'];
    const lbPoints: AccessPoint[] = hosts.flatMap((host) => built.ports.map((p) => ({
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.LOAD_BALANCER,
      host,
      port: p.port,
      protocol: p.protocol,
      portName: p.name,
      scheme: schemeOf(p.appProtocol),
      backend: `Service ${this.namespace}/${built.name}`,
      hostLookupCommand: ips ? undefined : hostLookupCommand,
      description: `The load balancer IP${ips ? ` ${host}` : ''} (${origin}${mode}), port ${p.port}/${p.protocol}, forwarded to the pods' port ${p.targetPort}${sources}${local}.`,
    })));
    const withNodePorts = this.allocateLoadBalancerNodePorts ? built.ports : built.ports.filter((p) => p.nodePort !== undefined);
    this.accessPoints = [...lbPoints, ...nodePortAccessPoints(this.namespace, built.name, withNodePorts, localPods)];

    this.prerequisites = this.describePrerequisites(Object.keys(annotations).length > 0);
  }

  private resolveIps(check: Checker, loadBalancerIPs: string[] | undefined): ResolvedIp[] | undefined {
    if (loadBalancerIPs === undefined) return undefined;
    if (!Array.isArray(loadBalancerIPs) || loadBalancerIPs.length === 0) {
      check.fail('loadBalancerIPs', 'must list at least one address', loadBalancerIPs, 'Omit loadBalancerIPs to let MetalLB pick a free address.');
    }
    const byFamily = new Map<Family, number>();
    return loadBalancerIPs.map((text, i) => {
      const ip = parseIp(text);
      if (!ip) {
        check.fail(`loadBalancerIPs[${i}]`, 'must be an IPv4 or IPv6 address', text, 'Use a single address such as "192.168.9.10" (no prefix length).');
      }
      const previous = byFamily.get(ip.family);
      if (previous !== undefined) {
        check.fail(`loadBalancerIPs[${i}]`, `is a second IPv${ip.family} address (after loadBalancerIPs[${previous}]); a Service has at most one address per family`,
          text, 'Give one IPv4 and/or one IPv6 address; to serve more addresses, create one Service per address.');
      }
      byFamily.set(ip.family, i);
      return { family: ip.family, value: ip.value, text: canonicalIp(ip.family, ip.value) };
    });
  }

  private resolveFamilies(check: Checker, given: IpFamily[] | undefined, ips: ResolvedIp[] | undefined): IpFamily[] | undefined {
    if (given === undefined) {
      return ips?.map((ip) => FAMILY_OF[ip.family]);
    }
    if (!Array.isArray(given) || given.length === 0 || given.length > 2) {
      check.fail('ipFamilies', 'must list one or two families', given, 'Use [IpFamily.IPV4], [IpFamily.IPV6], or both for a dual-stack Service.');
    }
    given.forEach((f, i) => {
      if (!Object.values(IpFamily).includes(f)) {
        check.fail(`ipFamilies[${i}]`, 'must be an IpFamily', f, 'Use IpFamily.IPV4 or IpFamily.IPV6.');
      }
    });
    if (given.length === 2 && given[0] === given[1]) {
      check.fail('ipFamilies[1]', 'repeats ipFamilies[0]', given[1], 'List each family once.');
    }
    if (ips) {
      ips.forEach((ip, i) => {
        if (!given.includes(FAMILY_OF[ip.family])) {
          check.fail(`loadBalancerIPs[${i}]`, `is an ${FAMILY_OF[ip.family]} address but the Service's ipFamilies are ${given.join(', ')}`, ip.text,
            'Give addresses of the Service\'s families only (MetalLB refuses the others), or change ipFamilies.');
        }
      });
      const missing = given.find((f) => !ips.some((ip) => FAMILY_OF[ip.family] === f));
      if (missing) {
        check.fail('loadBalancerIPs', `has no ${missing} address, but the Service has family ${missing}; MetalLB needs one pinned address per family`,
          ips.map((ip) => ip.text), `Add an ${missing} address, or remove ${missing} from ipFamilies.`);
      }
    }
    return [...given];
  }

  private checkAgainstPool(check: Checker, pool: MetalLbAddressPool, ips: ResolvedIp[] | undefined, families: IpFamily[] | undefined): void {
    const facts = poolFacts(this, pool);
    if (!facts) return;
    ips?.forEach((ip, i) => {
      if (!rangesContain(facts.ranges, ip.family, ip.value)) {
        check.fail(`loadBalancerIPs[${i}]`, `is not in the pool "${pool.poolName}" (${pool.addresses.join(', ')}), so the Service would stay <pending>`,
          ip.text, 'Pin an address of the pool, or add the address to the pool.');
      }
      if (facts.avoidBuggyIPs && isBuggyIp(ip.family, ip.value)) {
        check.fail(`loadBalancerIPs[${i}]`, `ends in .0 or .255, which the pool "${pool.poolName}" skips (avoidBuggyIPs), so the Service would stay <pending>`,
          ip.text, 'Pin another address, or create the pool with avoidBuggyIPs: false.');
      }
    });
    for (const family of families ?? []) {
      const bits: Family = family === IpFamily.IPV4 ? 4 : 6;
      if (!facts.ranges.some((r) => r.family === bits)) {
        check.fail('ipFamilies', `includes ${family} but the pool "${pool.poolName}" has no ${family} addresses, so the Service would stay <pending>`,
          families, `Add ${family} addresses to the pool, or remove ${family}.`);
      }
    }
  }

  /**
   * The families the Service may end up with: its `ipFamilies` (given, or those of its pinned
   * addresses); else those of its pool's addresses (a single-stack Service gets an address of the
   * cluster's primary family, which must be one the pool has); else either.
   */
  private possibleFamilies(familiesGiven: boolean, pool: MetalLbAddressPool | undefined): PossibleFamilies {
    if (this.ipFamilies) {
      const families = this.ipFamilies.map((f) => (f === IpFamily.IPV4 ? 4 : 6) as Family);
      return {
        families,
        source: familiesGiven ? `has ipFamilies ${this.ipFamilies.join(', ')}` : `has the families of its loadBalancerIPs (${this.ipFamilies.join(', ')})`,
        explicit: true,
      };
    }
    const facts = pool ? poolFacts(this, pool) : undefined;
    if (pool && facts) {
      const families = ALL_FAMILIES.filter((f) => facts.ranges.some((r) => r.family === f));
      return {
        families,
        source: families.length === 1
          ? `takes its address from pool "${pool.poolName}" (${familyName(families[0])} only)`
          : `takes its address from pool "${pool.poolName}" (IPv4 and IPv6) in the cluster's primary family, unknown at synth time`,
        explicit: false,
      };
    }
    return {
      families: ALL_FAMILIES,
      source: 'is single-stack in the cluster\'s primary family (no ipFamilies, loadBalancerIPs or pool of this App say which), unknown at synth time',
      explicit: false,
    };
  }

  private resolveSourceRanges(check: Checker, ranges: string[] | undefined, possible: PossibleFamilies): string[] | undefined {
    if (ranges === undefined) return undefined;
    if (!Array.isArray(ranges) || ranges.length === 0) {
      check.fail('loadBalancerSourceRanges', 'must list at least one CIDR (an empty list allows every source)', ranges,
        'Omit loadBalancerSourceRanges to allow every source, or list the client networks, e.g. ["192.168.0.0/16"].');
    }
    const entries = ranges.map((text, i) => ({
      family: checkNetworkCidr(check, `loadBalancerSourceRanges[${i}]`, text, '"192.168.0.0/16" (a single client is "203.0.113.7/32")').family,
      text,
    }));
    checkAllowListCoversFamilies(check, 'loadBalancerSourceRanges', entries, possible, 'load balancer IP', 'ipFamilies');
    return [...ranges];
  }

  private claimIps(check: Checker, ips: ResolvedIp[], claim: IpShareClaim): void {
    const claims = AppClaims.of(this);
    ips.forEach((ip, i) => {
      const prop = `loadBalancerIPs[${i}]`;
      for (const other of claims.add(LOAD_BALANCER_IP, ip.text, claim)) {
        const who = `[${other.path}] (Service "${other.service}")`;
        if (other.sharedIpKey === undefined || claim.sharedIpKey === undefined || other.sharedIpKey !== claim.sharedIpKey) {
          check.fail(prop, `is already used by ${who}; MetalLB only shares an address between Services with the same sharedIpKey`, ip.text,
            'Give both Services the same sharedIpKey, or pin another address.');
        }
        const clash = claim.ports.find((p) => other.ports.includes(p));
        if (clash) {
          check.fail(prop, `is shared with ${who}, which also uses port ${clash}; MetalLB refuses two Services on one address and port`, ip.text,
            'Use distinct ports on Services that share an address, or pin another address.');
        }
        if (other.backendKey !== claim.backendKey) {
          check.fail(prop, `is shared with ${who}, but MetalLB only shares an address between Services with externalTrafficPolicy Local when both are Local and select the same pods`,
            ip.text, 'Use the same selector and externalTrafficPolicy on both Services (or Cluster on both), or pin another address.');
        }
      }
    });
  }

  private describePrerequisites(annotated: boolean): string[] {
    const namespace = this.pool?.metallbNamespace ?? DEFAULT_METALLB_NAMESPACE;
    const allocationOnly = this.pool?.advertisement.mode === MetalLbAnnouncementMode.NONE;
    const result = [allocationOnly
      ? `MetalLB installed in namespace "${namespace}" (its controller allocates the address; no MetalLB speaker announces this pool): https://metallb.io/installation/`
      : `MetalLB installed (controller and speakers) in namespace "${namespace}": https://metallb.io/installation/`];
    if (allocationOnly) {
      result.push(`Another component announcing the addresses of the allocation-only pool "${this.poolName}" (${this.pool!.addresses.join(', ')}), `
        + 'e.g. Calico BGP with serviceLoadBalancerIPs covering them (PodIpReachability advertiseServiceLoadBalancerIPs); '
        + 'without one the load balancer IP is allocated but unreachable');
    }
    if (annotated) {
      result.push(this.annotationStyle === MetalLbAnnotationStyle.CURRENT
        ? 'MetalLB v0.14.9 or later (reads the metallb.io/* Service annotations; use annotationStyle LEGACY for older releases)'
        : 'A MetalLB release that reads the legacy metallb.universe.tf/* Service annotations (all releases with CRD configuration; v0.14.9 and later report them as deprecated)');
    }
    if (this.pool === undefined && this.poolName !== undefined) {
      result.push(`An IPAddressPool named "${this.poolName}" in MetalLB's namespace, announced by an L2Advertisement or BGPAdvertisement (managed outside this App)`);
    }
    if (this.poolName === undefined) {
      result.push('An IPAddressPool with autoAssign: true and an L2Advertisement or BGPAdvertisement announcing it (MetalLB picks the pool)');
    }
    if (this.loadBalancerClass !== undefined) {
      result.push(`MetalLB started with --lb-class=${this.loadBalancerClass}`);
    }
    if (this.ipFamilies && this.ipFamilies.length === 2) {
      result.push('A dual-stack cluster (IPv4 and IPv6 Service CIDRs)');
    } else if (this.ipFamilies && this.ipFamilies[0] === IpFamily.IPV6) {
      result.push('IPv6 Services enabled on the cluster (an IPv6 Service CIDR)');
    }
    return result;
  }
}
