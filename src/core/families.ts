/**
 * Address families: what a list of addresses or ranges must cover, given the families an
 * exposure may end up with. A family can be implied rather than said: by pinned addresses, by
 * the addresses of the pool a Service draws from, by the cluster (a Service without
 * `ipFamilies` is single-stack in the cluster's primary family, unknown at synth time).
 *
 * The danger is one-sided: an allow list (`loadBalancerSourceRanges`) with no entry of a family
 * the Service has leaves that family open to every source (kube-proxy filters per family and
 * treats an empty list as "no filter"), while an entry of a family the exposure never has is
 * silently ignored. Announcements are the reverse: a BGP speaker announces a family only over
 * sessions of that family, so a range without a peer of its family is never announced.
 */
import { Checker } from './errors';
import { Family } from './net';
import { CheckedPeer } from './network-policy';

/** Both families, in the order messages list them. */
export const ALL_FAMILIES: readonly Family[] = [4, 6];

/** `IPv4` / `IPv6`. */
export function familyName(family: Family): string {
  return `IPv${family}`;
}

/** The families an exposure may end up with, and what implies them (for messages). */
export interface PossibleFamilies {
  readonly families: readonly Family[];
  /**
   * What decides them, completing "the Service ...", e.g. `has ipFamilies IPv4` or
   * `takes its address from pool "lan" (IPv4 only)`.
   */
  readonly source: string;
  /** True when the user chose them (ipFamilies, pinned addresses): no "say which" fix. */
  readonly explicit: boolean;
}

/** One entry of an address list, parsed. */
export interface FamilyEntry {
  readonly family: Family;
  readonly text: string;
}

/**
 * Refuses an allow list (`prop`, e.g. `loadBalancerSourceRanges`) that leaves a family the
 * exposure may have open, or lists a family it can never have (ignored, so not what it says).
 *
 * @param what what the family's address is, e.g. `load balancer IP`
 * @param familiesProp the prop that says the families, e.g. `ipFamilies`, for the fix
 */
export function checkAllowListCoversFamilies(check: Checker, prop: string, entries: readonly FamilyEntry[], possible: PossibleFamilies,
  what: string, familiesProp: string): void {
  entries.forEach((entry, i) => {
    if (!possible.families.includes(entry.family)) {
      check.fail(`${prop}[${i}]`, `is an ${familyName(entry.family)} range, but the Service ${possible.source}, so kube-proxy ignores it`, entry.text,
        'List ranges of the Service\'s families only.');
    }
  });
  const open = possible.families.find((f) => !entries.some((e) => e.family === f));
  if (open !== undefined) {
    const name = familyName(open);
    check.fail(prop, `has no ${name} range, but the Service ${possible.source}: kube-proxy would let every ${name} source reach its ${name} ${what}`,
      entries.map((e) => e.text), `Add the allowed ${name} client networks${possible.explicit ? '' : `, or set ${familiesProp} to the families the Service has`}.`);
  }
}

/**
 * Refuses address ranges (`prop`) that a BGP speaker would never announce: the speaker only
 * announces a family over sessions of that family, and no peer is of that family.
 *
 * @param speaker who announces, e.g. `Calico`
 * @param peersProp where the peers are listed, for the fix
 */
export function checkAnnouncedFamilies(check: Checker, prop: string, entries: readonly FamilyEntry[], peerFamilies: readonly Family[],
  speaker: string, peersProp: string): void {
  entries.forEach((entry, i) => {
    if (!peerFamilies.includes(entry.family)) {
      const name = familyName(entry.family);
      check.fail(`${prop}[${i}]`, `is an ${name} range, but no peer in ${peersProp} is ${name} and ${speaker} announces ${name} routes over ${name} sessions only, so it is never announced`,
        entry.text, `Add an ${name} peer to ${peersProp}, or remove the range.`);
    }
  });
}

/**
 * Refuses `allowFrom` ipBlocks of a family the exposure never has: they can never match one of
 * its clients, so the list does not say what it does.
 */
export function checkIpBlockFamilies(check: Checker, peers: readonly CheckedPeer[] | undefined, possible: PossibleFamilies): void {
  for (const peer of peers ?? []) {
    const family = peer.ipBlock?.parsed.family;
    if (family !== undefined && !possible.families.includes(family)) {
      check.fail(`allowFrom[${peer.index}]`, `is an ${familyName(family)} ipBlock, but the Service ${possible.source}, so it never matches a client`,
        peer.ipBlock!.cidr, 'Allow client networks of the Service\'s families only.');
    }
  }
}
