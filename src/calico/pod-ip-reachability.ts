import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BLOCK_SIZE_LIMITS, calicoSelector, checkNotLinkLocal } from './calico';
import { MAX_ASN, MIN_ASN } from '../core/bgp';
import { claimObjectName, DERIVED_NAME_FIX, nodeSelectorsDisjoint } from '../core/claims';
import { CRD_INTEGER_FIELDS, CrdIntegerField, checkCrdInteger } from '../core/crd-limits';
import { Checker, structKeys } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { checkAnnouncedFamilies } from '../core/families';
import { BgpSpeaker, claimBgpSession, claimLoadBalancerAnnouncer } from '../core/interference';
import { dns1123SubdomainProblem } from '../core/names';
import { checkNetworkCidr, Family, ParsedCidr, formatIp, networkOf, parseCidr, parseIp } from '../core/net';
import { definedOnly } from '../core/objects';
import type * as calico from '../imports/projectcalico.org';

/**
 * The Calico classes, loaded on first use: the generated CRD modules are big, and
 * `require('cdk8s-expose')` should not pay for them. Only their types are imported statically.
 */
function calicoCrds(): typeof calico {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../imports/projectcalico.org');
}

/** Whether the nodes also peer with each other in a full mesh, when not said otherwise. */
export const DEFAULT_NODE_TO_NODE_MESH = true;

/** Calico's allocation block size for IPv4 pools (a /26 per block, 64 addresses). */
export const DEFAULT_IPV4_BLOCK_SIZE = 26;

/** Calico's allocation block size for IPv6 pools (a /122 per block, 64 addresses). */
export const DEFAULT_IPV6_BLOCK_SIZE = 122;

/** The name Calico reads its cluster-wide BGP settings from. */
const BGP_CONFIGURATION_NAME = 'default';

/**
 * A BGP router the cluster's nodes peer with (a top-of-rack switch, a core router).
 * @see https://docs.tigera.io/calico/latest/reference/resources/bgppeer
 */
export interface CalicoBgpPeer {
  /** The router's IPv4 or IPv6 address (no port). */
  readonly peerIP: string;
  /**
   * The router's AS number (1-2147483647); the cluster's own number makes it an iBGP peer.
   *
   * Calico's documentation and Go type take 4-byte AS numbers up to 4294967295, but the vendored
   * projectcalico.org/v3 CRD declares `asNumber` with `format: int32`: larger numbers (the
   * private 4-byte range 4200000000-4294967294 included) are refused.
   */
  readonly asNumber: number;
  /**
   * Node labels a node must carry to peer with this router, e.g. `{ rack: 'a' }` for the
   * top-of-rack switch of rack a. Rendered as the Calico selector `rack == 'a'` (terms joined with `&&`).
   * @default - every node peers with this router
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * The BGPPeer's `metadata.name` (a DNS-1123 subdomain).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

/**
 * Properties of a `PodIpReachability`.
 *
 * There is no `namespace`: every object is cluster-scoped.
 */
export interface PodIpReachabilityProps {
  /**
   * The pod network, created as a Calico IPPool (e.g. `10.244.0.0/16`): a network address
   * (host bits clear), not overlapping the link-local ranges, at least one block large.
   */
  readonly podCidr: string;
  /**
   * The cluster's AS number (1-2147483647), the default for every node.
   *
   * Calico's documentation and Go type take 4-byte AS numbers up to 4294967295, but the vendored
   * projectcalico.org/v3 CRD declares `asNumber` with `format: int32`: larger numbers (the
   * private 4-byte range 4200000000-4294967294 included) are refused.
   */
  readonly asNumber: number;
  /** The routers the nodes peer with (at least one, at least one of the pod CIDR's family). */
  readonly peers: CalicoBgpPeer[];
  /**
   * Whether every node also peers with every other node. A full mesh has n*(n-1)/2 sessions:
   * past about 100 nodes turn it off and peer with route reflectors or top-of-rack routers
   * (`peers` with a `nodeSelector` per rack) instead.
   * @default DEFAULT_NODE_TO_NODE_MESH (true, Calico's own default; not written to the manifest)
   */
  readonly nodeToNodeMesh?: boolean;
  /**
   * Service cluster-IP ranges to announce to the peers (CIDRs of either family, e.g. the
   * cluster's `--service-cluster-ip-range`).
   *
   * Security: every Service with a cluster IP in these ranges, including Services meant to stay
   * internal, becomes reachable from the networks that learn the routes.
   * @default - cluster IPs are not announced
   */
  readonly advertiseServiceClusterIPs?: string[];
  /**
   * Ranges of Services' `spec.externalIPs` to announce (CIDRs of either family).
   * @default - external IPs are not announced
   */
  readonly advertiseServiceExternalIPs?: string[];
  /**
   * Ranges of LoadBalancer IPs to announce (CIDRs of either family), e.g. a MetalLB address pool
   * without advertisements, whose addresses Calico announces instead of MetalLB (MetalLB's BGP
   * sessions would be rejected as duplicates of Calico's). Calico announces each CIDR as a whole.
   * @default - LoadBalancer IPs are not announced
   * @see https://metallb.universe.tf/configuration/calico/
   */
  readonly advertiseServiceLoadBalancerIPs?: string[];
  /**
   * The prefix length of the per-node allocation blocks (20-32 for IPv4, 116-128 for IPv6);
   * each node announces its blocks. It cannot be changed once the pool exists.
   * @default - Calico's: DEFAULT_IPV4_BLOCK_SIZE (26) or DEFAULT_IPV6_BLOCK_SIZE (122); not written to the manifest
   */
  readonly blockSize?: number;
  /**
   * The IPPool's `metadata.name` (a DNS-1123 subdomain).
   * @default - derived from the construct path by cdk8s
   */
  readonly poolName?: string;
}

const POD_IP_REACHABILITY_PROPS = structKeys<PodIpReachabilityProps>('PodIpReachabilityProps', {
  podCidr: true,
  asNumber: true,
  peers: true,
  nodeToNodeMesh: true,
  advertiseServiceClusterIPs: true,
  advertiseServiceExternalIPs: true,
  advertiseServiceLoadBalancerIPs: true,
  blockSize: true,
  poolName: true,
});

const CALICO_BGP_PEER = structKeys<CalicoBgpPeer>('CalicoBgpPeer', { peerIP: true, asNumber: true, nodeSelector: true, name: true });

/**
 * Makes pod IPs routable from outside the cluster: Calico's nodes announce the pod network over
 * BGP to the given routers, so clients reach pods at their own IPs (no NAT, no node port).
 *
 * Emits, all `projectcalico.org/v3` and cluster-scoped: the `BGPConfiguration` named `default`
 * (the cluster's AS number, node mesh, announced Service ranges), one `BGPPeer` per router and
 * an `IPPool` for the pod CIDR with `ipipMode: Never`, `vxlanMode: Never` (no encapsulation: the
 * routers must see the real pod IPs) and `natOutgoing: false` (pods keep their IP towards the
 * routed network). The `default` BGPConfiguration is cluster-wide, so one App holds at most one
 * PodIpReachability. If the chart has a namespace, it is removed from these objects.
 *
 * Child constructs: `Resource` (the IPPool), `BgpConfiguration`, and `Peer-<peer IP>` per peer.
 *
 * Security: every pod in the pool becomes reachable from every network that learns the routes,
 * on every port it listens on. Add NetworkPolicies (Calico or Kubernetes) that admit only the
 * expected sources, and filter at the routers. BGP sessions are unauthenticated unless you add
 * passwords to the BGPPeers (escape hatch: `ApiObject.addJsonPatch`).
 *
 * @see https://docs.tigera.io/calico/latest/networking/configuring/bgp
 * @see https://docs.tigera.io/calico/latest/networking/configuring/advertise-service-ips
 */
export class PodIpReachability extends Exposure {
  /** The `IPPool` (a `projectcalico.org/v3` object). */
  public readonly ipPool: ApiObject;
  /** The `BGPConfiguration` named `default`. */
  public readonly bgpConfiguration: ApiObject;
  /** The `BGPPeer` objects, in the order of `peers`. */
  public readonly bgpPeers: ApiObject[];
  /** The pod network, in canonical form. */
  public readonly podCidr: string;
  /** The cluster's AS number. */
  public readonly asNumber: number;
  /** The allocation block size (the given one, or Calico's default for the family). */
  public readonly blockSize: number;
  /** Whether the node-to-node mesh is on. */
  public readonly nodeToNodeMesh: boolean;
  /** The announced Service cluster-IP ranges (empty when none). */
  public readonly advertiseServiceClusterIPs: string[];
  /** The announced Service external-IP ranges (empty when none). */
  public readonly advertiseServiceExternalIPs: string[];
  /** The announced LoadBalancer IP ranges (empty when none). */
  public readonly advertiseServiceLoadBalancerIPs: string[];
  /** How the pods are reached: the pod network, and each announced Service range. */
  public readonly accessPoints: AccessPoint[];
  /** What the cluster and the users need for the access points to work. */
  public readonly prerequisites: string[];
  /** The pattern's name in the access guide. */
  public readonly patternName: string = 'Pod IP reachability (Calico BGP)';

  constructor(scope: Construct, id: string, props: PodIpReachabilityProps) {
    super(scope, id, {}, 'PodIpReachability');
    const check = this._check;
    this._refuseNamespace(props, 'BGPConfiguration, BGPPeer and IPPool are cluster-scoped', 'Remove namespace.');
    check.props(props, POD_IP_REACHABILITY_PROPS);

    // --- the pool -----------------------------------------------------------------------------
    const pool = checkNetworkCidr(check, 'podCidr', props.podCidr, '"10.244.0.0/16"');
    checkNotLinkLocal(check, 'podCidr', props.podCidr, pool);
    this.podCidr = networkOf(pool);
    const limits = BLOCK_SIZE_LIMITS[pool.family];
    if (props.blockSize !== undefined) {
      check.integer('blockSize', props.blockSize, limits, `Omit blockSize for Calico's default (/${defaultBlockSize(pool.family)}).`,
        ` for an IPv${pool.family} pool`);
      if (props.blockSize < pool.prefix) {
        check.fail('blockSize', `makes a block (/${props.blockSize}) larger than the pool ${this.podCidr}`, props.blockSize,
          `Use a block size of at least ${pool.prefix}, or a larger podCidr.`);
      }
    }
    this.blockSize = props.blockSize ?? defaultBlockSize(pool.family);
    if (pool.prefix > this.blockSize) {
      check.fail('podCidr', `is smaller than one allocation block (/${this.blockSize})`, props.podCidr,
        `Use a prefix of at most /${this.blockSize}, or a smaller blockSize.`);
    }
    if (props.poolName !== undefined) {
      checkName(check, 'poolName', props.poolName);
    }

    // --- the cluster's BGP settings -----------------------------------------------------------
    checkAsNumber(check, 'asNumber', props.asNumber, CRD_INTEGER_FIELDS.CALICO_BGP_CONFIGURATION_AS_NUMBER);
    this.asNumber = props.asNumber;
    this.nodeToNodeMesh = check.boolean('nodeToNodeMesh', props.nodeToNodeMesh) ?? DEFAULT_NODE_TO_NODE_MESH;
    this.advertiseServiceClusterIPs = checkAdvertised(check, 'advertiseServiceClusterIPs', props.advertiseServiceClusterIPs, '10.96.0.0/12');
    this.advertiseServiceExternalIPs = checkAdvertised(check, 'advertiseServiceExternalIPs', props.advertiseServiceExternalIPs, '203.0.113.0/24');
    this.advertiseServiceLoadBalancerIPs = checkAdvertised(check, 'advertiseServiceLoadBalancerIPs', props.advertiseServiceLoadBalancerIPs, '192.168.9.0/24');
    claimLoadBalancerAnnouncer(check, 'advertiseServiceLoadBalancerIPs', this.advertiseServiceLoadBalancerIPs.map((text) => ({ ...parseCidr(text)!, text })));

    // --- peers --------------------------------------------------------------------------------
    const peers = checkPeers(check, props.peers, pool);
    // Calico announces a family over sessions of that family: every announced range needs a peer of its family.
    const peerFamilies = peers.map((p) => p.family);
    for (const [prop, list] of [['advertiseServiceClusterIPs', this.advertiseServiceClusterIPs], ['advertiseServiceExternalIPs', this.advertiseServiceExternalIPs],
      ['advertiseServiceLoadBalancerIPs', this.advertiseServiceLoadBalancerIPs]] as const) {
      checkAnnouncedFamilies(check, prop, list.map((text) => ({ family: parseCidr(text)!.family, text })), peerFamilies, 'Calico', 'peers');
    }

    // --- objects ------------------------------------------------------------------------------
    const crds = calicoCrds();
    this.ipPool = new crds.IpPool(this, 'Resource', {
      metadata: definedOnly({ name: props.poolName }),
      spec: {
        cidr: this.podCidr,
        blockSize: props.blockSize,
        ipipMode: crds.IpPoolSpecIpipMode.NEVER,
        vxlanMode: crds.IpPoolSpecVxlanMode.NEVER,
        natOutgoing: false,
      },
    });
    const cidrs = (list: string[]) => (list.length === 0 ? undefined : list.map((cidr) => ({ cidr })));
    this.bgpConfiguration = new crds.BgpConfiguration(this, 'BgpConfiguration', {
      metadata: { name: BGP_CONFIGURATION_NAME },
      spec: {
        asNumber: this.asNumber,
        nodeToNodeMeshEnabled: this.nodeToNodeMesh === DEFAULT_NODE_TO_NODE_MESH ? undefined : this.nodeToNodeMesh,
        serviceClusterIPs: cidrs(this.advertiseServiceClusterIPs),
        serviceExternalIPs: cidrs(this.advertiseServiceExternalIPs),
        serviceLoadBalancerIPs: cidrs(this.advertiseServiceLoadBalancerIPs),
      },
    });
    const ids = new Map<string, number>();
    this.bgpPeers = peers.map((peer) => {
      const base = `Peer-${peer.peerIP.replace(/[^0-9a-fA-F]+/g, '-')}`;
      const count = (ids.get(base) ?? 0) + 1;
      ids.set(base, count);
      return new crds.BgpPeer(this, count === 1 ? base : `${base}-${count}`, {
        metadata: definedOnly({ name: peer.name }),
        spec: definedOnly({ peerIp: peer.peerIP, asNumber: peer.asNumber, nodeSelector: peer.selector }),
      });
    });
    // Cluster-wide names: one object per kind and name in the whole App.
    claimObjectName(check, 'poolName', this.ipPool, props.poolName === undefined ? DERIVED_NAME_FIX : undefined);
    claimObjectName(check, `BGPConfiguration "${BGP_CONFIGURATION_NAME}"`, this.bgpConfiguration,
      'Configure all peers and announced ranges in one PodIpReachability.');
    this.bgpPeers.forEach((obj, i) => claimObjectName(check, peers[i].name === undefined ? `peers[${i}]` : `peers[${i}].name`, obj,
      peers[i].name === undefined ? DERIVED_NAME_FIX : undefined));
    // The chart's namespace would be written into every object; these kinds are cluster-scoped.
    if (Chart.of(this).namespace !== undefined) {
      for (const obj of [this.ipPool, this.bgpConfiguration, ...this.bgpPeers]) {
        obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
    }

    // --- how it is reached --------------------------------------------------------------------
    const peerList = peers.map((p) => `${p.peerIP} (AS ${p.asNumber})`).join(', ');
    this.accessPoints = [{
      origin: AccessOrigin.ROUTED_NETWORK,
      method: AccessMethod.POD_IP,
      host: this.podCidr,
      protocol: kplus.Protocol.TCP,
      hostLookupCommand: 'kubectl get pods -o wide',
      description: `Each pod at its own IP in ${this.podCidr}, on the ports it listens on (any protocol), from networks that learn the routes from ${peerList}.`,
    }];
    for (const cidr of this.advertiseServiceClusterIPs) {
      this.accessPoints.push({
        origin: AccessOrigin.ROUTED_NETWORK,
        method: AccessMethod.CLUSTER_IP,
        host: cidr,
        protocol: kplus.Protocol.TCP,
        hostLookupCommand: 'kubectl get services -A -o wide',
        description: `Service cluster IPs in ${cidr}, announced to ${peerList}.`,
      });
    }
    for (const cidr of this.advertiseServiceLoadBalancerIPs) {
      this.accessPoints.push({
        origin: AccessOrigin.ROUTED_NETWORK,
        method: AccessMethod.LOAD_BALANCER,
        host: cidr,
        protocol: kplus.Protocol.TCP,
        hostLookupCommand: 'kubectl get services -A -o wide',
        description: `LoadBalancer IPs in ${cidr}, announced by Calico to ${peerList}.`,
      });
    }
    this.prerequisites = [
      'Calico as the CNI with BGP networking (calico-node running BIRD); check the sessions with `calicoctl node status`.',
      'The projectcalico.org/v3 API: the Calico API server, or Calico 3.32+ with the native v3 CRDs.',
      `No other IPPool overlapping ${this.podCidr} (disable or delete the installer's default pool).`,
      `Routers ${peerList} configured to peer with the selected nodes (AS ${this.asNumber}).`,
    ];
  }
}

interface CheckedPeer {
  readonly peerIP: string;
  readonly family: Family;
  readonly asNumber: number;
  readonly labels?: { [key: string]: string };
  readonly selector?: string;
  readonly name?: string;
}

function defaultBlockSize(family: Family): number {
  return family === 4 ? DEFAULT_IPV4_BLOCK_SIZE : DEFAULT_IPV6_BLOCK_SIZE;
}

function checkAsNumber(check: Checker, prop: string, value: number, field: CrdIntegerField): void {
  checkCrdInteger(check, prop, field, value, MIN_ASN, MAX_ASN,
    'Use your AS number, e.g. a private one from 64512-65534 (the private 4-byte range 4200000000-4294967294 does not fit the projectcalico.org/v3 CRDs).');
}

function checkName(check: Checker, prop: string, value: string): void {
  const problem = dns1123SubdomainProblem(value);
  if (problem) {
    check.fail(prop, problem, value, 'Use lowercase letters, digits, \'-\' and \'.\', e.g. "tor-rack-a".');
  }
}

function checkAdvertised(check: Checker, prop: string, list: string[] | undefined, example: string): string[] {
  if (list === undefined) return [];
  check.list(prop, list, { noun: 'CIDR', fix: `Pass e.g. ["${example}"].` });
  const seen = new Map<string, number>();
  return list.map((value, i) => {
    const cidr = checkNetworkCidr(check, `${prop}[${i}]`, value, `"${example}"`);
    const canonical = networkOf(cidr);
    const previous = seen.get(canonical);
    if (previous !== undefined) {
      check.duplicate(`${prop}[${i}]`, `${prop}[${previous}]`, value, 'List each range once.');
    }
    seen.set(canonical, i);
    return canonical;
  });
}

function checkPeers(check: Checker, peers: CalicoBgpPeer[], pool: ParsedCidr): CheckedPeer[] {
  check.structList('peers', peers, CALICO_BGP_PEER, {
    noun: 'BGP peer',
    minLength: 1,
    fix: 'Add the routers the nodes peer with, e.g. [{ peerIP: "192.168.1.1", asNumber: 64501 }].',
  });
  const byIp = new Map<string, { index: number; labels?: { [key: string]: string } }[]>();
  const names = new Map<string, number>();
  const checked = peers.map((peer, i): CheckedPeer => {
    const where = `peers[${i}]`;
    const ip = parseIp(peer.peerIP);
    if (!ip) {
      check.fail(`${where}.peerIP`, 'must be an IPv4 or IPv6 address (no port, no prefix)', peer.peerIP,
        'Use the router\'s address, e.g. "192.168.1.1".');
    }
    checkAsNumber(check, `${where}.asNumber`, peer.asNumber, CRD_INTEGER_FIELDS.CALICO_BGP_PEER_AS_NUMBER);
    claimBgpSession(check, `${where}.peerIP`, ip.family, ip.value, BgpSpeaker.CALICO, peer.nodeSelector === undefined ? undefined : [peer.nodeSelector]);
    const selector = peer.nodeSelector === undefined ? undefined : calicoSelector(check, `${where}.nodeSelector`, peer.nodeSelector);
    if (peer.name !== undefined) {
      checkName(check, `${where}.name`, peer.name);
      const previousName = names.get(peer.name);
      if (previousName !== undefined) {
        check.duplicate(`${where}.name`, `peers[${previousName}].name`, peer.name, 'Give every peer its own name.');
      }
      names.set(peer.name, i);
    }
    // Two peerings with one router from the same node conflict; only provably disjoint node sets may share it.
    const canonicalIp = formatIp(ip.family, ip.value);
    const earlier = byIp.get(canonicalIp) ?? [];
    for (const other of earlier) {
      if (!nodeSelectorsDisjoint(other.labels, peer.nodeSelector)) {
        check.duplicate(`${where}.peerIP`, `peers[${other.index}]`, peer.peerIP,
          'List each router once, or give the two entries node selectors that cannot both match (e.g. { rack: "a" } and { rack: "b" }).', ' for nodes both select');
      }
    }
    earlier.push({ index: i, labels: peer.nodeSelector });
    byIp.set(canonicalIp, earlier);
    return { peerIP: canonicalIp, family: ip.family, asNumber: peer.asNumber, labels: peer.nodeSelector, selector, name: peer.name };
  });
  if (!checked.some((p) => p.family === pool.family)) {
    check.fail('peers', `has no IPv${pool.family} peer, so the IPv${pool.family} pod routes would not be announced`,
      peers.map((p) => p.peerIP), `Add a peer with an IPv${pool.family} address (Calico announces each family over sessions of that family).`);
  }
  return checked;
}
