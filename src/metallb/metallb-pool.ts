import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  checkCommunity, checkInterfaces, checkRangesDisjoint, claimBgpPeer, claimLocalAsn, claimPoolRanges, declaredBgpPeer, METALLB_REFUSES,
  canonicalIp, nodeSelectorsToKube, parsePoolAddress, poolRangeConflicts, PoolRange, setPoolFacts,
} from './metallb';
import { checkAsn } from '../core/bgp';
import { claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { CRD_INTEGER_FIELDS, checkCrdInteger, UINT32_MAX } from '../core/crd-limits';
import { Checker, structKeys } from '../core/errors';
import { checkAnnouncedFamilies } from '../core/families';
import { BgpSpeaker, claimBgpSession, unannouncedAddresses } from '../core/interference';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { parseIp } from '../core/net';
import { definedOnly } from '../core/objects';
import type * as metallb from '../imports/metallb.io';
import { validateMetalLbPool } from '../profile/profile-rules';

/**
 * The MetalLB classes, loaded on first use: the generated CRD modules are big, and
 * `require('cdk8s-expose')` should not pay for them. Only their types are imported statically.
 */
function metallbCrds(): typeof metallb {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../imports/metallb.io');
}

/** The namespace MetalLB's manifests and Helm chart install into. */
export const DEFAULT_METALLB_NAMESPACE = 'metallb-system';

/**
 * Whether a `MetalLbAddressPool` hands out addresses to Services that do not ask for it by name.
 * `false`: only Services that name the pool (a `MetalLbLoadBalancer` with `pool`) get its addresses.
 */
export const DEFAULT_METALLB_AUTO_ASSIGN = false;

/** Whether a `MetalLbAddressPool` skips IPv4 addresses ending in `.0` and `.255` (MetalLB's default). */
export const DEFAULT_METALLB_AVOID_BUGGY_IPS = false;

/**
 * How the addresses of a pool are announced to the network: by MetalLB (layer 2 or BGP), or by
 * another component (MetalLB only allocates them).
 * @see https://metallb.io/concepts/
 */
export enum MetalLbAnnouncementMode {
  /**
   * Layer 2: one node answers ARP (IPv4) or NDP (IPv6) for each address; clients must be on the
   * same L2 segment as the nodes.
   */
  L2 = 'L2',
  /** BGP: every selected node announces a route to each address to the BGP peers (routers). */
  BGP = 'BGP',
  /**
   * None: MetalLB only allocates the addresses; another component, such as Calico announcing
   * `serviceLoadBalancerIPs` over BGP, must announce them.
   */
  NONE = 'None',
}

/**
 * Options of a layer 2 announcement (`L2Advertisement`).
 * @see https://metallb.io/configuration/_advanced_l2_configuration/
 */
export interface MetalLbL2Options {
  /**
   * The node interfaces to answer ARP/NDP on (Linux interface names).
   * @default - every interface of the node
   */
  readonly interfaces?: string[];
  /**
   * The nodes that may announce the addresses (a node matching any selector may).
   * @default - every node running the MetalLB speaker
   */
  readonly nodeSelectors?: kplus.LabelSelector[];
}

/**
 * A BGP router that MetalLB opens a session with (a `BGPPeer`).
 * @see https://metallb.io/configuration/#announce-the-service-ips-bgp
 */
export interface MetalLbBgpPeer {
  /** The router's address (IPv4 or IPv6). */
  readonly peerAddress: string;
  /** The router's AS number (1-4294967295). */
  readonly peerASN: number;
  /**
   * The AS number MetalLB uses on its side (1-4294967295). MetalLB's FRR modes need one local
   * ASN for all peers, so every peer of the App in one MetalLB namespace must use the same.
   */
  readonly myASN: number;
  /**
   * The nodes that open a session to this peer (a node matching any selector does).
   * @default - every node running the MetalLB speaker
   */
  readonly nodeSelectors?: kplus.LabelSelector[];
  /**
   * The name of a Secret of type `kubernetes.io/basic-auth` in MetalLB's namespace whose
   * `password` key holds the TCP MD5 password of the session.
   *
   * Security: without it the BGP session is not authenticated; anyone who can reach the router's
   * BGP port from a node's address could inject routes if the router accepts them.
   * @default - no session password
   */
  readonly passwordSecretName?: string;
}

/**
 * Options of a BGP announcement (`BGPAdvertisement` plus one `BGPPeer` per peer).
 * @see https://metallb.io/configuration/_advanced_bgp_configuration/
 */
export interface MetalLbBgpOptions {
  /** The routers to announce the pool's addresses to (at least one). */
  readonly peers: MetalLbBgpPeer[];
  /**
   * The nodes announced as next hops for the addresses (a node matching any selector is).
   * @default - every node running the MetalLB speaker
   */
  readonly nodeSelectors?: kplus.LabelSelector[];
  /**
   * BGP communities attached to the routes: standard `65535:100`, large `large:1:2:3`, or names
   * of aliases from a MetalLB `Community` resource. MetalLB's native BGP mode only supports
   * standard communities.
   * @default - no communities
   */
  readonly communities?: string[];
  /**
   * The BGP `LOCAL_PREF` of the routes (0-2147483647); only sent to iBGP peers
   * (`peerASN` equal to `myASN`), so at least one peer must be iBGP. BGP and MetalLB's Go type
   * take 0-4294967295, but the vendored BGPAdvertisement CRD declares `localPref` with
   * `format: int32`: larger values are refused.
   * @default - not set
   */
  readonly localPref?: number;
}

/**
 * How a pool's addresses are announced: by MetalLB in layer 2 (ARP/NDP) or BGP mode, or by
 * another component (`none()`).
 *
 * A pool that nothing announces hands out addresses that nobody can reach; a
 * `MetalLbAddressPool` therefore creates its own announcement, scoped to itself, unless it is
 * built with `none()` for a pool another component announces.
 *
 * @see https://metallb.io/configuration/#announce-the-service-ips
 */
export class MetalLbAdvertisement {
  /**
   * Layer 2 mode: a node answers ARP/NDP for each address (`L2Advertisement`).
   */
  public static l2(options: MetalLbL2Options = {}): MetalLbAdvertisement {
    return new MetalLbAdvertisement(MetalLbAnnouncementMode.L2, options, undefined);
  }

  /**
   * BGP mode: the nodes announce routes to the given peers (`BGPAdvertisement` + `BGPPeer`s).
   */
  public static bgp(options: MetalLbBgpOptions): MetalLbAdvertisement {
    return new MetalLbAdvertisement(MetalLbAnnouncementMode.BGP, undefined, options);
  }

  /**
   * No announcement by MetalLB: the pool emits its `IPAddressPool` alone (no `L2Advertisement`,
   * `BGPAdvertisement` or `BGPPeer`), so MetalLB only allocates its addresses to Services and
   * another component announces them.
   *
   * Use it with Calico announcing LoadBalancer IPs over BGP: list CIDRs that cover every address
   * of the pool in Calico's `serviceLoadBalancerIPs` (`advertiseServiceLoadBalancerIPs` of a
   * `PodIpReachability`). Calico then announces each of those CIDRs to its BGP peers. MetalLB
   * must not announce them in BGP mode as well: BGP allows one session per pair of hosts, so the
   * routers reject MetalLB's sessions as duplicates of Calico's.
   *
   * Behaviour: without another announcer, a Service still gets an address of the pool (shown as
   * its EXTERNAL-IP) but no traffic reaches it: the address is unreachable.
   *
   * Security: who can reach the addresses is decided by the announcer (for Calico, every network
   * its BGP peers pass the routes to). An `L2Advertisement` or `BGPAdvertisement` managed
   * elsewhere that selects no pool (neither `ipAddressPools` nor `ipAddressPoolSelectors`)
   * applies to every pool, this one included, and would make MetalLB announce it too, to more
   * networks than intended.
   *
   * @see https://metallb.universe.tf/configuration/calico/
   * @see https://docs.tigera.io/calico/latest/networking/configuring/advertise-service-ips
   */
  public static none(): MetalLbAdvertisement {
    return new MetalLbAdvertisement(MetalLbAnnouncementMode.NONE, undefined, undefined);
  }

  /** The announcement mode. */
  public readonly mode: MetalLbAnnouncementMode;
  /** The layer 2 options, in L2 mode. */
  public readonly l2Options?: MetalLbL2Options;
  /** The BGP options, in BGP mode. */
  public readonly bgpOptions?: MetalLbBgpOptions;

  private constructor(mode: MetalLbAnnouncementMode, l2Options?: MetalLbL2Options, bgpOptions?: MetalLbBgpOptions) {
    this.mode = mode;
    this.l2Options = l2Options;
    this.bgpOptions = bgpOptions;
  }
}

/**
 * Properties of a `MetalLbAddressPool`.
 * @see https://metallb.io/configuration/#defining-the-ips-to-assign-to-the-load-balancer-services
 */
export interface MetalLbAddressPoolProps {
  /**
   * The addresses MetalLB may hand out: CIDRs (`192.168.9.0/24`, `2001:db8:9::/120`) and
   * `first-last` ranges (`192.168.9.10-192.168.9.20`), IPv4 and IPv6. No entry may overlap
   * another entry or another pool of the App.
   */
  readonly addresses: string[];
  /**
   * Whether MetalLB gives the pool's addresses to LoadBalancer Services that do not name a pool.
   *
   * Security: with `true`, any LoadBalancer Service created in any namespace without a pool
   * annotation gets a reachable address from this pool. The default keeps the pool for the
   * Services that ask for it by name (`MetalLbLoadBalancer` with `pool`). MetalLB's own default
   * is `true`, so `false` is written explicitly.
   * @default DEFAULT_METALLB_AUTO_ASSIGN (false)
   */
  readonly autoAssign?: boolean;
  /**
   * Whether MetalLB skips IPv4 addresses ending in `.0` and `.255`. Some old clients and
   * routers treat them as network/broadcast addresses and drop their traffic, although inside
   * a CIDR larger than /24 they are ordinary host addresses. The seed scenario's
   * `192.168.9.0` is such an address: with `true` MetalLB never hands it out, and a
   * `MetalLbLoadBalancer` pinning it is refused.
   * @default DEFAULT_METALLB_AVOID_BUGGY_IPS (false)
   */
  readonly avoidBuggyIPs?: boolean;
  /**
   * The namespace MetalLB runs in: its custom resources are only read there. Must be a
   * DNS-1123 label.
   * @default DEFAULT_METALLB_NAMESPACE ("metallb-system")
   */
  readonly metallbNamespace?: string;
  /**
   * How the addresses are announced: `MetalLbAdvertisement.l2()`, `bgp()`, or `none()` for a
   * pool whose addresses another component (such as Calico) announces.
   * @default - MetalLbAdvertisement.l2(): ARP/NDP from every node and interface
   */
  readonly advertisement?: MetalLbAdvertisement;
  /**
   * The `IPAddressPool`'s `metadata.name` (a DNS-1123 subdomain), the name Services refer to.
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

const METALLB_ADDRESS_POOL_PROPS = structKeys<MetalLbAddressPoolProps>('MetalLbAddressPoolProps', {
  addresses: true, autoAssign: true, avoidBuggyIPs: true, metallbNamespace: true, advertisement: true, name: true,
});
const METALLB_L2_OPTIONS = structKeys<MetalLbL2Options>('MetalLbL2Options', { interfaces: true, nodeSelectors: true });
const METALLB_BGP_OPTIONS = structKeys<MetalLbBgpOptions>('MetalLbBgpOptions', {
  peers: true, nodeSelectors: true, communities: true, localPref: true,
});
const METALLB_BGP_PEER = structKeys<MetalLbBgpPeer>('MetalLbBgpPeer', {
  peerAddress: true, peerASN: true, myASN: true, nodeSelectors: true, passwordSecretName: true,
});

/**
 * A MetalLB `IPAddressPool` together with how it is announced (`L2Advertisement`, or
 * `BGPAdvertisement` and `BGPPeer`s), all in MetalLB's namespace and scoped to this pool; or
 * the `IPAddressPool` alone, with `MetalLbAdvertisement.none()`, when another component (such as
 * Calico) announces the addresses.
 *
 * A pool is a cluster-wide resource: the App refuses two pools whose addresses overlap, which
 * MetalLB would answer by rejecting its whole configuration.
 *
 * Security: every address of the pool becomes reachable from the networks it is announced to
 * once a Service takes it. `autoAssign` defaults to `false` so that only Services naming the
 * pool get its addresses.
 *
 * @see https://metallb.io/configuration/
 */
export class MetalLbAddressPool extends Construct {
  /** The `IPAddressPool` object. */
  public readonly ipAddressPool: ApiObject;
  /** The pool's `metadata.name`, as Services refer to it. */
  public readonly poolName: string;
  /** The namespace of the MetalLB objects. */
  public readonly metallbNamespace: string;
  /** The pool's addresses, as given. */
  public readonly addresses: string[];
  /** Whether MetalLB assigns the pool's addresses to Services that do not name a pool. */
  public readonly autoAssign: boolean;
  /** Whether addresses ending in `.0` and `.255` are skipped. */
  public readonly avoidBuggyIPs: boolean;
  /** How the addresses are announced. */
  public readonly advertisement: MetalLbAdvertisement;
  /** The `L2Advertisement`, in L2 mode (none in BGP mode or without announcement). */
  public readonly l2Advertisement?: ApiObject;
  /** The `BGPAdvertisement`, in BGP mode (none in L2 mode or without announcement). */
  public readonly bgpAdvertisement?: ApiObject;
  /**
   * The `BGPPeer`s this pool created, in BGP mode. A peer already declared identically by
   * another pool of the App is reused rather than created again (see `bgpPeerNames`).
   */
  public readonly bgpPeers: ApiObject[];
  /** The names of the `BGPPeer`s the pool is announced to, in BGP mode (one per peer). */
  public readonly bgpPeerNames: string[];

  private readonly check: Checker;

  constructor(scope: Construct, id: string, props: MetalLbAddressPoolProps) {
    super(scope, id);
    const check: Checker = this.check = new Checker(this, 'MetalLbAddressPool');
    check.props(props, METALLB_ADDRESS_POOL_PROPS);
    this.metallbNamespace = props.metallbNamespace ?? DEFAULT_METALLB_NAMESPACE;
    this.autoAssign = check.boolean('autoAssign', props.autoAssign) ?? DEFAULT_METALLB_AUTO_ASSIGN;
    this.avoidBuggyIPs = check.boolean('avoidBuggyIPs', props.avoidBuggyIPs) ?? DEFAULT_METALLB_AVOID_BUGGY_IPS;
    this.advertisement = props.advertisement ?? MetalLbAdvertisement.l2();

    const nsProblem = dns1123LabelProblem(this.metallbNamespace);
    if (nsProblem) {
      check.fail('metallbNamespace', nsProblem, this.metallbNamespace, `Use the namespace MetalLB is installed in (usually "${DEFAULT_METALLB_NAMESPACE}").`);
    }
    if (props.name !== undefined) {
      const problem = dns1123SubdomainProblem(props.name);
      if (problem) check.fail('name', problem, props.name, 'Use a lowercase name such as "lan-pool".');
    }
    check.instance('advertisement', this.advertisement, MetalLbAdvertisement, 'MetalLbAdvertisement',
      'Build it with MetalLbAdvertisement.l2(), bgp() or none().');

    check.list('addresses', props.addresses, {
      noun: 'CIDR or range', minLength: 1, fix: 'Give the addresses MetalLB may hand out, e.g. ["192.168.9.0/24"].',
    });
    const ranges: PoolRange[] = props.addresses.map((a, i) => parsePoolAddress(check, `addresses[${i}]`, a, i));
    validateMetalLbPool(check, props.addresses);
    checkRangesDisjoint(check, 'addresses', ranges);
    this.addresses = [...props.addresses];

    const crds = metallbCrds();
    this.ipAddressPool = new crds.IpAddressPool(this, 'Resource', {
      metadata: definedOnly({ name: props.name, namespace: this.metallbNamespace }),
      spec: {
        addresses: this.addresses,
        // MetalLB defaults autoAssign to true: write false; write avoidBuggyIPs only when set.
        autoAssign: this.autoAssign === true ? undefined : false,
        avoidBuggyIPs: this.avoidBuggyIPs ? true : undefined,
      },
    });
    this.poolName = this.ipAddressPool.name;

    claimObjectName(check, 'name', this.ipAddressPool, props.name === undefined ? DERIVED_NAME_FIX : undefined);

    if (this.advertisement.mode === MetalLbAnnouncementMode.BGP) {
      // bgp(undefined) from JavaScript is refused here.
      const bgpOptions = check.struct('advertisement', this.advertisement.bgpOptions, METALLB_BGP_OPTIONS);
      const built = this.buildBgp(bgpOptions);
      // MetalLB announces a family over sessions of that family (no dualStackAddressFamily is written).
      checkAnnouncedFamilies(check, 'addresses', ranges, bgpOptions.peers.map((p) => parseIp(p.peerAddress)!.family),
        'MetalLB', 'advertisement.peers');
      this.bgpAdvertisement = built.advertisement;
      this.bgpPeers = built.peers;
      this.bgpPeerNames = built.peerNames;
    } else {
      // NONE: the IPAddressPool alone; another component announces the addresses.
      if (this.advertisement.mode === MetalLbAnnouncementMode.L2) {
        this.l2Advertisement = this.buildL2(this.advertisement.l2Options ?? {});
      }
      this.bgpPeers = [];
      this.bgpPeerNames = [];
    }

    setPoolFacts(this, { ranges, avoidBuggyIPs: this.avoidBuggyIPs });
    claimPoolRanges(this, this.poolName, ranges);
    if (this.advertisement.mode === MetalLbAnnouncementMode.NONE) {
      // Whichever comes first, the pool or the App's Calico: checked once the App is complete.
      this.node.addValidation({ validate: () => unannouncedAddresses(check, ranges.map((r) => ({ ...r, prop: `addresses[${r.index}]` }))) });
    }
    this.node.addValidation({
      validate: () => poolRangeConflicts(this).map((c) => check.problem(`addresses[${c.mine.index}]`,
        `overlaps "${c.other.text}" of the pool [${c.other.path}] ("${c.other.poolName}")`, c.mine.text,
        'MetalLB rejects its whole configuration when two pools overlap: give each pool its own addresses.')),
    });
  }

  private buildL2(options: MetalLbL2Options): metallb.L2Advertisement {
    const crds = metallbCrds();
    this.check.struct('advertisement', options, METALLB_L2_OPTIONS);
    if (options.interfaces !== undefined) {
      checkInterfaces(this.check, 'advertisement.interfaces', options.interfaces);
    }
    const nodeSelectors = nodeSelectorsToKube(this.check, 'advertisement.nodeSelectors', options.nodeSelectors);
    const advertisement = new crds.L2Advertisement(this, 'L2Advertisement', {
      metadata: { namespace: this.metallbNamespace },
      spec: definedOnly({
        ipAddressPools: [this.poolName],
        interfaces: options.interfaces ? [...options.interfaces] : undefined,
        nodeSelectors,
      }),
    });
    claimObjectName(this.check, 'advertisement', advertisement, DERIVED_NAME_FIX);
    return advertisement;
  }

  private buildBgp(options: MetalLbBgpOptions): { advertisement: metallb.BgpAdvertisement; peers: metallb.BgpPeerV1Beta2[]; peerNames: string[] } {
    const crds = metallbCrds();
    const check: Checker = this.check;
    check.structList('advertisement.peers', options.peers, METALLB_BGP_PEER, {
      noun: 'BGP peer',
      minLength: 1,
      fix: 'Give the routers to announce to, e.g. [{ peerAddress: "192.168.0.1", peerASN: 64512, myASN: 64513 }], or use MetalLbAdvertisement.l2().',
    });
    const nodeSelectors = nodeSelectorsToKube(check, 'advertisement.nodeSelectors', options.nodeSelectors);
    const communities = options.communities;
    if (communities !== undefined) {
      check.list('advertisement.communities', communities, { noun: 'community', minLength: 1, fix: 'Omit communities to send none.' });
      const seen = new Map<string, number>();
      communities.forEach((c, i) => {
        checkCommunity(check, `advertisement.communities[${i}]`, c);
        const previous = seen.get(c);
        if (previous !== undefined) {
          check.duplicate(`advertisement.communities[${i}]`, `advertisement.communities[${previous}]`, c, 'List each community once.', METALLB_REFUSES);
        }
        seen.set(c, i);
      });
    }
    if (options.localPref !== undefined) {
      const lp = options.localPref;
      checkCrdInteger(check, 'advertisement.localPref', CRD_INTEGER_FIELDS.METALLB_BGP_ADVERTISEMENT_LOCAL_PREF, lp, 0, UINT32_MAX,
        'Use e.g. 100 (the usual default of routers).');
      if (!options.peers.some((p) => p.peerASN === p.myASN)) {
        check.fail('advertisement.localPref', 'is only sent to iBGP peers (peerASN equal to myASN), and no peer of this pool is one', lp,
          'Remove localPref, or use communities to influence eBGP peers.');
      }
    }

    const peers: metallb.BgpPeerV1Beta2[] = [];
    const peerNames: string[] = [];
    const addresses = new Map<string, number>();
    options.peers.forEach((peer, i) => {
      const at = `advertisement.peers[${i}]`;
      const ip = parseIp(peer.peerAddress);
      if (!ip) {
        check.fail(`${at}.peerAddress`, 'must be an IPv4 or IPv6 address', peer.peerAddress, 'Use the router\'s address, e.g. "192.168.0.1".');
      }
      const address = canonicalIp(ip.family, ip.value);
      const previous = addresses.get(address);
      if (previous !== undefined) {
        check.duplicate(`${at}.peerAddress`, `advertisement.peers[${previous}]`, peer.peerAddress, 'List each router once.');
      }
      addresses.set(address, i);
      checkAsn(check, `${at}.peerASN`, peer.peerASN);
      checkAsn(check, `${at}.myASN`, peer.myASN);
      const firstAsn = claimLocalAsn(this, this.metallbNamespace, { asn: peer.myASN, path: this.node.path });
      if (firstAsn.asn !== peer.myASN) {
        check.fail(`${at}.myASN`, `differs from myASN ${firstAsn.asn} of [${firstAsn.path}]; MetalLB's FRR modes need one local ASN per MetalLB installation`,
          peer.myASN, `Use myASN ${firstAsn.asn} for every peer.`);
      }
      const peerSelectors = nodeSelectorsToKube(check, `${at}.nodeSelectors`, peer.nodeSelectors);
      claimBgpSession(check, `${at}.peerAddress`, ip.family, ip.value, BgpSpeaker.METALLB, peerSelectors?.map((s) => s.matchLabels ?? {}));
      if (peer.passwordSecretName !== undefined) {
        const problem = dns1123SubdomainProblem(peer.passwordSecretName);
        if (problem) check.fail(`${at}.passwordSecretName`, problem, peer.passwordSecretName, 'Use the name of a kubernetes.io/basic-auth Secret in MetalLB\'s namespace.');
      }
      const spec = definedOnly({
        peerAddress: address,
        peerAsn: peer.peerASN,
        myAsn: peer.myASN,
        nodeSelectors: peerSelectors,
        passwordSecret: peer.passwordSecretName === undefined ? undefined : { name: peer.passwordSecretName, namespace: this.metallbNamespace },
      });
      const settings = JSON.stringify([peer.peerASN, peer.myASN, peerSelectors ?? null, peer.passwordSecretName ?? null]);
      const id = `BgpPeer${i}`;
      const earlier = declaredBgpPeer(this, this.metallbNamespace, address);
      if (earlier) {
        // One BGPPeer per router: a peer declared identically by another pool is shared.
        if (earlier.settings !== settings) {
          check.fail(`${at}.peerAddress`, `is already declared by [${earlier.path}] with other settings; MetalLB refuses two BGPPeers for one router`,
            peer.peerAddress, 'Declare the peer with the same peerASN, myASN, nodeSelectors and passwordSecretName in every pool.');
        }
        peerNames.push(earlier.name);
        return;
      }
      const resource = new crds.BgpPeerV1Beta2(this, id, { metadata: { namespace: this.metallbNamespace }, spec });
      claimObjectName(check, at, resource, DERIVED_NAME_FIX);
      claimBgpPeer(this, this.metallbNamespace, address, { path: resource.node.path, name: resource.name, settings });
      peers.push(resource);
      peerNames.push(resource.name);
    });

    const advertisement = new crds.BgpAdvertisement(this, 'BgpAdvertisement', {
      metadata: { namespace: this.metallbNamespace },
      spec: definedOnly({
        ipAddressPools: [this.poolName],
        peers: peerNames,
        nodeSelectors,
        communities: communities ? [...communities] : undefined,
        localPref: options.localPref,
      }),
    });
    claimObjectName(check, 'advertisement', advertisement, DERIVED_NAME_FIX);
    return { advertisement, peers, peerNames };
  }
}
