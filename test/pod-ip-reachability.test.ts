import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, findAll, synthApp, synthChart, toYaml } from './util';
import {
  DEFAULT_IPV4_BLOCK_SIZE, DEFAULT_IPV6_BLOCK_SIZE, DEFAULT_NODE_TO_NODE_MESH, PodIpReachability, PodIpReachabilityProps,
} from '../src/calico/pod-ip-reachability';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';

const TOR_A = { peerIP: '192.168.1.1', asNumber: 64501, nodeSelector: { rack: 'a' } };
const TOR_B = { peerIP: '192.168.2.1', asNumber: 64502, nodeSelector: { rack: 'b' } };

function reach(chart: Chart, props: Partial<PodIpReachabilityProps> = {}): PodIpReachability {
  return new PodIpReachability(chart, 'PodIp', {
    podCidr: '10.244.0.0/16',
    asNumber: 64512,
    peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }],
    ...props,
  });
}

describe('PodIpReachability', () => {
  test('defaults: routable IPPool, BGPConfiguration "default" with the AS only, one global BGPPeer', () => {
    const chart = Testing.chart();
    const p = reach(chart);
    expect(DEFAULT_NODE_TO_NODE_MESH).toBe(true);
    expect(DEFAULT_IPV4_BLOCK_SIZE).toBe(26);
    expect(p.nodeToNodeMesh).toBe(true);
    expect(p.blockSize).toBe(26);
    expect(p.podCidr).toBe('10.244.0.0/16');
    expect(p.asNumber).toBe(64512);
    expect(p.advertiseServiceClusterIPs).toEqual([]);
    expect(p.advertiseServiceExternalIPs).toEqual([]);
    expect(p.advertiseServiceLoadBalancerIPs).toEqual([]);
    const docs = synthChart(chart);
    expect(docs).toHaveLength(3);
    const pool = find(docs, 'IPPool');
    expect(pool.apiVersion).toBe('projectcalico.org/v3');
    expect(pool.metadata.namespace).toBeUndefined();
    expect(pool.spec).toStrictEqual({ cidr: '10.244.0.0/16', ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false });
    const config = find(docs, 'BGPConfiguration', 'default');
    expect(config.apiVersion).toBe('projectcalico.org/v3');
    expect(config.spec).toStrictEqual({ asNumber: 64512 });
    expect(find(docs, 'BGPPeer').spec).toStrictEqual({ peerIP: '192.168.1.1', asNumber: 64501 });
    expect(p.accessPoints).toEqual([{
      origin: AccessOrigin.ROUTED_NETWORK,
      method: AccessMethod.POD_IP,
      host: '10.244.0.0/16',
      protocol: kplus.Protocol.TCP,
      hostLookupCommand: 'kubectl get pods -o wide',
      description: expect.stringContaining('192.168.1.1 (AS 64501)'),
    }]);
    expect(p.prerequisites).toEqual(expect.arrayContaining([
      expect.stringContaining('calicoctl node status'),
      expect.stringContaining('projectcalico.org/v3'),
    ]));
  });

  test('IPv6 pool: default block size 122', () => {
    const chart = Testing.chart();
    const p = reach(chart, { podCidr: 'fd00:10:244::/56', peers: [{ peerIP: 'fd00::1', asNumber: 64501 }] });
    expect(DEFAULT_IPV6_BLOCK_SIZE).toBe(122);
    expect(p.blockSize).toBe(122);
    expect(find(synthChart(chart), 'IPPool').spec.cidr).toBe('fd00:10:244::/56');
  });

  test('pins generated names and child ids', () => {
    const chart = Testing.chart();
    const p = reach(chart, { peers: [TOR_A, TOR_B] });
    expect(p.ipPool.node.id).toBe('Resource');
    expect(p.ipPool.name).toBe('test-podip-c89e0775');
    expect(p.bgpConfiguration.node.id).toBe('BgpConfiguration');
    expect(p.bgpConfiguration.name).toBe('default');
    expect(p.bgpPeers.map((x) => x.node.id)).toEqual(['Peer-192-168-1-1', 'Peer-192-168-2-1']);
    expect(p.bgpPeers.map((x) => x.name)).toEqual(['test-podip-peer-192-168-1-1-c82e153c', 'test-podip-peer-192-168-2-1-c812e13e']);
  });

  test('two top-of-rack routers, no full mesh, announced Service ranges of both families', () => {
    const chart = Testing.chart();
    const p = reach(chart, {
      // The IPv6 cluster-IP range needs an IPv6 session: Calico announces a family over sessions of that family.
      peers: [TOR_A, { ...TOR_B, nodeSelector: { 'rack': 'b', 'topology.kubernetes.io/zone': 'z1' }, name: 'tor-b' }, { peerIP: 'fd00:1::1', asNumber: 64501 }],
      nodeToNodeMesh: false,
      blockSize: 24,
      poolName: 'routable-pods',
      advertiseServiceClusterIPs: ['10.96.0.0/12', 'fd00:10:96::/112'],
      advertiseServiceExternalIPs: ['203.0.113.0/24'],
      advertiseServiceLoadBalancerIPs: ['192.168.9.0/24'],
    });
    const docs = synthChart(chart);
    expect(find(docs, 'IPPool', 'routable-pods').spec).toStrictEqual(
      { cidr: '10.244.0.0/16', blockSize: 24, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false });
    expect(find(docs, 'BGPConfiguration').spec).toStrictEqual({
      asNumber: 64512,
      nodeToNodeMeshEnabled: false,
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }, { cidr: 'fd00:10:96::/112' }],
      serviceExternalIPs: [{ cidr: '203.0.113.0/24' }],
      serviceLoadBalancerIPs: [{ cidr: '192.168.9.0/24' }],
    });
    expect(findAll(docs, 'BGPPeer').map((x) => x.spec)).toStrictEqual([
      { peerIP: '192.168.1.1', asNumber: 64501, nodeSelector: 'rack == \'a\'' },
      { peerIP: '192.168.2.1', asNumber: 64502, nodeSelector: 'rack == \'b\' && topology.kubernetes.io/zone == \'z1\'' },
      { peerIP: 'fd00:1::1', asNumber: 64501 },
    ]);
    // The peer given a name keeps it (the others are named after their address).
    expect(find(docs, 'BGPPeer', 'tor-b').spec.peerIP).toBe('192.168.2.1');
    expect(p.accessPoints.map((a) => [a.method, a.host])).toEqual([
      [AccessMethod.POD_IP, '10.244.0.0/16'],
      [AccessMethod.CLUSTER_IP, '10.96.0.0/12'],
      [AccessMethod.CLUSTER_IP, 'fd00:10:96::/112'],
      [AccessMethod.LOAD_BALANCER, '192.168.9.0/24'],
    ]);
  });

  test('one router may serve two racks whose selectors cannot both match', () => {
    const chart = Testing.chart();
    const p = reach(chart, { peers: [{ ...TOR_A, peerIP: '10.0.0.1' }, { ...TOR_B, peerIP: '10.0.0.1' }] });
    expect(p.bgpPeers.map((x) => x.node.id)).toEqual(['Peer-10-0-0-1', 'Peer-10-0-0-1-2']);
    expect(findAll(synthChart(chart), 'BGPPeer')).toHaveLength(2);
  });

  test('removes the chart namespace from the cluster-scoped objects', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'net', { namespace: 'network' });
    reach(chart);
    const docs = synthApp(app);
    expect(docs.map((d) => d.kind)).toEqual(['IPPool', 'BGPConfiguration', 'BGPPeer']);
    for (const doc of docs) {
      expect(doc.metadata.namespace).toBeUndefined();
    }
  });

  test('an unencapsulated pool without NAT, the cluster-wide BGP configuration and one peer per router (and the whole manifest)', () => {
    const chart = Testing.chart();
    reach(chart, { peers: [TOR_A, TOR_B], nodeToNodeMesh: false, advertiseServiceLoadBalancerIPs: ['192.168.9.0/24'] });
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['IPPool', 'BGPConfiguration', 'BGPPeer', 'BGPPeer']);
    // Routable pod IPs: no IP-in-IP or VXLAN, and the pods keep their own source address.
    expect(find(docs, 'IPPool').spec).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false });
    // Calico reads only the BGPConfiguration named `default` as the cluster-wide one.
    expect(find(docs, 'BGPConfiguration').metadata.name).toBe('default');
    expect(find(docs, 'BGPConfiguration').spec).toMatchObject({
      nodeToNodeMeshEnabled: false, serviceLoadBalancerIPs: [{ cidr: '192.168.9.0/24' }],
    });
    expect(findAll(docs, 'BGPPeer').map((x) => x.spec.peerIP)).toEqual(['192.168.1.1', '192.168.2.1']);
    expect(toYaml(docs)).toMatchSnapshot();
  });

  describe('bad input', () => {
    test('fails if podCidr is not a CIDR (full message format)', () => {
      const chart = Testing.chart();
      expect(() => reach(chart, { podCidr: '10.244.0.0' })).toThrow(
        '[test/PodIp] PodIpReachability: podCidr is not a valid CIDR; got "10.244.0.0". Use an IPv4 or IPv6 CIDR such as "10.244.0.0/16".');
    });

    test('fails if podCidr has host bits set', () => {
      const chart = Testing.chart();
      expect(() => reach(chart, { podCidr: '10.244.1.0/16' })).toThrow(
        /podCidr has host bits set beyond the prefix length; got "10\.244\.1\.0\/16"\. Use the network address "10\.244\.0\.0\/16"\./);
    });

    test('fails if podCidr overlaps the link-local range', () => {
      const chart = Testing.chart();
      expect(() => reach(chart, { podCidr: '169.254.0.0/20' })).toThrow(/podCidr overlaps the link-local range 169\.254\.0\.0\/16/);
    });

    test('fails if blockSize is outside 20-32 for an IPv4 pool', () => {
      expect(() => reach(Testing.chart(), { blockSize: 19 })).toThrow(
        /^\[test\/PodIp\] PodIpReachability: blockSize must be an integer within 20-32 for an IPv4 pool; got 19\. Omit blockSize for Calico's default \(\/26\)\./);
      expect(() => reach(Testing.chart(), { blockSize: 33 })).toThrow(/blockSize must be an integer within 20-32 for an IPv4 pool; got 33\./);
    });

    test('fails if blockSize is outside 116-128 for an IPv6 pool', () => {
      expect(() => reach(Testing.chart(), { podCidr: 'fd00:10:244::/56', peers: [{ peerIP: 'fd00::1', asNumber: 64501 }], blockSize: 112 }))
        .toThrow(/blockSize must be an integer within 116-128 for an IPv6 pool; got 112\./);
    });

    test('fails if a block is larger than the pool', () => {
      expect(() => reach(Testing.chart(), { podCidr: '10.244.0.0/24', blockSize: 22 })).toThrow(
        /blockSize makes a block \(\/22\) larger than the pool 10\.244\.0\.0\/24; got 22\. Use a block size of at least 24, or a larger podCidr\./);
    });

    test('fails if the pool is smaller than the default block', () => {
      expect(() => reach(Testing.chart(), { podCidr: '10.244.0.0/27' })).toThrow(
        /podCidr is smaller than one allocation block \(\/26\); got "10\.244\.0\.0\/27"\./);
    });

    test('fails if the cluster AS number is outside 1-2147483647 (the CRD int32)', () => {
      expect(() => reach(Testing.chart(), { asNumber: 0 })).toThrow(/asNumber must be an integer within 1-2147483647; got 0\./);
      expect(() => reach(Testing.chart(), { asNumber: 4294967296 })).toThrow(/asNumber must be an integer within 1-2147483647; got 4294967296\./);
      expect(() => reach(Testing.chart(), { asNumber: 64512.5 })).toThrow(/asNumber must be an integer/);
    });

    test('fails if a peer AS number is outside 1-2147483647 (the CRD int32)', () => {
      expect(() => reach(Testing.chart(), { peers: [{ peerIP: '192.168.1.1', asNumber: -1 }] })).toThrow(
        /peers\[0\]\.asNumber must be an integer within 1-2147483647; got -1\./);
    });

    test('fails if an announced Service range has no peer of its family (Calico announces a family over its own sessions)', () => {
      expect(() => reach(Testing.chart(), { advertiseServiceClusterIPs: ['10.96.0.0/12', 'fd00:10:96::/112'] })).toThrow(
        '[test/PodIp] PodIpReachability: advertiseServiceClusterIPs[1] is an IPv6 range, but no peer in peers is IPv6 and Calico announces IPv6 routes over IPv6 sessions only, so it is never announced; got "fd00:10:96::/112". Add an IPv6 peer to peers, or remove the range.');
      expect(() => reach(Testing.chart(), { advertiseServiceLoadBalancerIPs: ['2001:db8:9::/120'] })).toThrow(/advertiseServiceLoadBalancerIPs\[0\] is an IPv6 range, but no peer/);
    });

    test('fails if there are no peers', () => {
      expect(() => reach(Testing.chart(), { peers: [] })).toThrow(/peers must list at least one BGP peer; got \[\]\./);
    });

    test('fails if a peer IP is not an IP address', () => {
      expect(() => reach(Testing.chart(), { peers: [{ peerIP: '192.168.1.1:179', asNumber: 64501 }] })).toThrow(
        /peers\[0\]\.peerIP must be an IPv4 or IPv6 address \(no port, no prefix\); got "192\.168\.1\.1:179"\./);
      expect(() => reach(Testing.chart(), { peers: [{ peerIP: 'tor-a', asNumber: 64501 }] })).toThrow(/peers\[0\]\.peerIP must be an IPv4 or IPv6 address/);
    });

    test('fails if a peer is listed twice for the same nodes', () => {
      expect(() => reach(Testing.chart(), { peers: [TOR_A, { peerIP: '192.168.1.1', asNumber: 64501 }] })).toThrow(
        /peers\[1\]\.peerIP duplicates peers\[0\] for nodes both select; got "192\.168\.1\.1"\./);
      // Overlapping selectors (no shared key with different values) are duplicates too.
      expect(() => reach(Testing.chart(), { peers: [TOR_A, { ...TOR_A, nodeSelector: { zone: 'z1' } }] })).toThrow(/peers\[1\]\.peerIP duplicates peers\[0\]/);
    });

    test('fails if no peer has the pod CIDR\'s family', () => {
      expect(() => reach(Testing.chart(), { podCidr: 'fd00:10:244::/56' })).toThrow(
        /peers has no IPv6 peer, so the IPv6 pod routes would not be announced; got \["192\.168\.1\.1"\]\./);
    });

    test('fails if an announced range is not a CIDR or has host bits set', () => {
      expect(() => reach(Testing.chart(), { advertiseServiceClusterIPs: ['10.96.0.0'] })).toThrow(
        /advertiseServiceClusterIPs\[0\] is not a valid CIDR; got "10\.96\.0\.0"\./);
      expect(() => reach(Testing.chart(), { advertiseServiceLoadBalancerIPs: ['192.168.9.7/24'] })).toThrow(
        /advertiseServiceLoadBalancerIPs\[0\] has host bits set .*; got "192\.168\.9\.7\/24"\. Use the network address "192\.168\.9\.0\/24"\./);
      expect(() => reach(Testing.chart(), { advertiseServiceExternalIPs: ['banana'] })).toThrow(/advertiseServiceExternalIPs\[0\] is not a valid CIDR/);
    });

    test('fails if an announced range is listed twice', () => {
      expect(() => reach(Testing.chart(), { advertiseServiceClusterIPs: ['10.96.0.0/12', '10.96.0.0/12'] })).toThrow(
        /advertiseServiceClusterIPs\[1\] duplicates advertiseServiceClusterIPs\[0\]/);
    });

    test('fails if a node selector is empty or not made of labels', () => {
      expect(() => reach(Testing.chart(), { peers: [{ ...TOR_A, nodeSelector: {} }] })).toThrow(
        /peers\[0\]\.nodeSelector must have at least one label; got \{\}\. Omit nodeSelector to peer from every node/);
      expect(() => reach(Testing.chart(), { peers: [{ ...TOR_A, nodeSelector: { rack: 'a\' || all()' } }] })).toThrow(
        /peers\[0\]\.nodeSelector\[\"rack\"\] must be a label value/);
      expect(() => reach(Testing.chart(), { peers: [{ ...TOR_A, nodeSelector: { 'bad key': 'a' } }] })).toThrow(
        /peers\[0\]\.nodeSelector has a key that must have a name part/);
    });

    test('fails if a name is not a DNS-1123 subdomain or a peer name repeats', () => {
      expect(() => reach(Testing.chart(), { poolName: 'Pods_1' })).toThrow(/poolName must be a DNS-1123 subdomain .*; got "Pods_1"\./);
      expect(() => reach(Testing.chart(), { peers: [{ ...TOR_A, name: 'TOR' }] })).toThrow(/peers\[0\]\.name must be a DNS-1123 subdomain/);
      expect(() => reach(Testing.chart(), { peers: [{ ...TOR_A, name: 'tor' }, { ...TOR_B, name: 'tor' }] })).toThrow(
        /peers\[1\]\.name duplicates peers\[0\]\.name; got "tor"\./);
    });

    test('fails if two PodIpReachability share one App (one "default" BGPConfiguration per cluster)', () => {
      const app = Testing.app();
      reach(new Chart(app, 'a'));
      expect(() => reach(new Chart(app, 'b'))).toThrow(
        '[b/PodIp] PodIpReachability: BGPConfiguration "default" is already the name of the BGPConfiguration of [a/PodIp] (BGPConfiguration names are cluster-wide); got "default". Configure all peers and announced ranges in one PodIpReachability.');
    });

    test('fails if namespace is passed', () => {
      expect(() => reach(Testing.chart(), { namespace: 'kube-system' } as any)).toThrow(
        /namespace does not apply: BGPConfiguration, BGPPeer and IPPool are cluster-scoped; got "kube-system"\. Remove namespace\./);
    });
  });
});
