/**
 * Checks and App-wide registries shared by MetalLbAddressPool and MetalLbLoadBalancer.
 * Every rule here mirrors one that MetalLB's CRD schema or its controller/speaker enforces
 * (metallb/metallb internal/config), so that a bad value fails at synth instead of leaving a
 * Service `<pending>` or MetalLB refusing its whole configuration.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { AppClaims, ClaimKind } from '../core/claims';
import { UINT32_MAX } from '../core/crd-limits';
import { Checker } from '../core/errors';
import { labelKeyProblem, labelValueProblem } from '../core/names';
import { checkNetworkCidr, Family, formatIp, parseIp, parseRange } from '../core/net';

/** Why a repeated entry is refused: MetalLB's webhook refuses it (`Checker.duplicate`'s `why`). */
export const METALLB_REFUSES = ', which MetalLB refuses';

/** One entry of a pool's `addresses`, parsed. */
export interface PoolRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
  /** The entry as written. */
  readonly text: string;
  /** Its index in `addresses`. */
  readonly index: number;
}

/**
 * Parses one `addresses` entry: a CIDR (host bits clear) or a `first-last` range of one family.
 * A bare address is refused: MetalLB only reads CIDRs and ranges.
 */
export function parsePoolAddress(check: Checker, prop: string, text: string, index: number): PoolRange {
  if (typeof text !== 'string' || text.length === 0) {
    check.fail(prop, 'must be a CIDR or a first-last range', text, 'Use e.g. "192.168.9.0/24" or "192.168.9.10-192.168.9.20".');
  }
  if (text.includes('/')) {
    const cidr = checkNetworkCidr(check, prop, text, '"192.168.9.0/24" or "2001:db8:9::/120"', ', or a first-last range for part of the network');
    return { family: cidr.family, first: cidr.first, last: cidr.last, text, index };
  }
  if (text.includes('-')) {
    const range = parseRange(text);
    if (range === 'mixed-families') {
      check.fail(prop, 'mixes an IPv4 and an IPv6 address in one range', text, 'Give both ends of a range in the same family; list IPv4 and IPv6 ranges separately.');
    }
    if (range === 'reversed') {
      check.fail(prop, 'is a range whose first address is after its last', text, 'Write the range as "<first>-<last>" with first <= last.');
    }
    if (!range) {
      check.fail(prop, 'is not a valid first-last range', text, 'Use two addresses of one family, e.g. "192.168.9.10-192.168.9.20".');
    }
    return { family: range.family, first: range.first, last: range.last, text, index };
  }
  const ip = parseIp(text);
  check.fail(prop, 'must be a CIDR or a first-last range, not a single address', text,
    ip ? `Use "${text}/${ip.family === 4 ? 32 : 128}" for a single address.` : 'Use e.g. "192.168.9.0/24" or "192.168.9.10-192.168.9.20".');
}

/** Throws when two entries of one pool overlap (MetalLB refuses overlapping CIDRs, within a pool too). */
export function checkRangesDisjoint(check: Checker, prop: string, ranges: readonly PoolRange[]): void {
  for (const family of [4, 6] as Family[]) {
    const sorted = ranges.filter((r) => r.family === family).sort(compareRanges);
    let widest: PoolRange | undefined;
    for (const range of sorted) {
      if (widest && range.first <= widest.last) {
        check.fail(`${prop}[${range.index}]`, `overlaps ${prop}[${widest.index}] ("${widest.text}")`, range.text,
          'List each address once: merge the overlapping entries or remove one.');
      }
      if (!widest || range.last > widest.last) widest = range;
    }
  }
}

function compareRanges(a: { first: bigint }, b: { first: bigint }): number {
  return a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
}

/** True when `value` lies in one of `ranges`. */
export function rangesContain(ranges: readonly PoolRange[], family: Family, value: bigint): boolean {
  return ranges.some((r) => r.family === family && r.first <= value && value <= r.last);
}

/**
 * True for the IPv4 addresses MetalLB skips with `avoidBuggyIPs` (last octet 0 or 255), as in
 * MetalLB's `ipConfusesBuggyFirmwares`. IPv6 addresses are never skipped.
 */
export function isBuggyIp(family: Family, value: bigint): boolean {
  if (family !== 4) return false;
  const last = value % 256n;
  return last === 0n || last === 255n;
}

/** The address as MetalLB and the API server print it. */
export function canonicalIp(family: Family, value: bigint): string {
  return formatIp(family, value);
}

// ---------------------------------------------------------------------------------------------
// Pools: what a MetalLbLoadBalancer needs to know of the pool it is given
// ---------------------------------------------------------------------------------------------

/** The parsed ranges and settings of a MetalLbAddressPool, kept out of its public (jsii) API. */
export interface PoolFacts {
  readonly ranges: readonly PoolRange[];
  readonly avoidBuggyIPs: boolean;
}

/** The path of a MetalLbAddressPool -> its parsed ranges and settings (for the Services that take from it). */
const POOL_FACTS = new ClaimKind<PoolFacts>('metallb-pool-facts');

export function setPoolFacts(pool: IConstruct, facts: PoolFacts): void {
  AppClaims.of(pool).add(POOL_FACTS, pool.node.path, facts);
}

/** The facts of `pool`, when it belongs to the App of `scope`. */
export function poolFacts(scope: IConstruct, pool: IConstruct): PoolFacts | undefined {
  return AppClaims.of(scope).get(POOL_FACTS, pool.node.path)[0];
}

// ---------------------------------------------------------------------------------------------
// App-wide pool overlap: registered in O(1) per range, checked once per App in O(n log n)
// ---------------------------------------------------------------------------------------------

interface RangeClaim extends PoolRange {
  /** Path of the pool construct. */
  readonly path: string;
  /** The pool's metadata.name. */
  readonly poolName: string;
}

/** A range of one pool that overlaps a range of another pool. */
export interface RangeConflict {
  readonly mine: RangeClaim;
  readonly other: RangeClaim;
}

/** `<pool path>#<index>` -> one range of a pool, for the App-wide overlap check. */
const POOL_RANGE = new ClaimKind<RangeClaim>('metallb-pool-range');

/** The overlaps between the ranges of `POOL_RANGE`, by pool path (derived, rebuilt when a range is added). */
const POOL_RANGE_CONFLICTS = new ClaimKind<Map<string, RangeConflict[]>>('metallb-pool-range-conflicts');

/** Records the ranges of a pool for the App-wide overlap check. Unique keys keep `add` O(1). */
export function claimPoolRanges(scope: IConstruct, poolName: string, ranges: readonly PoolRange[]): void {
  const claims = AppClaims.of(scope);
  for (const range of ranges) {
    claims.add(POOL_RANGE, `${scope.node.path}#${range.index}`, { ...range, path: scope.node.path, poolName });
  }
}

/**
 * The ranges of the pool at `scope` that overlap a range of another pool of the same App.
 * The first call after a pool was added sorts every range of the App once and sweeps it
 * (O(n log n)); later calls reuse the result.
 */
export function poolRangeConflicts(scope: IConstruct): RangeConflict[] {
  const byPath = AppClaims.of(scope).derived(POOL_RANGE_CONFLICTS, POOL_RANGE, sweepConflicts);
  return byPath.get(scope.node.path) ?? [];
}

function sweepConflicts(all: RangeClaim[]): Map<string, RangeConflict[]> {
  const byPath = new Map<string, RangeConflict[]>();
  for (const family of [4, 6] as Family[]) {
    const sorted = all.filter((r) => r.family === family).sort(compareRanges);
    let widest: RangeClaim | undefined;
    for (const range of sorted) {
      // Ranges of one pool never overlap (checked eagerly), so an overlap with the widest range
      // so far is always an overlap with another pool.
      if (widest && range.first <= widest.last && widest.path !== range.path) {
        const list = byPath.get(range.path) ?? [];
        list.push({ mine: range, other: widest });
        byPath.set(range.path, list);
      }
      if (!widest || range.last > widest.last) widest = range;
    }
  }
  return byPath;
}

// ---------------------------------------------------------------------------------------------
// BGP peers: one BGPPeer per router address and namespace, one local ASN per namespace
// ---------------------------------------------------------------------------------------------

/** What identifies a declared BGP peer; two pools declaring the same peer share one BGPPeer. */
export interface PeerClaim {
  readonly path: string;
  /** The BGPPeer's `metadata.name`. */
  readonly name: string;
  /** JSON of the settings that must be equal for the peer to be shared. */
  readonly settings: string;
}

/** `<namespace>/<canonical address>` -> the BGP peers declared for that router. */
const BGP_PEER = new ClaimKind<PeerClaim>('metallb-bgp-peer');

/** The BGP peer declared earlier in the App for a router (namespace and canonical address), if any. */
export function declaredBgpPeer(scope: IConstruct, namespace: string, address: string): PeerClaim | undefined {
  return AppClaims.of(scope).get(BGP_PEER, `${namespace}/${address}`)[0];
}

/** Records the BGPPeer a pool created for a router, for the pools declared after it to share. */
export function claimBgpPeer(scope: IConstruct, namespace: string, address: string, claim: PeerClaim): void {
  AppClaims.of(scope).add(BGP_PEER, `${namespace}/${address}`, claim);
}

interface AsnClaim {
  readonly asn: number;
  readonly path: string;
}

/** MetalLB's namespace -> the first local ASN declared for it (FRR modes take one per installation). */
const LOCAL_ASN = new ClaimKind<AsnClaim>('metallb-local-asn');

/** The first local ASN declared for `namespace` in the App (recording `claim` if it is the first). */
export function claimLocalAsn(scope: IConstruct, namespace: string, claim: AsnClaim): AsnClaim {
  return AppClaims.of(scope).first(LOCAL_ASN, namespace, claim);
}

// ---------------------------------------------------------------------------------------------
// Field checks
// ---------------------------------------------------------------------------------------------

/** A Kubernetes label selector as the MetalLB CRDs spell it. */
export interface KubeLabelSelector {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const SET_OPERATORS = new Set(['In', 'NotIn']);
const EXISTENCE_OPERATORS = new Set(['Exists', 'DoesNotExist']);

/**
 * Converts node selectors to their wire form, with the checks Kubernetes' LabelSelectorAsSelector
 * and MetalLB's duplicate checks apply. Undefined when no selector is given (every node).
 */
export function nodeSelectorsToKube(check: Checker, prop: string, selectors: kplus.LabelSelector[] | undefined): KubeLabelSelector[] | undefined {
  if (selectors === undefined) return undefined;
  check.list(prop, selectors, { noun: 'selector', minLength: 1, fix: `Omit ${prop} to select every node.` });
  const seen = new Map<string, number>();
  return selectors.map((selector, i) => {
    const where = `${prop}[${i}]`;
    check.instance(where, selector, kplus.LabelSelector, 'kplus.LabelSelector', 'Use kplus.LabelSelector.of({ labels: { ... } }).');
    if (selector.isEmpty()) {
      check.fail(where, 'is empty and would select every node', '{}', `Omit ${prop} to select every node, or give labels.`);
    }
    const kube = (selector as any)._toKube() as KubeLabelSelector;
    check.labelMap(`${where}.labels`, kube.matchLabels ?? {}, {
      map: 'Use kplus.LabelSelector.of({ labels: { ... } }).', key: 'Use a node label key such as "kubernetes.io/hostname".', value: 'Use a valid label value.',
    });
    const expressions = new Map<string, number>();
    for (const [j, e] of (kube.matchExpressions ?? []).entries()) {
      const at = `${where}.expressions[${j}]`;
      const keyProblem = labelKeyProblem(e.key);
      if (keyProblem) check.fail(`${at}.key`, keyProblem, e.key, 'Use a node label key such as "kubernetes.io/hostname".');
      const values = e.values ?? [];
      if (SET_OPERATORS.has(e.operator) && values.length === 0) {
        check.fail(`${at}.values`, `must not be empty for operator ${e.operator}`, values, 'List at least one value, or use exists().');
      }
      if (EXISTENCE_OPERATORS.has(e.operator) && values.length > 0) {
        check.fail(`${at}.values`, `must be empty for operator ${e.operator}`, values, 'Remove the values.');
      }
      const twice = values.findIndex((v, k) => values.indexOf(v) !== k);
      if (twice >= 0) {
        check.duplicate(`${at}.values[${twice}]`, `${at}.values[${values.indexOf(values[twice])}]`, values[twice], 'List each value once.', METALLB_REFUSES);
      }
      for (const value of values) {
        const problem = labelValueProblem(value);
        if (problem) check.fail(`${at}.values`, `has a value that ${problem}`, value, 'Use valid label values.');
      }
      const text = JSON.stringify([e.key, e.operator, [...values].sort()]);
      const earlier = expressions.get(text);
      if (earlier !== undefined) {
        check.duplicate(at, `${where}.expressions[${earlier}]`, e, 'List each expression once.', METALLB_REFUSES);
      }
      expressions.set(text, j);
    }
    const text = JSON.stringify(normalizedSelector(kube));
    const previous = seen.get(text);
    if (previous !== undefined) {
      check.duplicate(where, `${prop}[${previous}]`, normalizedSelector(kube), 'List each selector once.', METALLB_REFUSES);
    }
    seen.set(text, i);
    return kube;
  });
}

function normalizedSelector(kube: KubeLabelSelector): unknown {
  const labels = Object.fromEntries(Object.entries(kube.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  const expressions = (kube.matchExpressions ?? [])
    .map((e) => ({ key: e.key, operator: e.operator, values: [...(e.values ?? [])].sort() }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { labels, expressions };
}

/** Linux interface names: 1-15 bytes, no '/', ':' or whitespace, not "." or "..". */
const INTERFACE_NAME = /^[^\s/:]{1,15}$/;

/** Throws unless every entry is a distinct Linux interface name. */
export function checkInterfaces(check: Checker, prop: string, interfaces: string[]): void {
  check.list(prop, interfaces, { noun: 'interface', minLength: 1, fix: `Omit ${prop} to announce from every interface.` });
  const seen = new Map<string, number>();
  interfaces.forEach((name, i) => {
    if (typeof name !== 'string' || !INTERFACE_NAME.test(name) || name === '.' || name === '..') {
      check.fail(`${prop}[${i}]`, 'must be a network interface name (1-15 characters, no whitespace, \'/\' or \':\')', name,
        'Use the node\'s interface name, e.g. "eth0" or "enp1s0".');
    }
    const previous = seen.get(name);
    if (previous !== undefined) check.duplicate(`${prop}[${i}]`, `${prop}[${previous}]`, name, 'List each interface once.');
    seen.set(name, i);
  });
}

const DECIMAL = /^[0-9]+$/;

function fitsUint(text: string, max: number): boolean {
  return DECIMAL.test(text) && Number(text) <= max;
}

/**
 * Throws unless `community` is what MetalLB parses: a standard community `<0-65535>:<0-65535>`,
 * a large community `large:<uint32>:<uint32>:<uint32>`, or the name of an alias defined in a
 * `Community` resource (no ':').
 */
export function checkCommunity(check: Checker, prop: string, community: string): void {
  const fix = 'Use "<0-65535>:<0-65535>", "large:<uint32>:<uint32>:<uint32>", or the name of an alias from a MetalLB Community resource.';
  if (typeof community !== 'string' || community.length === 0 || /\s/.test(community)) {
    check.fail(prop, 'must be a BGP community', community, fix);
  }
  const parts = community.split(':');
  if (parts.length === 1) return; // an alias
  if (parts.length === 2 && parts.every((p) => fitsUint(p, 65535))) return;
  if (parts.length === 4 && parts[0] === 'large' && parts.slice(1).every((p) => fitsUint(p, UINT32_MAX))) return;
  check.fail(prop, 'is not a standard or large BGP community', community, fix);
}
