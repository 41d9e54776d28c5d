/**
 * The NetworkPolicy behind `allowFrom` of the Service and host-port patterns, with the profile
 * rule that it is enforced. Loaded on first use (./lazy.ts): an App that sets no `allowFrom`
 * loads neither this module nor the profile rules.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { Checker } from '../core/errors';
import { checkIpBlockFamilies, PossibleFamilies } from '../core/families';
import { checkAllowFrom, HOST_NETWORK_ALLOW_FROM_FIX, PodPort, selectsHostNetworkPods, SourceIpLost } from '../core/network-policy';
import { validateNetworkPolicyEnforced } from '../profile/profile-rules';

/** What `allowFromPolicy` needs. */
export interface AllowFromOptions {
  readonly scope: Construct;
  readonly check: Checker;
  /** The `allowFrom` prop as given. */
  readonly allowFrom?: kplus.INetworkPolicyPeer[];
  /** The pods the policy protects. */
  readonly pods: kplus.IPodSelector;
  /** The policy's `metadata.namespace` (the pattern's explicit namespace). */
  readonly metadataNamespace?: string;
  /** The pods' ports the exposure reaches. */
  readonly ports: PodPort[];
  /** The families the exposure may have: an ipBlock of another family is refused (it never matches). */
  readonly families?: PossibleFamilies;
  /**
   * Why client source IPs do not reach the pods, when they don't (e.g. `externalTrafficPolicy`
   * Cluster): every peer is then refused with this reason and fix (an `ipBlock` never matches
   * the client; a pod or namespace peer does not keep outside clients out, who arrive with a node's
   * address, and NetworkPolicy admits the traffic of the pod's own node).
   */
  readonly sourceIpLost?: SourceIpLost;
}

/**
 * The NetworkPolicy behind every pattern's `allowFrom`: admits only the given peers, on only the
 * exposed ports, to the selected pods (all other ingress to them is denied by the policy's
 * isolation). Returns undefined when `allowFrom` is not set: no policy, nothing changes.
 */
export function allowFromPolicy(options: AllowFromOptions): kplus.NetworkPolicy | undefined {
  const { check, allowFrom } = options;
  const peers = checkAllowFrom(check, allowFrom);
  if (peers === undefined) return undefined;
  if (selectsHostNetworkPods(options.pods)) {
    check.fail('allowFrom', 'cannot protect the selected pods: they run on the node\'s network (hostNetwork), and most CNIs do not apply NetworkPolicy to such pods',
      peers.map((p) => p.text), HOST_NETWORK_ALLOW_FROM_FIX);
  }
  if (options.sourceIpLost) {
    // An ipBlock never matches the client; a pod or namespace peer never keeps it out: NetworkPolicy
    // admits the traffic of the pod's own node, and a node IP is what the pods see.
    const ipBlock = peers.find((p) => p.ipBlock !== undefined);
    const first = ipBlock ?? peers[0];
    check.fail(`allowFrom[${first.index}]`, first.ipBlock
      ? `is an ipBlock, but ${options.sourceIpLost.reason}`
      : `selects ${first.text}, but ${options.sourceIpLost.reason}, ${options.sourceIpLost.peerEffect ?? 'which NetworkPolicy admits as the node\'s own traffic: outside clients would not be kept out'}`,
    options.sourceIpLost.value, options.sourceIpLost.fix);
  }
  if (options.families) checkIpBlockFamilies(check, peers, options.families);
  const policy = new kplus.NetworkPolicy(options.scope, 'AllowFrom', {
    metadata: options.metadataNamespace === undefined ? undefined : { namespace: options.metadataNamespace },
    selector: options.pods,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  claimObjectName(check, 'allowFrom', ApiObject.of(policy), DERIVED_NAME_FIX);
  validateNetworkPolicyEnforced(check, peers.map((p) => p.text));
  // Two Service ports may target one container port: list each pod port once.
  const seen = new Set<string>();
  const ports = options.ports.filter((p) => {
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((p) => kplus.NetworkPolicyPort.of({ port: p.port, protocol: networkPolicyProtocol(p.protocol) }));
  for (const peer of peers) {
    policy.addIngressRule(peer.peer, ports);
  }
  return policy;
}

function networkPolicyProtocol(protocol: kplus.Protocol): kplus.NetworkProtocol {
  switch (protocol) {
    case kplus.Protocol.UDP: return kplus.NetworkProtocol.UDP;
    case kplus.Protocol.SCTP: return kplus.NetworkProtocol.SCTP;
    default: return kplus.NetworkProtocol.TCP;
  }
}
