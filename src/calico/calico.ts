/**
 * Calico rules (projectcalico/calico v3.32) that the projectcalico.org/v3 API enforces for the
 * fields PodIpReachability emits:
 * - IPPool (`libcalico-go/lib/validator/v3/validator.go`, `validateIPPoolSpec`): the CIDR must be
 *   strictly masked, must not overlap the link-local ranges 169.254.0.0/16 and fe80::/10, and
 *   must hold at least one block (prefix <= blockSize). Block sizes: 20-32 for IPv4 and
 *   116-128 for IPv6, default 26 / 122 (docs.tigera.io/calico/latest/reference/resources/ippool).
 * - BGPConfiguration service CIDRs (`ServiceClusterIPBlock` etc., `validate:"omitempty,net"`):
 *   correctly masked networks of either family.
 * - Selectors (`libcalico-go/lib/selector/tokenizer/tokenizer.go`): label keys
 *   `[a-zA-Z0-9_./-]{1,512}`, string literals in single quotes.
 */
import { Checker } from '../core/errors';
import { ParsedCidr, parseCidr } from '../core/net';

/** Allowed block sizes per family. */
export const BLOCK_SIZE_LIMITS: { [family: number]: { min: number; max: number } } = {
  4: { min: 20, max: 32 },
  6: { min: 116, max: 128 },
};

/** The link-local networks an IPPool must not overlap. */
const LINK_LOCAL: { [family: number]: string } = { 4: '169.254.0.0/16', 6: 'fe80::/10' };

/** The longest selector the BGPPeer CRD accepts (`nodeSelector` maxLength). */
export const MAX_SELECTOR_LENGTH = 4096;

/** True when two CIDRs of one family share an address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Refuses a pool that overlaps the link-local range of its family. */
export function checkNotLinkLocal(check: Checker, prop: string, value: string, cidr: ParsedCidr): void {
  const linkLocal = parseCidr(LINK_LOCAL[cidr.family])!;
  if (cidrsOverlap(cidr, linkLocal)) {
    check.fail(prop, `overlaps the link-local range ${LINK_LOCAL[cidr.family]}, which Calico refuses for an IP pool`, value,
      'Pick a private range such as 10.244.0.0/16.');
  }
}

/**
 * Renders equality labels as a Calico selector: `k1 == 'v1' && k2 == 'v2'` (keys sorted, so
 * the output is stable). Keys and values must be Kubernetes label keys and values, which also
 * keeps them inside Calico's label-key characters and free of quotes.
 */
export function calicoSelector(check: Checker, prop: string, labels: { [key: string]: string }): string {
  check.labelMap(prop, labels, {
    map: 'Pass e.g. { rack: "a" }.',
    key: 'Use a Kubernetes node label key, e.g. "topology.kubernetes.io/zone".',
    value: 'Use a node label value, e.g. "rack-a".',
  });
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) {
    check.fail(prop, 'must have at least one label', labels, 'Omit nodeSelector to peer from every node, or give e.g. { rack: "a" }.');
  }
  const terms = keys.map((key) => `${key} == '${labels[key]}'`);
  const selector = terms.join(' && ');
  if (selector.length > MAX_SELECTOR_LENGTH) {
    check.fail(prop, `renders to a selector longer than ${MAX_SELECTOR_LENGTH} characters`, labels, 'Select nodes with fewer labels.');
  }
  return selector;
}
