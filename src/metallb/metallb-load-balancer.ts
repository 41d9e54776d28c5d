import { Construct } from 'constructs';
import { canonicalIp, isBuggyIp, PoolFacts, poolFacts, rangesContain } from './metallb';
import { DEFAULT_METALLB_NAMESPACE, MetalLbAddressPool, MetalLbAnnouncementMode } from './metallb-pool';
import { AppClaims, ClaimKind } from '../core/claims';
import { Checker, structKeys } from '../core/errors';
import { AccessPoint } from '../core/exposure';
import { ALL_FAMILIES, familyName, PossibleFamilies } from '../core/families';
import { dns1123SubdomainProblem } from '../core/names';
import { Family, parseIp } from '../core/net';
import { jsonPathCommand } from '../guide/commands';
import { validateMetalLbService } from '../profile/profile-rules';
import { IpFamily, LoadBalancerServiceBase, LoadBalancerServiceBaseProps } from '../service/load-balancer-base';
import { ipFamilyOf, LoadBalancerShape } from '../service/load-balancer-shape';
import { ExternalTrafficPolicy } from '../service/service-vocabulary';

export { IpFamily } from '../service/load-balancer-base';

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
 * Properties of a `MetalLbLoadBalancer`.
 * @see https://metallb.io/usage/
 */
export interface MetalLbLoadBalancerProps extends LoadBalancerServiceBaseProps {
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
   * The sharing key (`allow-shared-ip` annotation): Services with the same key may share a load
   * balancer IP if their ports differ (and, with `externalTrafficPolicy: LOCAL`, they select
   * the same pods).
   * @default - the IP is not shared
   */
  readonly sharedIpKey?: string;
  /**
   * The prefix of the MetalLB annotations: `metallb.io/*`, or `metallb.universe.tf/*` for MetalLB
   * before v0.14.9.
   * @default DEFAULT_METALLB_ANNOTATION_STYLE (MetalLbAnnotationStyle.CURRENT)
   */
  readonly annotationStyle?: MetalLbAnnotationStyle;
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

/** What a `MetalLbLoadBalancer` resolves before its Service is built. */
interface MetalLbShape extends LoadBalancerShape {
  readonly ips?: ResolvedIp[];
  readonly poolName?: string;
  readonly annotationStyle: MetalLbAnnotationStyle;
}

const METALLB_LOAD_BALANCER_PROPS = structKeys<MetalLbLoadBalancerProps>('MetalLbLoadBalancerProps', {
  namespace: true,
  selector: true,
  name: true,
  allowFrom: true,
  ports: true,
  pool: true,
  poolName: true,
  loadBalancerIPs: true,
  ipFamilies: true,
  sharedIpKey: true,
  externalTrafficPolicy: true,
  loadBalancerSourceRanges: true,
  allocateLoadBalancerNodePorts: true,
  loadBalancerClass: true,
  annotationStyle: true,
  nodePortRange: true,
  annotations: true,
});

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
export class MetalLbLoadBalancer extends LoadBalancerServiceBase {
  /** The pool the address comes from, when the App manages it. */
  public readonly pool?: MetalLbAddressPool;
  /** The name of the pool the Service asks for, when it names one. */
  public readonly poolName?: string;
  /** The pinned load balancer addresses (canonical form), when given. */
  public readonly loadBalancerIPs?: string[];
  /** The sharing key, when set. */
  public readonly sharedIpKey?: string;
  /** The prefix of the MetalLB annotations. */
  public readonly annotationStyle: MetalLbAnnotationStyle;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[];
  public readonly patternName = 'MetalLB LoadBalancer Service';

  constructor(scope: Construct, id: string, props: MetalLbLoadBalancerProps) {
    super(scope, id, props, 'MetalLbLoadBalancer');
    const check: Checker = this._check;
    const shape = this._shape.pattern as MetalLbShape;
    const built = { name: this.serviceName, ports: this._resolvedPorts, selector: this._selectorLabels };
    const ips = shape.ips;
    this.annotationStyle = shape.annotationStyle;
    this.pool = props.pool;
    this.poolName = shape.poolName;
    this.loadBalancerIPs = ips?.map((ip) => ip.text);
    this.sharedIpKey = props.sharedIpKey;
    validateMetalLbService(check, this.loadBalancerClass);

    if (ips) {
      const backendKey = props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL
        ? Object.keys(built.selector).sort().map((k) => `${k}=${built.selector[k]}`).join(',')
        : '';
      claimIps(check, this, ips, {
        path: this.node.path,
        service: `${this.namespace}/${built.name}`,
        sharedIpKey: this.sharedIpKey,
        ports: built.ports.map((p) => `${p.port}/${p.protocol}`),
        backendKey,
      });
    }

    // Access points
    const hostLookupCommand = jsonPathCommand(this.namespace, 'service', built.name, '{.status.loadBalancer.ingress[*].ip}');
    const origin = this.poolName === undefined ? 'assigned by MetalLB from an auto-assign pool'
      : `${ips ? 'pinned, ' : 'assigned '}from pool "${this.poolName}"${this.pool ? '' : ', managed elsewhere'}`;
    const mode = !this.pool ? ''
      : this.pool.advertisement.mode === MetalLbAnnouncementMode.NONE
        ? '; MetalLB only allocates it: announced by another component (e.g. Calico BGP), not by MetalLB'
        : `; announced in ${this.pool.advertisement.mode} mode`;
    const sources = this.loadBalancerSourceRanges ? `; only from ${this.loadBalancerSourceRanges.join(', ')}` : '';
    const hosts = ips ? ips.map((ip) => ip.text) : ['<load-balancer-ip>'];
    this.accessPoints = this._loadBalancerAccessPoints(hosts, ips ? undefined : hostLookupCommand,
      (host, p) => `The load balancer IP${ips ? ` ${host}` : ''} (${origin}${mode}), port ${p.port}/${p.protocol}, forwarded to the pods' port ${p.targetPort}${sources}`);

    this.prerequisites = this.describePrerequisites(Object.keys(shape.annotations).length > 0);
  }

  /** @internal */
  protected _loadBalancerShape(props: MetalLbLoadBalancerProps): MetalLbShape {
    const check: Checker = this._check;
    check.props(props, METALLB_LOAD_BALANCER_PROPS);
    const annotationStyle = check.enumValue('annotationStyle', props.annotationStyle, MetalLbAnnotationStyle, 'MetalLbAnnotationStyle')
      ?? DEFAULT_METALLB_ANNOTATION_STYLE;

    // Pool
    if (props.pool !== undefined && props.poolName !== undefined) {
      check.fail('poolName', 'cannot be combined with pool', props.poolName,
        'Pass pool for a MetalLbAddressPool of this App, or poolName for a pool managed elsewhere, not both.');
    }
    if (props.pool !== undefined) {
      check.instance('pool', props.pool, MetalLbAddressPool, 'MetalLbAddressPool', 'Pass a MetalLbAddressPool, or poolName for a pool managed elsewhere.');
    }
    if (props.poolName !== undefined) {
      const problem = dns1123SubdomainProblem(props.poolName);
      if (problem) check.fail('poolName', problem, props.poolName, 'Use the metadata.name of the IPAddressPool.');
    }
    const poolName = props.pool?.poolName ?? props.poolName;

    // Addresses (their families are the Service's unless ipFamilies says otherwise)
    const ips = resolveIps(check, props.loadBalancerIPs);
    check.string('sharedIpKey', props.sharedIpKey, 'Use the same key, e.g. "dns", on every Service that shares the IP.', true);

    const annotations: { [key: string]: string } = {};
    if (poolName !== undefined) annotations[`${annotationStyle}/address-pool`] = poolName;
    if (ips) annotations[`${annotationStyle}/loadBalancerIPs`] = ips.map((ip) => ip.text).join(',');
    if (props.sharedIpKey !== undefined) annotations[`${annotationStyle}/allow-shared-ip`] = props.sharedIpKey;

    return {
      annotations,
      defaultIpFamilies: ips?.map((ip) => ipFamilyOf(ip.family)),
      defaultAllocateNodePorts: DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS,
      impliedFamilies: impliedFamilies(ips, props.pool && poolFacts(this, props.pool), props.pool),
      localTrafficNote: 'MetalLB announces the IP from those nodes only',
      checkFamilies: (families) => {
        if (props.ipFamilies !== undefined && families) checkIpsAgainstFamilies(check, ips, families);
        if (props.pool) checkAgainstPool(check, poolFacts(this, props.pool), props.pool, ips, families);
      },
      otherAllowFromFix: 'use loadBalancerSourceRanges (filtered by kube-proxy before the SNAT)',
      loadBalancerClassFix: 'Use the value MetalLB was started with (--lb-class), e.g. "example.com/metallb".',
      ownAnnotationFix: 'Use the MetalLbLoadBalancer prop that writes it (pool, poolName, loadBalancerIPs, sharedIpKey).',
      ips,
      poolName,
      annotationStyle,
    };
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

function resolveIps(check: Checker, loadBalancerIPs: string[] | undefined): ResolvedIp[] | undefined {
  if (loadBalancerIPs === undefined) return undefined;
  check.list('loadBalancerIPs', loadBalancerIPs, { noun: 'address', minLength: 1, fix: 'Omit loadBalancerIPs to let MetalLB pick a free address.' });
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

/**
 * The families a MetalLB Service ends up with when `ipFamilies` is not given: those of its pinned
 * addresses; else those of its pool's addresses (a single-stack Service gets an address of the
 * cluster's primary family, which must be one the pool has); else undefined (the cluster's).
 */
function impliedFamilies(ips: ResolvedIp[] | undefined, facts: PoolFacts | undefined,
  pool: MetalLbAddressPool | undefined): PossibleFamilies | undefined {
  if (ips) {
    const families = ALL_FAMILIES.filter((f) => ips.some((ip) => ip.family === f));
    return { families, source: `has the families of its loadBalancerIPs (${families.map(familyName).join(', ')})`, explicit: true };
  }
  if (!pool || !facts) return undefined;
  const families = ALL_FAMILIES.filter((f) => facts.ranges.some((r) => r.family === f));
  return {
    families,
    source: families.length === 1
      ? `takes its address from pool "${pool.poolName}" (${familyName(families[0])} only)`
      : `takes its address from pool "${pool.poolName}" (IPv4 and IPv6) in the cluster's primary family, unknown at synth time`,
    explicit: false,
  };
}

/** With explicit `ipFamilies`: one pinned address per family, and none of another family. */
function checkIpsAgainstFamilies(check: Checker, ips: ResolvedIp[] | undefined, given: IpFamily[]): void {
  if (!ips) return;
  ips.forEach((ip, i) => {
    if (!given.includes(ipFamilyOf(ip.family))) {
      check.fail(`loadBalancerIPs[${i}]`, `is an ${ipFamilyOf(ip.family)} address but the Service's ipFamilies are ${given.join(', ')}`, ip.text,
        'Give addresses of the Service\'s families only (MetalLB refuses the others), or change ipFamilies.');
    }
  });
  const missing = given.find((f) => !ips.some((ip) => ipFamilyOf(ip.family) === f));
  if (missing) {
    check.fail('loadBalancerIPs', `has no ${missing} address, but the Service has family ${missing}; MetalLB needs one pinned address per family`,
      ips.map((ip) => ip.text), `Add an ${missing} address, or remove ${missing} from ipFamilies.`);
  }
}

function checkAgainstPool(check: Checker, facts: PoolFacts | undefined, pool: MetalLbAddressPool, ips: ResolvedIp[] | undefined,
  families: IpFamily[] | undefined): void {
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

function claimIps(check: Checker, scope: Construct, ips: ResolvedIp[], claim: IpShareClaim): void {
  const claims = AppClaims.of(scope);
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
