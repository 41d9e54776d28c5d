import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Checker } from './errors';
import { parseCidr } from './net';

/** A port of the selected pods (after any Service/host-port translation). */
export interface PodPort {
  readonly port: number;
  readonly protocol: kplus.Protocol;
}

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
  /**
   * Why client source IPs do not reach the pods, when they don't (e.g. `externalTrafficPolicy`
   * Cluster): `ipBlock` peers are then refused with this reason and fix.
   */
  readonly sourceIpLost?: { readonly reason: string; readonly fix: string; readonly value: unknown };
}

/**
 * The NetworkPolicy behind every pattern's `allowFrom`: admits only the given peers, on only the
 * exposed ports, to the selected pods (all other ingress to them is denied by the policy's
 * isolation). Returns undefined when `allowFrom` is not set: no policy, nothing changes.
 */
export function allowFromPolicy(options: AllowFromOptions): kplus.NetworkPolicy | undefined {
  const { check, allowFrom } = options;
  if (allowFrom === undefined) return undefined;
  if (!Array.isArray(allowFrom) || allowFrom.length === 0) {
    check.fail('allowFrom', 'must list at least one peer (an empty list would deny every source)', allowFrom,
      'Omit allowFrom to leave traffic unrestricted, or list the peers, e.g. kplus.NetworkPolicyIpBlock.ipv4(this, "Office", "203.0.113.0/24").');
  }
  allowFrom.forEach((peer, i): void => {
    const config = peer.toNetworkPolicyPeerConfig();
    if (config.ipBlock) {
      const cidr = parseCidr(config.ipBlock.cidr);
      if (cidr === undefined || cidr.hostBitsSet) {
        return check.fail(`allowFrom[${i}]`, 'must be an ipBlock with a network CIDR', config.ipBlock.cidr,
          'Use a CIDR whose host bits are zero, e.g. "203.0.113.0/24".');
      }
      for (const except of config.ipBlock.except ?? []) {
        const inner = parseCidr(except);
        if (!inner || inner.hostBitsSet || inner.family !== cidr.family || inner.first < cidr.first || inner.last > cidr.last) {
          check.fail(`allowFrom[${i}].except`, `must be network CIDRs inside ${config.ipBlock.cidr}`, except,
            'List only sub-ranges of the ipBlock\'s CIDR in except.');
        }
      }
      if (options.sourceIpLost) {
        check.fail(`allowFrom[${i}]`, `is an ipBlock, but ${options.sourceIpLost.reason}`, options.sourceIpLost.value,
          options.sourceIpLost.fix);
      }
    }
  });
  const policy = new kplus.NetworkPolicy(options.scope, 'AllowFrom', {
    metadata: options.metadataNamespace === undefined ? undefined : { namespace: options.metadataNamespace },
    selector: options.pods,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const ports = options.ports.map((p) => kplus.NetworkPolicyPort.of({ port: p.port, protocol: networkPolicyProtocol(p.protocol) }));
  for (const peer of allowFrom) {
    policy.addIngressRule(peer, ports);
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
