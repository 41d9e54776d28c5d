/**
 * What a LoadBalancer pattern hands to the `LoadBalancerServiceBase` (internal: not exported from
 * the package).
 */
import type { IpFamily } from './load-balancer-base';
import { PossibleFamilies } from '../core/families';
import { Family } from '../core/net';
import { AllowFromPattern } from '../core/network-policy';

const FAMILY_OF: { [family: number]: string } = { 4: 'IPv4', 6: 'IPv6' };

/** The `IpFamily` of an address family (4 or 6). */
export function ipFamilyOf(family: Family): IpFamily {
  return FAMILY_OF[family] as IpFamily;
}

/** The address family (4 or 6) of an `IpFamily`. */
export function familyOf(ipFamily: IpFamily): Family {
  return ipFamily === 'IPv6' ? 6 : 4;
}

/** What a LoadBalancer pattern chooses before its Service is built (with what it says of clients' source addresses). */
export interface LoadBalancerShape extends AllowFromPattern {
  /** The pattern's own annotations (a user annotation of the same key is refused). */
  readonly annotations: { [key: string]: string };
  /** The families when `ipFamilies` is not given. */
  readonly defaultIpFamilies?: IpFamily[];
  /** `allocateLoadBalancerNodePorts` when not given. */
  readonly defaultAllocateNodePorts: boolean;
  /**
   * The families the pattern's own props imply when `ipFamilies` is not given (pinned addresses,
   * the addresses of its pool); undefined leaves them to the cluster (either, at synth time).
   */
  readonly impliedFamilies?: PossibleFamilies;
  /** What the pattern adds to the `externalTrafficPolicy: Local` note of its load balancer points. */
  readonly localTrafficNote?: string;
  /** Checks of the resolved families against the pattern's own props (pinned addresses, pool). */
  readonly checkFamilies?: (families: IpFamily[] | undefined) => void;
  /** The fix of an invalid `loadBalancerClass`: which classes the implementation serves. */
  readonly loadBalancerClassFix: string;
  /** The fix when the user annotates a key the pattern writes. */
  readonly ownAnnotationFix: string;
}

