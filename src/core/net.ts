/* eslint-disable no-bitwise */ // address arithmetic on bigints
/**
 * IP address, CIDR and range parsing shared by every pattern. Strict on purpose: what Kubernetes,
 * MetalLB or Calico would refuse (leading zeros in IPv4 octets, zones, brackets) is refused here.
 */
import { Checker } from './errors';

/** An IP address family. */
export type Family = 4 | 6;

export interface ParsedIp {
  readonly family: Family;
  readonly value: bigint;
}

export interface ParsedCidr {
  readonly family: Family;
  readonly prefix: number;
  /** The address as written. */
  readonly address: bigint;
  /** First and last address covered. */
  readonly first: bigint;
  readonly last: bigint;
  /** True when bits beyond the prefix are set (e.g. 10.0.0.1/24). */
  readonly hostBitsSet: boolean;
}

export interface ParsedRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) + BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // An embedded IPv4 address ends the address: only the last group of the last part may be one.
  const toGroups = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.includes('.')) {
        // An embedded IPv4 address is only allowed as the last item.
        if (!last || i !== items.length - 1) return undefined;
        const v4 = parseIpv4(item);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        groups.push(parseInt(item, 16));
      }
    }
    return groups;
  };
  const head = toGroups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? toGroups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n);
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIp(text: string): ParsedIp | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** The number of bits in an address of the family. */
export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128;
}

/** Parses `address/prefix`; undefined when it is not a CIDR. */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = bitsOf(ip.family);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const first = ip.value & ~hostMask;
  return { family: ip.family, prefix, address: ip.value, first, last: first | hostMask, hostBitsSet: (ip.value & hostMask) !== 0n };
}

/** Parses `first-last` (both addresses of one family, first <= last); undefined when it is not a range. */
export function parseRange(text: string): ParsedRange | 'mixed-families' | 'reversed' | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('-');
  if (parts.length !== 2) return undefined;
  const first = parseIp(parts[0].trim());
  const last = parseIp(parts[1].trim());
  if (!first || !last) return undefined;
  if (first.family !== last.family) return 'mixed-families';
  if (first.value > last.value) return 'reversed';
  return { family: first.family, first: first.value, last: last.value };
}

/** Formats an address back to text (IPv6 in its canonical compressed form). */
export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  }
  // Longest run of two or more zero groups is compressed (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The CIDR with its host bits cleared, as text (the fix to suggest for `hostBitsSet`). */
export function networkOf(cidr: ParsedCidr): string {
  return `${formatIp(cidr.family, cidr.first)}/${cidr.prefix}`;
}

/**
 * Parses a CIDR that must be a network address (host bits clear), or throws the library's
 * error: the one check behind every CIDR prop (pools, source ranges, ipBlocks, Calico CIDRs).
 *
 * @param example the CIDR(s) to suggest, quoted, e.g. `"192.168.0.0/16"`
 * @param hostBitsFix what to add to the network-address fix, e.g. `, or a first-last range`
 */
export function checkNetworkCidr(check: Checker, prop: string, value: string, example: string, hostBitsFix = ''): ParsedCidr {
  const cidr = parseCidr(value);
  if (cidr === undefined) {
    return check.fail(prop, 'is not a valid CIDR', value, `Use an IPv4 or IPv6 CIDR such as ${example}.`);
  }
  if (cidr.hostBitsSet) {
    check.fail(prop, 'has host bits set beyond the prefix length', value, `Use the network address "${networkOf(cidr)}"${hostBitsFix}.`);
  }
  return cidr;
}
