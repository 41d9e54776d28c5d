/**
 * BGP rules shared by the patterns that configure BGP speakers (MetalLB, Calico).
 */
import { UINT32_MAX } from './crd-limits';
import { Checker } from './errors';

/** The lowest and highest 4-byte AS numbers (0 is reserved, and MetalLB reads it as "missing"). */
export const MIN_ASN = 1;
export const MAX_ASN = UINT32_MAX;

/** Throws unless `asn` is an integer AS number (1-4294967295). */
export function checkAsn(check: Checker, prop: string, asn: number): number {
  return check.integer(prop, asn, { min: MIN_ASN, max: MAX_ASN },
    'Use your AS number; private ASNs are 64512-65534 and 4200000000-4294967294.');
}
