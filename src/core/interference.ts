/**
 * Patterns that interfere inside one App although each is valid alone: the App-wide claims that
 * bring them together. Each rule registers what one side takes under a typed claim kind and
 * looks up the other side under the same key, so whichever construct comes first, the second
 * is refused (or, for what only synthesis knows, the validation finds it), with both named; each
 * lookup is one map access, so the checks stay linear in the number of constructs.
 *
 * - a host port equal to a node port: kube-proxy's node port rules take the traffic before the
 *   host port's (hostPort DNAT, or the socket of a hostNetwork pod) ever sees it;
 * - MetalLB and Calico BGP peers on one router address from nodes both may use: one BGP session
 *   per pair of routers, so the router refuses the second speaker's session;
 * - a MetalLB pool that MetalLB does not announce (`MetalLbAdvertisement.none()`) with addresses
 *   outside what the App's Calico announces (`advertiseServiceLoadBalancerIPs`): nothing
 *   announces them.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { AppClaims, ClaimKind, nodeSelectorsDisjoint } from './claims';
import { Checker } from './errors';
import { Family, formatIp } from './net';

// ---------------------------------------------------------------------------------------------
// Ports of the nodes: host ports and node ports
// ---------------------------------------------------------------------------------------------

/** What opens a port on the nodes. */
export enum NodePortOwner {
  /** A Service's node port (kube-proxy, on every node). */
  NODE_PORT = 'nodePort',
  /** A host-level app's host port (on the nodes its pods run on). */
  HOST_PORT = 'hostPort',
}

interface PortOnNodesClaim {
  readonly scope: IConstruct;
  readonly className: string;
  readonly owner: NodePortOwner;
  /** e.g. `ports[0].nodePort`. */
  readonly prop: string;
}

/** `<port>/<protocol>` -> who opens it on the nodes, as a node port or a host port. */
const PORT_ON_NODES = new ClaimKind<PortOnNodesClaim>('port-on-nodes');

/**
 * Claims `port`/`protocol` on the nodes for a node port or a host port, and refuses it when the
 * other kind already holds it: kube-proxy's node port rules would take the host port's traffic.
 * Two node ports, or two host ports, are the business of their own claims (`NODE_PORT`, `HOST_PORT`).
 */
export function claimPortOnNodes(check: Checker, prop: string, port: number, protocol: kplus.Protocol, owner: NodePortOwner): void {
  const earlier = AppClaims.of(check.scope).add(PORT_ON_NODES, `${port}/${protocol}`, { scope: check.scope, className: check.className, owner, prop });
  const other = earlier.find((e) => e.owner !== owner);
  if (!other) return;
  const [nodePort, hostPort] = owner === NodePortOwner.NODE_PORT ? [`${prop} of this Service`, `${other.prop} of [${other.scope.node.path}] (${other.className})`]
    : [`${other.prop} of [${other.scope.node.path}] (${other.className})`, `${prop} of this app`];
  check.fail(prop, `takes ${port}/${protocol}, which [${other.scope.node.path}] (${other.className}) already opens on the nodes as a ${other.owner}: `
    + `kube-proxy's node port rules (${nodePort}) would take the traffic meant for the host port (${hostPort})`, port,
  owner === NodePortOwner.NODE_PORT ? 'Pick another nodePort (or omit it to let Kubernetes allocate one), or move the host port.'
    : 'Pick another host port, or another nodePort for that Service.');
}

// ---------------------------------------------------------------------------------------------
// BGP sessions: one per pair of routers
// ---------------------------------------------------------------------------------------------

/** Which BGP speaker on the nodes opens a session. */
export enum BgpSpeaker {
  METALLB = 'MetalLB',
  CALICO = 'Calico',
}

interface BgpSessionClaim {
  readonly scope: IConstruct;
  readonly className: string;
  readonly speaker: BgpSpeaker;
  readonly prop: string;
  /**
   * The equality labels of the nodes that open the session, one map per alternative (a node
   * matching any does); undefined for every node.
   */
  readonly nodes?: readonly { [key: string]: string }[];
}

/** Canonical router address -> the speakers that open a session to it. */
const BGP_SESSION = new ClaimKind<BgpSessionClaim>('bgp-session');

/** True when some node may match an alternative of both (anything not provably disjoint may). */
function nodesMayOverlap(a?: readonly { [key: string]: string }[], b?: readonly { [key: string]: string }[]): boolean {
  if (!a || !b) return true;
  return a.some((x) => b.some((y) => !nodeSelectorsDisjoint(x, y)));
}

/**
 * Claims a BGP session from the nodes to the router at `family`/`address` for one speaker, and
 * refuses it when the other speaker already peers with that router from nodes both may use: a
 * router keeps one session per pair of hosts and rejects the second as a duplicate.
 *
 * @param nodes the equality labels of the peering nodes, one map per alternative; undefined: every node
 */
export function claimBgpSession(check: Checker, prop: string, family: Family, address: bigint, speaker: BgpSpeaker,
  nodes?: readonly { [key: string]: string }[]): void {
  const text = formatIp(family, address);
  const earlier = AppClaims.of(check.scope).add(BGP_SESSION, text, { scope: check.scope, className: check.className, speaker, prop, nodes });
  const other = earlier.find((e) => e.speaker !== speaker && nodesMayOverlap(e.nodes, nodes));
  if (!other) return;
  check.fail(prop, `peers with router ${text}, which ${other.speaker} already peers with (${other.prop} of [${other.scope.node.path}], ${other.className}) from nodes both may use; `
    + 'a router keeps one BGP session per pair of hosts and rejects the second speaker\'s as a duplicate', text,
  speaker === BgpSpeaker.METALLB
    ? 'Let Calico announce the pool (MetalLbAdvertisement.none() and advertiseServiceLoadBalancerIPs covering it), or peer the two from disjoint nodes (node selectors with different values of one label).'
    : 'Let Calico announce the MetalLB pool (MetalLbAdvertisement.none() and advertiseServiceLoadBalancerIPs covering it) instead of MetalLB\'s own BGP peers, or peer the two from disjoint nodes.');
}

// ---------------------------------------------------------------------------------------------
// LoadBalancer addresses MetalLB leaves to another announcer
// ---------------------------------------------------------------------------------------------

/** An address range, parsed. */
export interface AddressSpan {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
  /** As written. */
  readonly text: string;
}

interface LoadBalancerAnnouncerClaim {
  readonly scope: IConstruct;
  readonly className: string;
  readonly prop: string;
  readonly spans: readonly AddressSpan[];
}

/** The App's Calico announcing LoadBalancer IPs (one BGPConfiguration per cluster): key `cluster`. */
const LOAD_BALANCER_ANNOUNCER = new ClaimKind<LoadBalancerAnnouncerClaim>('load-balancer-announcer');

/** Records the LoadBalancer IP ranges the App's Calico announces (`advertiseServiceLoadBalancerIPs`). */
export function claimLoadBalancerAnnouncer(check: Checker, prop: string, spans: readonly AddressSpan[]): void {
  AppClaims.of(check.scope).add(LOAD_BALANCER_ANNOUNCER, 'cluster', { scope: check.scope, className: check.className, prop, spans });
}

/**
 * For a pool MetalLB only allocates (`MetalLbAdvertisement.none()`): the problems of its ranges
 * that the App's Calico does not announce, for `node.addValidation` (so that the order of the
 * constructs does not matter). None when the App has no Calico announcing LoadBalancer IPs (the
 * announcer is outside the App: the pool's prerequisites say so).
 *
 * @param ranges the pool's ranges, with their prop (`addresses[0]`)
 */
export function unannouncedAddresses(check: Checker, ranges: readonly (AddressSpan & { readonly prop: string })[]): string[] {
  const [announcer] = AppClaims.of(check.scope).get(LOAD_BALANCER_ANNOUNCER, 'cluster');
  if (!announcer) return [];
  return ranges.filter((r) => !announcer.spans.some((s) => s.family === r.family && s.first <= r.first && r.last <= s.last))
    .map((r) => check.problem(r.prop,
      `is in a pool that MetalLB does not announce (MetalLbAdvertisement.none()), and outside the LoadBalancer IPs that [${announcer.scope.node.path}] (${announcer.className}) announces `
      + `(${announcer.prop}: ${announcer.spans.length === 0 ? 'none' : announcer.spans.map((s) => s.text).join(', ')}), so nothing announces it and its addresses are unreachable`,
      r.text, `Add a CIDR covering it to ${announcer.prop} of [${announcer.scope.node.path}], or let MetalLB announce the pool (MetalLbAdvertisement.l2() or bgp()).`));
}
