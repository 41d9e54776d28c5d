/**
 * The address helpers every pattern shares (src/core/net.ts): families, addresses, CIDRs and
 * ranges, parsed strictly (what Kubernetes, MetalLB or Calico refuse is refused here).
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Checker } from '../src/core/errors';
import { bitsOf, checkNetworkCidr, formatIp, networkOf, parseCidr, parseIp, parseRange } from '../src/core/net';

describe('parseIp', () => {
  test.each([
    ['192.168.9.0', 4, 0xc0a80900n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::1', 6, 0x20010db8000000000000000000000001n],
    ['::ffff:192.168.0.1', 6, 0xffffc0a80001n],
    ['FE80::1', 6, 0xfe800000000000000000000000000001n],
  ])('reads %s as an IPv%d address', (text, family, value) => {
    expect(parseIp(text)).toStrictEqual({ family, value });
  });

  test.each([
    '', '192.168.9', '192.168.9.256', '192.168.09.1', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.4/32', 'fe80::1%eth0', '[::1]',
    '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '12345::', '::1.2.3', '1.2.3.4::', 'g::1',
  ])('refuses %p', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  test('refuses what is not a string', () => {
    for (const value of [undefined, null, 192, {}, ['1.2.3.4']]) expect(parseIp(value as any)).toBeUndefined();
  });
});

describe('address families', () => {
  test('an IPv4 address has 32 bits, an IPv6 address 128', () => {
    expect(bitsOf(4)).toBe(32);
    expect(bitsOf(6)).toBe(128);
  });

  test('an IPv4-mapped IPv6 address is IPv6', () => {
    expect(parseIp('::ffff:10.0.0.1')?.family).toBe(6);
  });
});

describe('parseCidr', () => {
  test('reads the prefix, the covered range and whether host bits are set', () => {
    expect(parseCidr('192.168.9.0/24')).toStrictEqual({
      family: 4, prefix: 24, address: 0xc0a80900n, first: 0xc0a80900n, last: 0xc0a809ffn, hostBitsSet: false,
    });
    expect(parseCidr('192.168.9.7/24')).toMatchObject({ first: 0xc0a80900n, last: 0xc0a809ffn, hostBitsSet: true });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ first: 0n, last: 0xffffffffn, hostBitsSet: false });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ family: 6, prefix: 32, hostBitsSet: false });
    expect(parseCidr('10.0.0.1/32')).toMatchObject({ first: 0x0a000001n, last: 0x0a000001n, hostBitsSet: false });
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/08', '10.0.0.0/', '/8', '10.0.0.0/8/8', 'x/8'])('refuses %p', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('parseRange', () => {
  test('reads a range of one family, spaces around the dash allowed', () => {
    expect(parseRange('192.168.9.10-192.168.9.20')).toStrictEqual({ family: 4, first: 0xc0a8090an, last: 0xc0a80914n });
    expect(parseRange('2001:db8::1 - 2001:db8::ff')).toMatchObject({ family: 6, first: 0x20010db8000000000000000000000001n });
    expect(parseRange('10.0.0.1-10.0.0.1')).toMatchObject({ first: 0x0a000001n, last: 0x0a000001n });
  });

  test('says why a range is refused: mixed families, reversed, or not a range', () => {
    expect(parseRange('10.0.0.1-::1')).toBe('mixed-families');
    expect(parseRange('10.0.0.9-10.0.0.1')).toBe('reversed');
    expect(parseRange('10.0.0.1')).toBeUndefined();
    expect(parseRange('10.0.0.1-10.0.0.2-10.0.0.3')).toBeUndefined();
    expect(parseRange(7 as any)).toBeUndefined();
  });
});

describe('formatIp and networkOf', () => {
  test.each([
    ['10.1.2.3', '10.1.2.3'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
  ])('writes %s as %s (RFC 5952)', (text, canonical) => {
    const ip = parseIp(text)!;
    expect(formatIp(ip.family, ip.value)).toBe(canonical);
  });

  test('networkOf clears the host bits', () => {
    expect(networkOf(parseCidr('192.168.9.7/24')!)).toBe('192.168.9.0/24');
    expect(networkOf(parseCidr('2001:db8::1/64')!)).toBe('2001:db8::/64');
  });
});

describe('checkNetworkCidr', () => {
  const check = new Checker(new Construct(Testing.chart(), 'Pool'), 'Pool');

  test('returns the parsed network', () => {
    expect(checkNetworkCidr(check, 'cidr', '10.0.0.0/8', '"10.0.0.0/8"')).toMatchObject({ family: 4, prefix: 8 });
  });

  test('fails if a CIDR is not one, or has host bits set, with the network address in the fix', () => {
    expect(() => checkNetworkCidr(check, 'cidr', '10.0.0.0', '"10.0.0.0/8"'))
      .toThrow('[test/Pool] Pool: cidr is not a valid CIDR; got "10.0.0.0". Use an IPv4 or IPv6 CIDR such as "10.0.0.0/8".');
    expect(() => checkNetworkCidr(check, 'cidr', '10.0.0.1/8', '"10.0.0.0/8"', ', or a range'))
      .toThrow('[test/Pool] Pool: cidr has host bits set beyond the prefix length; got "10.0.0.1/8". Use the network address "10.0.0.0/8", or a range.');
    expect(() => checkNetworkCidr(check, 'cidr', 8 as any, '"10.0.0.0/8"')).toThrow(/cidr is not a valid CIDR; got 8\./);
  });
});
