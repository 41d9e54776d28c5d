import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, findAll, synthApp, synthChart, toYaml, validateTree } from './util';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import {
  DEFAULT_METALLB_AUTO_ASSIGN, DEFAULT_METALLB_AVOID_BUGGY_IPS, DEFAULT_METALLB_NAMESPACE, MetalLbAddressPool,
  MetalLbAddressPoolProps, MetalLbAdvertisement, MetalLbAnnouncementMode, MetalLbBgpPeer,
} from '../src/metallb/metallb-pool';

const ROUTER: MetalLbBgpPeer = { peerAddress: '192.168.0.1', peerASN: 64500, myASN: 64501 };

function pool(props: Partial<MetalLbAddressPoolProps> = {}, chart: Chart = Testing.chart(), id = 'Pool') {
  return new MetalLbAddressPool(chart, id, { addresses: ['192.168.9.0/24'], ...props });
}

function bgp(peers: MetalLbBgpPeer[], extra: Omit<Parameters<typeof MetalLbAdvertisement.bgp>[0], 'peers'> = {}) {
  return MetalLbAdvertisement.bgp({ peers, ...extra });
}

/** The construct call must fail with exactly `[test/Pool] MetalLbAddressPool: <rest>`. */
function expectPoolError(props: Partial<MetalLbAddressPoolProps>, rest: string | RegExp) {
  const call = () => pool(props);
  if (typeof rest === 'string') {
    expect(call).toThrow(`[test/Pool] MetalLbAddressPool: ${rest}`);
  } else {
    expect(call).toThrow(rest);
  }
}

describe('MetalLbAddressPool', () => {
  test('defaults: metallb-system, L2 from every node, autoAssign false written, avoidBuggyIPs not written', () => {
    const chart = Testing.chart();
    const p = pool({}, chart);
    expect(DEFAULT_METALLB_NAMESPACE).toBe('metallb-system');
    expect(DEFAULT_METALLB_AUTO_ASSIGN).toBe(false);
    expect(DEFAULT_METALLB_AVOID_BUGGY_IPS).toBe(false);
    expect(p.metallbNamespace).toBe('metallb-system');
    expect(p.autoAssign).toBe(false);
    expect(p.avoidBuggyIPs).toBe(false);
    expect(p.addresses).toEqual(['192.168.9.0/24']);
    expect(p.advertisement.mode).toBe(MetalLbAnnouncementMode.L2);
    expect(p.advertisement.l2Options).toEqual({});
    expect(p.bgpAdvertisement).toBeUndefined();
    expect(p.bgpPeers).toEqual([]);
    expect(p.bgpPeerNames).toEqual([]);

    const docs = synthChart(chart);
    expect(docs).toHaveLength(2);
    const ipPool = find(docs, 'IPAddressPool');
    expect(ipPool.apiVersion).toBe('metallb.io/v1beta1');
    expect(ipPool.metadata).toEqual({ name: p.poolName, namespace: 'metallb-system' });
    expect(ipPool.spec).toStrictEqual({ addresses: ['192.168.9.0/24'], autoAssign: false });
    const l2 = find(docs, 'L2Advertisement');
    expect(l2.metadata.namespace).toBe('metallb-system');
    expect(l2.spec).toStrictEqual({ ipAddressPools: [p.poolName] });
  });

  test('pins generated names', () => {
    const chart = Testing.chart();
    const p = pool({}, chart);
    expect(p.poolName).toBe('test-pool-c86b8e90');
    expect(p.ipAddressPool.node.id).toBe('Resource');
    expect(p.l2Advertisement!.node.id).toBe('L2Advertisement');
    expect(p.l2Advertisement!.name).toBe('test-pool-l2advertisement-c8fb96cb');
    const b = pool({ addresses: ['10.0.0.0/24'], advertisement: bgp([ROUTER]) }, chart, 'Bgp');
    expect(b.bgpAdvertisement!.node.id).toBe('BgpAdvertisement');
    expect(b.bgpPeers.map((x) => x.node.id)).toEqual(['BgpPeer0']);
    expect(b.bgpPeerNames).toEqual(['test-bgp-bgppeer0-c86047ed']);
  });

  test('writes the options: name, autoAssign true (not written), avoidBuggyIPs, IPv6 and ranges', () => {
    const chart = Testing.chart();
    const p = pool({
      name: 'lan-pool',
      autoAssign: true,
      avoidBuggyIPs: true,
      metallbNamespace: 'lb',
      addresses: ['192.168.9.0/24', '2001:db8:9::/120', '192.168.10.10-192.168.10.20', '2001:db8:a::1-2001:db8:a::ff'],
    }, chart);
    expect(p.poolName).toBe('lan-pool');
    const docs = synthChart(chart);
    expect(find(docs, 'IPAddressPool', 'lan-pool').metadata.namespace).toBe('lb');
    expect(find(docs, 'IPAddressPool', 'lan-pool').spec).toStrictEqual({
      addresses: ['192.168.9.0/24', '2001:db8:9::/120', '192.168.10.10-192.168.10.20', '2001:db8:a::1-2001:db8:a::ff'],
      avoidBuggyIPs: true,
    });
    expect(find(docs, 'L2Advertisement').spec).toStrictEqual({ ipAddressPools: ['lan-pool'] });
  });

  test('keeps its objects in the MetalLB namespace whatever the chart namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web', { namespace: 'web' });
    pool({}, chart);
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['IPAddressPool', 'L2Advertisement']);
    for (const doc of docs) {
      expect(doc.metadata.namespace).toBe('metallb-system');
    }
  });

  test('L2: interfaces and node selectors scoped to the pool', () => {
    const chart = Testing.chart();
    pool({
      name: 'lan',
      advertisement: MetalLbAdvertisement.l2({
        interfaces: ['eth0', 'enp1s0'],
        nodeSelectors: [
          kplus.LabelSelector.of({ labels: { 'kubernetes.io/hostname': 'optiplex-2' } }),
          kplus.LabelSelector.of({ expressions: [kplus.LabelExpression.in('node-role.example.com/lb', ['true', 'yes'])] }),
        ],
      }),
    }, chart);
    expect(find(synthChart(chart), 'L2Advertisement').spec).toStrictEqual({
      ipAddressPools: ['lan'],
      interfaces: ['eth0', 'enp1s0'],
      nodeSelectors: [
        { matchLabels: { 'kubernetes.io/hostname': 'optiplex-2' } },
        { matchExpressions: [{ key: 'node-role.example.com/lb', operator: 'In', values: ['true', 'yes'] }] },
      ],
    });
  });

  test('BGP: a v1beta2 BGPPeer per peer and a BGPAdvertisement scoped to the pool and its peers', () => {
    const chart = Testing.chart();
    const p = pool({
      name: 'public',
      addresses: ['198.51.100.0/26'],
      advertisement: bgp([
        { ...ROUTER, nodeSelectors: [kplus.LabelSelector.of({ labels: { rack: 'a' } })], passwordSecretName: 'bgp-auth' },
        { peerAddress: '2001:DB8::0:1', peerASN: 64501, myASN: 64501 },
      ], {
        nodeSelectors: [kplus.LabelSelector.of({ labels: { edge: 'true' } })],
        communities: ['64500:100', 'large:64500:1:2', 'no-advertise'],
        localPref: 150,
      }),
    }, chart);
    expect(p.advertisement.mode).toBe(MetalLbAnnouncementMode.BGP);
    expect(p.l2Advertisement).toBeUndefined();
    const docs = synthChart(chart);
    expect(findAll(docs, 'L2Advertisement')).toEqual([]);
    const peers = findAll(docs, 'BGPPeer');
    expect(peers.map((d) => d.apiVersion)).toEqual(['metallb.io/v1beta2', 'metallb.io/v1beta2']);
    expect(peers.map((d) => d.metadata.name)).toEqual(p.bgpPeerNames);
    expect(peers[0].spec).toStrictEqual({
      peerAddress: '192.168.0.1',
      peerASN: 64500,
      myASN: 64501,
      nodeSelectors: [{ matchLabels: { rack: 'a' } }],
      passwordSecret: { name: 'bgp-auth', namespace: 'metallb-system' },
    });
    expect(peers[1].spec).toStrictEqual({ peerAddress: '2001:db8::1', peerASN: 64501, myASN: 64501 });
    expect(find(docs, 'BGPAdvertisement').spec).toStrictEqual({
      ipAddressPools: ['public'],
      peers: p.bgpPeerNames,
      nodeSelectors: [{ matchLabels: { edge: 'true' } }],
      communities: ['64500:100', 'large:64500:1:2', 'no-advertise'],
      localPref: 150,
    });
    expect(toYaml(docs)).toMatchSnapshot();
  });

  test('BGP: two pools announcing to one router share its BGPPeer', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const first = pool({ addresses: ['198.51.100.0/27'], advertisement: bgp([ROUTER]) }, a);
    const second = pool({ addresses: ['198.51.100.32/27'], advertisement: bgp([{ ...ROUTER }]) }, b);
    expect(second.bgpPeers).toEqual([]);
    expect(second.bgpPeerNames).toEqual(first.bgpPeerNames);
    const docs = synthApp(app);
    expect(findAll(docs, 'BGPPeer')).toHaveLength(1);
    expect(findAll(docs, 'BGPAdvertisement').map((d) => d.spec.peers)).toEqual([first.bgpPeerNames, first.bgpPeerNames]);
  });

  test('accepts adjacent pools in one App', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    pool({ addresses: ['192.168.9.0/25'] }, chart, 'Low');
    pool({ addresses: ['192.168.9.128-192.168.9.255', '2001:db8::/64'] }, chart, 'High');
    pool({ addresses: ['2001:db8:0:1::/64'] }, chart, 'V6');
    expect(findAll(synthApp(app), 'IPAddressPool')).toHaveLength(3);
  });

  // --- bad input ---------------------------------------------------------------------------

  test('fails if addresses is empty', () => {
    expectPoolError({ addresses: [] },
      'addresses must list at least one CIDR or range; got []. Give the addresses MetalLB may hand out, e.g. ["192.168.9.0/24"].');
  });

  test('fails if an address cannot be parsed', () => {
    expectPoolError({ addresses: ['192.168.9.0/33'] }, 'addresses[0] is not a valid CIDR; got "192.168.9.0/33". ');
    expectPoolError({ addresses: ['10.0.0.0/8', 'lan'] }, 'addresses[1] must be a CIDR or a first-last range, not a single address; got "lan". ');
    expectPoolError({ addresses: ['10.0.0.1-10.0.0'] }, 'addresses[0] is not a valid first-last range; got "10.0.0.1-10.0.0". ');
  });

  test('fails if an address is a single IP', () => {
    expectPoolError({ addresses: ['192.168.9.7'] },
      'addresses[0] must be a CIDR or a first-last range, not a single address; got "192.168.9.7". Use "192.168.9.7/32" for a single address.');
  });

  test('fails if a CIDR has host bits set', () => {
    expectPoolError({ addresses: ['192.168.9.1/24'] },
      'addresses[0] has host bits set beyond the prefix length; got "192.168.9.1/24". Use the network address "192.168.9.0/24", or a first-last range for part of the network.');
  });

  test('fails if a range is reversed', () => {
    expectPoolError({ addresses: ['192.168.9.20-192.168.9.10'] },
      'addresses[0] is a range whose first address is after its last; got "192.168.9.20-192.168.9.10". Write the range as "<first>-<last>" with first <= last.');
  });

  test('fails if a range mixes families', () => {
    expectPoolError({ addresses: ['192.168.9.10-2001:db8::1'] }, 'addresses[0] mixes an IPv4 and an IPv6 address in one range; got "192.168.9.10-2001:db8::1". ');
  });

  test('fails if two addresses of the pool overlap', () => {
    expectPoolError({ addresses: ['192.168.9.0/24', '10.0.0.0/8', '192.168.9.200-192.168.10.5'] },
      'addresses[2] overlaps addresses[0] ("192.168.9.0/24"); got "192.168.9.200-192.168.10.5". List each address once: merge the overlapping entries or remove one.');
  });

  test('fails if pools of one App overlap (checked at synth, across charts)', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    pool({ name: 'lan', addresses: ['192.168.9.0/24'] }, a);
    pool({ addresses: ['10.0.0.0/8'] }, b, 'Other');
    pool({ name: 'lan2', addresses: ['2001:db8::/64', '192.168.9.128/25'] }, b);
    expect(() => validateTree(app)).toThrow(
      '[b/Pool] MetalLbAddressPool: addresses[1] overlaps "192.168.9.0/24" of the pool [a/Pool] ("lan"); got "192.168.9.128/25". '
      + 'MetalLB rejects its whole configuration when two pools overlap: give each pool its own addresses.');
  });

  test('fails if pools overlap, many pools (one sort per App)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    for (let i = 0; i < 500; i++) {
      pool({ addresses: [`10.${Math.floor(i / 256)}.${i % 256}.0/24`] }, chart, `P${i}`);
    }
    pool({ addresses: ['10.1.3.128-10.1.3.130'] }, chart, 'Late');
    expect(() => validateTree(app)).toThrow(/\[c\/Late\] MetalLbAddressPool: addresses\[0\] overlaps "10\.1\.3\.0\/24" of the pool \[c\/P259\]/);
  });

  test('fails if metallbNamespace is not a DNS label', () => {
    expectPoolError({ metallbNamespace: 'MetalLB' },
      /^\[test\/Pool\] MetalLbAddressPool: metallbNamespace must be a DNS-1123 label .*; got "MetalLB"\. Use the namespace MetalLB is installed in \(usually "metallb-system"\)\.$/);
  });

  test('fails if the pool name is invalid', () => {
    expectPoolError({ name: 'Lan_Pool' }, /^\[test\/Pool\] MetalLbAddressPool: name must be a DNS-1123 subdomain .*; got "Lan_Pool"\. /);
  });

  test('fails if two pools of the App have one name in one namespace', () => {
    const app = Testing.app();
    pool({ name: 'lan' }, new Chart(app, 'a'));
    expect(() => pool({ name: 'lan', addresses: ['10.0.0.0/24'] }, new Chart(app, 'b'))).toThrow(
      '[b/Pool] MetalLbAddressPool: name is already the name of the IPAddressPool of [a/Pool] in namespace "metallb-system"; got "lan". '
      + 'Give each IPAddressPool of a namespace its own name (kubectl apply would let the second overwrite the first): '
      + 'pick another name, or omit it to let cdk8s derive one from the construct path.');
    expect(() => pool({ name: 'lan', addresses: ['10.0.1.0/24'], metallbNamespace: 'other' }, new Chart(app, 'c'))).not.toThrow();
  });

  test('fails if a BGP pool has no peers', () => {
    expectPoolError({ advertisement: bgp([]) }, 'advertisement.peers must list at least one BGP peer; got []. ');
  });

  test('fails if an ASN is outside 1-4294967295', () => {
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerASN: 0 }]) },
      'advertisement.peers[0].peerASN must be an integer within 1-4294967295; got 0. Use your AS number; private ASNs are 64512-65534 and 4200000000-4294967294.');
    expectPoolError({ advertisement: bgp([{ ...ROUTER, myASN: 4294967296 }]) }, 'advertisement.peers[0].myASN must be an integer within 1-4294967295; got 4294967296. ');
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerASN: 645.5 }]) }, 'advertisement.peers[0].peerASN must be an integer within 1-4294967295; got 645.5. ');
  });

  test('accepts the extreme ASNs', () => {
    expect(() => pool({ advertisement: bgp([{ peerAddress: '192.168.0.1', peerASN: 4294967295, myASN: 1 }]) })).not.toThrow();
  });

  test('fails if a peer address is not an IP', () => {
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerAddress: 'router.lan' }]) },
      'advertisement.peers[0].peerAddress must be an IPv4 or IPv6 address; got "router.lan". Use the router\'s address, e.g. "192.168.0.1".');
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerAddress: '192.168.0.1/32' }]) }, 'advertisement.peers[0].peerAddress must be an IPv4 or IPv6 address; got "192.168.0.1/32". ');
  });

  test('fails if a pool lists one router twice', () => {
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerAddress: '2001:db8::1' }, { ...ROUTER, peerAddress: '2001:DB8:0::1' }]) },
      'advertisement.peers[1].peerAddress duplicates advertisement.peers[0]; got "2001:DB8:0::1". List each router once.');
  });

  test('fails if two pools declare one router with other settings', () => {
    const app = Testing.app();
    pool({ advertisement: bgp([ROUTER]) }, new Chart(app, 'a'));
    expect(() => pool({ addresses: ['10.0.0.0/24'], advertisement: bgp([{ ...ROUTER, peerASN: 64502 }]) }, new Chart(app, 'b'))).toThrow(
      '[b/Pool] MetalLbAddressPool: advertisement.peers[0].peerAddress is already declared by [a/Pool/BgpPeer0] with other settings; '
      + 'MetalLB refuses two BGPPeers for one router; got "192.168.0.1". Declare the peer with the same peerASN, myASN, nodeSelectors and passwordSecretName in every pool.');
  });

  test('fails if peers of one MetalLB namespace use different local ASNs', () => {
    const app = Testing.app();
    pool({ advertisement: bgp([ROUTER]) }, new Chart(app, 'a'));
    expect(() => pool({ addresses: ['10.0.0.0/24'], advertisement: bgp([{ peerAddress: '192.168.0.2', peerASN: 64500, myASN: 64999 }]) }, new Chart(app, 'b')))
      .toThrow('[b/Pool] MetalLbAddressPool: advertisement.peers[0].myASN differs from myASN 64501 of [a/Pool]; MetalLB\'s FRR modes need one local ASN per MetalLB installation; got 64999. Use myASN 64501 for every peer.');
  });

  test('fails if a community is invalid or repeated', () => {
    expectPoolError({ advertisement: bgp([ROUTER], { communities: ['65536:1'] }) },
      'advertisement.communities[0] is not a standard or large BGP community; got "65536:1". Use "<0-65535>:<0-65535>", "large:<uint32>:<uint32>:<uint32>", or the name of an alias from a MetalLB Community resource.');
    expectPoolError({ advertisement: bgp([ROUTER], { communities: ['1:2:3'] }) }, 'advertisement.communities[0] is not a standard or large BGP community; got "1:2:3". ');
    expectPoolError({ advertisement: bgp([ROUTER], { communities: ['large:1:2:4294967296'] }) }, 'advertisement.communities[0] is not a standard or large BGP community; got "large:1:2:4294967296". ');
    expectPoolError({ advertisement: bgp([ROUTER], { communities: ['64500:1', '64500:1'] }) },
      'advertisement.communities[1] duplicates advertisement.communities[0], which MetalLB refuses; got "64500:1". List each community once.');
  });

  test('fails if localPref is out of range or no peer is iBGP', () => {
    expectPoolError({ advertisement: bgp([ROUTER], { localPref: 100 }) },
      'advertisement.localPref is only sent to iBGP peers (peerASN equal to myASN), and no peer of this pool is one; got 100. Remove localPref, or use communities to influence eBGP peers.');
    expectPoolError({ advertisement: bgp([{ ...ROUTER, peerASN: 64501 }], { localPref: -1 }) },
      'advertisement.localPref must be an integer within 0-2147483647; got -1. ');
  });

  test('fails if an L2 interface is invalid', () => {
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ interfaces: ['eth 0'] }) },
      'advertisement.interfaces[0] must be a network interface name (1-15 characters, no whitespace, \'/\' or \':\'); got "eth 0". ');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ interfaces: ['a-very-long-interface0'] }) }, 'advertisement.interfaces[0] must be a network interface name');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ interfaces: ['eth0', 'eth0'] }) }, 'advertisement.interfaces[1] duplicates advertisement.interfaces[0]; got "eth0". ');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ interfaces: [] }) }, 'advertisement.interfaces must list at least one interface; got []. Omit advertisement.interfaces to announce from every interface.');
  });

  test('fails if node selectors are empty, invalid or repeated', () => {
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [] }) },
      'advertisement.nodeSelectors must list at least one selector; got []. Omit advertisement.nodeSelectors to select every node.');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [kplus.LabelSelector.of({})] }) },
      'advertisement.nodeSelectors[0] is empty and would select every node; got "{}". ');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [kplus.LabelSelector.of({ labels: { 'bad key!': 'x' } })] }) },
      /advertisement\.nodeSelectors\[0\]\.labels has a key that must have a name part .*; got "bad key!"\. /);
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [kplus.LabelSelector.of({ labels: { zone: 'a b' } })] }) },
      /advertisement\.nodeSelectors\[0\]\.labels\["zone"\] must be a label value .*; got "a b"\. /);
    const rack = () => kplus.LabelSelector.of({ labels: { rack: 'a' } });
    expectPoolError({ advertisement: bgp([{ ...ROUTER, nodeSelectors: [rack(), rack()] }]) },
      'advertisement.peers[0].nodeSelectors[1] duplicates advertisement.peers[0].nodeSelectors[0], which MetalLB refuses; ');
    expectPoolError({ advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [kplus.LabelSelector.of({ expressions: [kplus.LabelExpression.in('rack', [])] })] }) },
      'advertisement.nodeSelectors[0].expressions[0].values must not be empty for operator In; got []. ');
  });
});

describe('MetalLbAdvertisement.none(): allocation only, announced by another component', () => {
  test('emits the IPAddressPool alone: no L2Advertisement, BGPAdvertisement or BGPPeer', () => {
    const chart = Testing.chart();
    const p = pool({ name: 'routed', addresses: ['192.168.10.0/24', '2001:db8:10::/120'], advertisement: MetalLbAdvertisement.none() }, chart);
    expect(p.advertisement.mode).toBe(MetalLbAnnouncementMode.NONE);
    expect(p.advertisement.l2Options).toBeUndefined();
    expect(p.advertisement.bgpOptions).toBeUndefined();
    expect(p.l2Advertisement).toBeUndefined();
    expect(p.bgpAdvertisement).toBeUndefined();
    expect(p.bgpPeers).toEqual([]);
    expect(p.bgpPeerNames).toEqual([]);
    expect(p.node.children.map((c) => c.node.id)).toEqual(['Resource']);

    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['IPAddressPool']);
    const ipPool = find(docs, 'IPAddressPool', 'routed');
    expect(ipPool.metadata).toEqual({ name: 'routed', namespace: 'metallb-system' });
    expect(ipPool.spec).toStrictEqual({ addresses: ['192.168.10.0/24', '2001:db8:10::/120'], autoAssign: false });
  });

  test('keeps the defaults: L2 unless none() is asked for, and the pool defaults apply to none() too', () => {
    expect(MetalLbAnnouncementMode.NONE).toBe('None');
    const chart = Testing.chart();
    const byDefault = pool({}, chart, 'Default');
    const allocationOnly = pool({ addresses: ['192.168.10.0/24'], advertisement: MetalLbAdvertisement.none() }, chart, 'Routed');
    expect(byDefault.advertisement.mode).toBe(MetalLbAnnouncementMode.L2);
    expect(byDefault.l2Advertisement).toBeDefined();
    expect(allocationOnly.autoAssign).toBe(DEFAULT_METALLB_AUTO_ASSIGN);
    expect(allocationOnly.avoidBuggyIPs).toBe(DEFAULT_METALLB_AVOID_BUGGY_IPS);
    expect(allocationOnly.metallbNamespace).toBe(DEFAULT_METALLB_NAMESPACE);
    expect(allocationOnly.poolName).toBe('test-routed-c8b84db7');
    const docs = synthChart(chart);
    expect(findAll(docs, 'IPAddressPool').map((d) => d.metadata.name)).toEqual([byDefault.poolName, allocationOnly.poolName]);
    expect(findAll(docs, 'L2Advertisement').map((d) => d.spec)).toStrictEqual([{ ipAddressPools: [byDefault.poolName] }]);
  });

  test('MetalLbLoadBalancer says that another component announces the address', () => {
    const chart = Testing.chart();
    const routed = pool({ name: 'routed', addresses: ['192.168.10.0/24'], advertisement: MetalLbAdvertisement.none() }, chart);
    const svc = new MetalLbLoadBalancer(chart, 'Web', {
      name: 'web',
      selector: kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } }),
      ports: [{ port: 80 }],
      pool: routed,
      loadBalancerIPs: ['192.168.10.10'],
    });
    expect(svc.accessPoints).toEqual([expect.objectContaining({
      host: '192.168.10.10',
      port: 80,
      description: 'The load balancer IP 192.168.10.10 (pinned, from pool "routed"; MetalLB only allocates it: announced by another component '
        + '(e.g. Calico BGP), not by MetalLB), port 80/TCP, forwarded to the pods\' port 80.',
    })]);
    expect(svc.prerequisites).toEqual([
      'MetalLB installed in namespace "metallb-system" (its controller allocates the address; no MetalLB speaker announces this pool): https://metallb.io/installation/',
      'Another component announcing the addresses of the allocation-only pool "routed" (192.168.10.0/24), e.g. Calico BGP with serviceLoadBalancerIPs '
        + 'covering them (PodIpReachability advertiseServiceLoadBalancerIPs); without one the load balancer IP is allocated but unreachable',
      'MetalLB v0.14.9 or later (reads the metallb.io/* Service annotations; use annotationStyle LEGACY for older releases)',
    ]);
    const docs = synthChart(chart);
    expect(find(docs, 'Service', 'web').metadata.annotations).toEqual({
      'metallb.io/address-pool': 'routed',
      'metallb.io/loadBalancerIPs': '192.168.10.10',
    });
  });

  test('MetalLbLoadBalancer keeps the MetalLB wording for an announced pool', () => {
    const chart = Testing.chart();
    const svc = new MetalLbLoadBalancer(chart, 'Web', {
      selector: kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } }),
      ports: [{ port: 80 }],
      pool: pool({ name: 'lan' }, chart),
    });
    expect(svc.accessPoints[0].description).toContain('(assigned from pool "lan"; announced in L2 mode)');
    expect(svc.prerequisites[0]).toBe('MetalLB installed (controller and speakers) in namespace "metallb-system": https://metallb.io/installation/');
    expect(svc.prerequisites.join('\n')).not.toContain('allocation-only');
  });

  test('fails if an allocation-only pool overlaps another pool of the App', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    pool({ addresses: ['192.168.9.0/24'] }, chart, 'Lan');
    pool({ addresses: ['192.168.9.128/25'], advertisement: MetalLbAdvertisement.none() }, chart, 'Routed');
    expect(() => validateTree(app)).toThrow('[c/Routed] MetalLbAddressPool: addresses[0] overlaps "192.168.9.0/24" of the pool [c/Lan] ("c-lan-c8c0c959"); '
      + 'got "192.168.9.128/25". MetalLB rejects its whole configuration when two pools overlap: give each pool its own addresses.');
  });

  test('fails if a load balancer IP is outside the allocation-only pool', () => {
    const chart = Testing.chart();
    const routed = pool({ name: 'routed', addresses: ['192.168.10.0/24'], advertisement: MetalLbAdvertisement.none() }, chart);
    expect(() => new MetalLbLoadBalancer(chart, 'Web', {
      selector: kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } }),
      ports: [{ port: 80 }],
      pool: routed,
      loadBalancerIPs: ['192.168.9.10'],
    })).toThrow('[test/Web] MetalLbLoadBalancer: loadBalancerIPs[0] is not in the pool "routed" (192.168.10.0/24), so the Service would stay <pending>; got "192.168.9.10". ');
  });

  test('fails if advertisement is not built by a MetalLbAdvertisement factory', () => {
    expectPoolError({ advertisement: { mode: MetalLbAnnouncementMode.NONE } as unknown as MetalLbAdvertisement },
      'advertisement must be a MetalLbAdvertisement; got {"mode":"None"}. Build it with MetalLbAdvertisement.l2(), bgp() or none().');
  });
});
