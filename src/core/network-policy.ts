/**
 * The `allowFrom` prop of the externally reachable patterns: peer checks shared by every pattern,
 * and the address ranges the ingress routes turn into an allow list at the controller. The
 * NetworkPolicy the Service and host-port patterns emit is built in src/policy/allow-from.ts.
 *
 * Kubernetes' own rules for the emitted fields (`ValidateIPBlock`, networking/validation):
 * `cidr` must be a CIDR, and every `except` entry a CIDR that is a STRICT subset of `cidr` (inside
 * it and with a longer prefix). This library also requires network CIDRs (host bits clear), so
 * that what is written is what is matched.
 */
import * as kplus from 'cdk8s-plus-27';
import { Checker } from './errors';
import { bitsOf, checkNetworkCidr, formatIp, parseCidr, ParsedCidr } from './net';

/** A port of the selected pods (after any Service/host-port translation). */
export interface PodPort {
  readonly port: number;
  readonly protocol: kplus.Protocol;
}

/** An `ipBlock` peer after the checks. */
export interface CheckedIpBlock {
  /** The CIDR as given. */
  readonly cidr: string;
  readonly parsed: ParsedCidr;
  /** The `except` CIDRs as given (empty when none). */
  readonly except: string[];
  readonly parsedExcept: ParsedCidr[];
}

/** One `allowFrom` peer after the checks: an `ipBlock` or a pod (and namespace) selection. */
export interface CheckedPeer {
  /** Its index in `allowFrom`, for messages. */
  readonly index: number;
  readonly peer: kplus.INetworkPolicyPeer;
  readonly ipBlock?: CheckedIpBlock;
  readonly podSelector?: kplus.PodSelectorConfig;
  /** A short text for messages, e.g. `ipBlock 203.0.113.0/24` or `pods app=web in namespace shop`. */
  readonly text: string;
}

/** Why the pods do not see the clients' own addresses: the refusal of `ipBlock` peers. */
export interface SourceIpLost {
  /** Completes "allowFrom[i] is an ipBlock, but ...". */
  readonly reason: string;
  /** The value that causes it, for the `got` part of the message. */
  readonly value: unknown;
  /** What to do instead. */
  readonly fix: string;
  /**
   * Completes "allowFrom[i] selects <pods>, but <reason>, ..." for pod and namespace peers.
   * @default - NetworkPolicy admits the node's own traffic, which is what the pods see
   */
  readonly peerEffect?: string;
}

/** What a Service pattern says of its clients' source address, for allowFrom's ipBlock refusal. */
export interface AllowFromPattern {
  /** Why ipBlock peers of `allowFrom` cannot work. @default - unless externalTrafficPolicy is LOCAL */
  readonly sourceIpLost?: SourceIpLost;
  /** A further way out of the ipBlock refusal (with the default reason). @default - none */
  readonly otherAllowFromFix?: string;
}

const EXAMPLE_PEER = 'kplus.NetworkPolicyIpBlock.ipv4(this, "Office", "203.0.113.0/24")';

/**
 * Checks the `allowFrom` list: at least one peer, each either an `ipBlock` with a network CIDR
 * (and `except` entries that are strict sub-networks of it) or a pod / namespace selection.
 * Returns undefined when `allowFrom` is not set.
 */
export function checkAllowFrom(check: Checker, allowFrom: kplus.INetworkPolicyPeer[] | undefined): CheckedPeer[] | undefined {
  if (allowFrom === undefined) return undefined;
  check.list('allowFrom', allowFrom, {
    noun: 'peer',
    minLength: 1,
    emptyReason: ' (an empty list would deny every source)',
    fix: `Omit allowFrom to leave traffic unrestricted, or list the peers, e.g. ${EXAMPLE_PEER}.`,
  });
  return allowFrom.map((peer, index) => checkPeer(check, peer, index));
}

function checkPeer(check: Checker, peer: kplus.INetworkPolicyPeer, index: number): CheckedPeer {
  const prop = `allowFrom[${index}]`;
  const config = peer !== null && typeof peer === 'object' && typeof peer.toNetworkPolicyPeerConfig === 'function'
    ? peer.toNetworkPolicyPeerConfig() : undefined;
  if (!config || (config.ipBlock === undefined) === (config.podSelector === undefined)) {
    return check.fail(prop, 'must be a network policy peer with either an ipBlock or a pod selector', peer === undefined ? undefined : String(peer),
      `Pass ${EXAMPLE_PEER}, kplus.Pods.select(...), kplus.Namespaces.select(...) or a workload.`);
  }
  if (config.podSelector) {
    return { index, peer, podSelector: config.podSelector, text: describePods(config.podSelector) };
  }
  const block = config.ipBlock!;
  const parsed = checkNetworkCidr(check, prop, block.cidr, '"203.0.113.0/24"');
  const except = block.except ?? [];
  const parsedExcept = except.map((text, e) => {
    const inner = parseCidr(text);
    if (!inner || inner.hostBitsSet || inner.family !== parsed.family || inner.prefix <= parsed.prefix
      || inner.first < parsed.first || inner.last > parsed.last) {
      check.fail(`${prop}.except[${e}]`, `must be a network CIDR strictly inside ${block.cidr} (a longer prefix of the same family)`, text,
        'List only sub-networks of the ipBlock\'s CIDR in except (Kubernetes refuses the others).');
    }
    return inner;
  });
  return {
    index,
    peer,
    ipBlock: { cidr: block.cidr, parsed, except: [...except], parsedExcept },
    text: `ipBlock ${block.cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`,
  };
}

/** The peers as short texts, for the `got` part of a message refusing `allowFrom` as a whole. */
export function describeAllowFrom(allowFrom: kplus.INetworkPolicyPeer[] | undefined): string[] | undefined {
  if (!Array.isArray(allowFrom)) return undefined;
  return allowFrom.map((peer) => {
    const config = peer !== null && typeof peer === 'object' && typeof peer.toNetworkPolicyPeerConfig === 'function'
      ? peer.toNetworkPolicyPeerConfig() : undefined;
    if (config?.ipBlock) {
      const except = config.ipBlock.except ?? [];
      return `ipBlock ${config.ipBlock.cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`;
    }
    return config?.podSelector ? describePods(config.podSelector) : String(peer);
  });
}

function describePods(config: kplus.PodSelectorConfig): string {
  const kube = (config.labelSelector as any)._toKube() as {
    matchLabels?: { [key: string]: string };
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const terms = [
    ...Object.entries(kube.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(kube.matchExpressions ?? []).map((x) => `${x.key} ${x.operator}${x.values ? ` (${x.values.join(',')})` : ''}`),
  ];
  const pods = terms.length === 0 ? 'every pod' : `pods ${terms.join(',')}`;
  const ns = config.namespaces;
  if (!ns) return `${pods} of the policy's namespace`;
  const nsKube = ns.labelSelector && !ns.labelSelector.isEmpty() ? (ns.labelSelector as any)._toKube() : undefined;
  const nsLabels = nsKube ? Object.entries(nsKube.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') : '';
  if (ns.names && ns.names.length > 0) return `${pods} in namespace ${ns.names.join(', ')}${nsLabels ? ` labelled ${nsLabels}` : ''}`;
  return nsKube ? `${pods} in namespaces labelled ${nsLabels || '(expressions)'}` : `${pods} in every namespace`;
}

/** True when the selector is (or wraps) a workload whose pods run on the node's network. */
export function selectsHostNetworkPods(pods: kplus.IPodSelector): boolean {
  const candidate = pods as any;
  return candidate?.hostNetwork === true || candidate?.workload?.hostNetwork === true;
}

/** The fixes for `allowFrom` on pods of the node's network, shared by every pattern that meets them. */
export const HOST_NETWORK_ALLOW_FROM_FIX = 'Use a HostPortApp (its pods keep their own network namespace, where the policy applies), '
  + 'or run the app as normal pods behind a NodePortService or MetalLbLoadBalancer with externalTrafficPolicy LOCAL and allowFrom, '
  + 'or restrict the port with a firewall on the nodes.';

/**
 * The networks of `block.cidr` left once its `except` networks are taken out, as the fewest
 * CIDRs (for an allow list that has no `except`). Splits the CIDR in halves until each half is
 * either free of the exceptions or wholly excepted.
 */
export function cidrWithout(block: CheckedIpBlock): string[] {
  const bits = bitsOf(block.parsed.family);
  const result: string[] = [];
  const visit = (first: bigint, prefix: number): void => {
    const last = first + 2n ** BigInt(bits - prefix) - 1n;
    const overlapping = block.parsedExcept.filter((e) => e.first <= last && first <= e.last);
    if (overlapping.length === 0) {
      result.push(`${formatIp(block.parsed.family, first)}/${prefix}`);
      return;
    }
    if (overlapping.some((e) => e.first <= first && last <= e.last)) return;
    const half = 2n ** BigInt(bits - prefix - 1);
    visit(first, prefix + 1);
    visit(first + half, prefix + 1);
  };
  visit(block.parsed.first, block.parsed.prefix);
  return result;
}
