/**
 * The NetworkPolicy behind `allowFrom` (src/core/network-policy.ts), through the patterns that
 * emit it: peers in other namespaces, IPv6, the pods' ports, and Kubernetes' ipBlock rules.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, findAll, synthChart } from './util';
import { Checker } from '../src/core/errors';
import { cidrWithout, checkAllowFrom } from '../src/core/network-policy';
import { HostPortApp } from '../src/host/host-port';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { NodePortService, NodePortServiceProps } from '../src/service/node-port';
import { ExternalTrafficPolicy } from '../src/service/service-vocabulary';

function pods(chart: Chart, id = 'Web') {
  return kplus.Pods.select(chart, `${id}Pods`, { labels: { app: 'web' } });
}

function nodePort(chart: Chart, props: Partial<NodePortServiceProps>, id = 'Web') {
  return new NodePortService(chart, id, {
    selector: pods(chart, id),
    ports: [{ port: 80, targetPort: 8080 }],
    externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    ...props,
  });
}

describe('allowFrom NetworkPolicy', () => {
  test('admits pods of other namespaces, namespaces by label and workloads of other charts, each on the pods\' ports', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web', { namespace: 'web' });
    const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
    const scraper = new kplus.Deployment(monitoring, 'Scraper', { containers: [{ image: 'prom/prometheus', portNumber: 9090 }] });
    const svc = new NodePortService(chart, 'Web', {
      selector: kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } }),
      // Local: with Cluster, outside clients would arrive with a node's address, which the policy admits.
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 8080, name: 'alt' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
      allowFrom: [
        kplus.Pods.select(chart, 'Gateway', { labels: { app: 'gateway' } }),
        kplus.Pods.select(chart, 'Ops', { labels: { app: 'agent' }, namespaces: kplus.Namespaces.select(chart, 'OpsNs', { labels: { team: 'ops' } }) }),
        kplus.Namespaces.select(chart, 'Shop', { names: ['shop', 'billing'] }),
        scraper,
      ],
    });
    const docs = synthChart(chart);
    const policy = find(docs, 'NetworkPolicy');
    expect(policy.metadata).toStrictEqual({ name: svc.networkPolicy!.name, namespace: 'web' });
    // Port 80 and 8080 both target container port 8080: listed once.
    const ports = [{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }];
    expect(policy.spec).toStrictEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports },
        { from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'agent' } } }], ports },
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: {} },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } }, podSelector: {} },
          ],
          ports,
        },
        {
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: scraper.matchLabels },
          }],
          ports,
        },
      ],
    });
  });

  test('IPv6 ipBlocks with except, next to IPv4, on a dual-stack load balancer', () => {
    const chart = Testing.chart();
    const svc = new MetalLbLoadBalancer(chart, 'Web', {
      namespace: 'web',
      selector: pods(chart),
      ports: [{ port: 443, targetPort: 8443 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      loadBalancerIPs: ['192.168.9.10', '2001:db8:9::10'],
      allowFrom: [
        kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '192.168.0.0/16', ['192.168.66.0/24']),
        kplus.NetworkPolicyIpBlock.ipv6(chart, 'LanV6', '2001:db8::/32', ['2001:db8:bad::/48']),
      ],
    });
    const policy = find(synthChart(chart), 'NetworkPolicy');
    expect(policy.metadata.namespace).toBe('web');
    expect(policy.spec.ingress).toStrictEqual([
      { from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.66.0/24'] } }], ports: [{ port: 8443, protocol: 'TCP' }] },
      { from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:bad::/48'] } }], ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
    expect(svc.networkPolicy!.node.id).toBe('AllowFrom');
  });

  test('a HostPortApp\'s policy admits on the container port (after the node\'s DNAT), SCTP included', () => {
    const chart = Testing.chart();
    new HostPortApp(chart, 'Sip', {
      image: 'example/sip',
      ports: [{ containerPort: 5060, hostPort: 15060, name: 'sip', protocol: kplus.Protocol.SCTP }, { containerPort: 8080, hostPort: 80, name: 'http' }],
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Carrier', '198.51.100.0/24')],
    });
    const policy = find(synthChart(chart), 'NetworkPolicy');
    expect(policy.metadata.namespace).toBeUndefined(); // follows the chart, like the workload
    expect(policy.spec.ingress).toStrictEqual([{
      from: [{ ipBlock: { cidr: '198.51.100.0/24' } }],
      ports: [{ port: 5060, protocol: 'SCTP' }, { port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('one policy per construct; none without allowFrom', () => {
    const chart = Testing.chart();
    nodePort(chart, { allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '10.0.0.0/8')] }, 'A');
    nodePort(chart, { ports: [{ port: 81, targetPort: 8081 }] }, 'B');
    expect(findAll(synthChart(chart), 'NetworkPolicy')).toHaveLength(1);
  });

  describe('fails if', () => {
    test('fails if an except entry is not strictly inside the ipBlock (Kubernetes requires a longer prefix)', () => {
      const chart = Testing.chart();
      const block = (id: string, except: string[]) => [kplus.NetworkPolicyIpBlock.ipv4(chart, `${id}Block`, '203.0.113.0/24', except)];
      expect(() => nodePort(chart, { allowFrom: block('Same', ['203.0.113.0/24']) }, 'Same')).toThrow(
        '[test/Same] NodePortService: allowFrom[0].except[0] must be a network CIDR strictly inside 203.0.113.0/24 (a longer prefix of the same family); '
        + 'got "203.0.113.0/24". List only sub-networks of the ipBlock\'s CIDR in except (Kubernetes refuses the others).');
      expect(() => nodePort(chart, { allowFrom: block('Outside', ['198.51.100.0/25']) }, 'Outside'))
        .toThrow(/allowFrom\[0\]\.except\[0\] must be a network CIDR strictly inside 203\.0\.113\.0\/24 .*; got "198\.51\.100\.0\/25"\./);
      expect(() => nodePort(chart, { allowFrom: block('Wider', ['203.0.0.0/16']) }, 'Wider'))
        .toThrow(/allowFrom\[0\]\.except\[0\] must be a network CIDR strictly inside .*; got "203\.0\.0\.0\/16"\./);
      expect(() => nodePort(chart, { allowFrom: block('HostBits', ['203.0.113.0/25', '203.0.113.129/25']) }, 'HostBits'))
        .toThrow(/allowFrom\[0\]\.except\[1\] must be a network CIDR strictly inside .*; got "203\.0\.113\.129\/25"\./);
    });

    test('fails if an IPv6 ipBlock has host bits set, or an except of the other family', () => {
      const chart = Testing.chart();
      expect(() => nodePort(chart, { allowFrom: [kplus.NetworkPolicyIpBlock.ipv6(chart, 'V6', '2001:db8::1/64')] })).toThrow(
        '[test/Web] NodePortService: allowFrom[0] has host bits set beyond the prefix length; got "2001:db8::1/64". Use the network address "2001:db8::/64".');
      expect(() => nodePort(chart, { allowFrom: [kplus.NetworkPolicyIpBlock.ipv6(chart, 'MixedBlock', '2001:db8::/32', ['10.0.0.0/8'])] }, 'Mixed'))
        .toThrow(/^\[test\/Mixed\] NodePortService: allowFrom\[0\]\.except\[0\] must be a network CIDR strictly inside 2001:db8::\/32 .*; got "10\.0\.0\.0\/8"\./);
    });

    test('fails if a peer is neither an ipBlock nor a pod selection (JavaScript callers)', () => {
      const chart = Testing.chart();
      expect(() => nodePort(chart, { allowFrom: ['10.0.0.0/8' as any] })).toThrow(
        '[test/Web] NodePortService: allowFrom[0] must be a network policy peer with either an ipBlock or a pod selector; got "10.0.0.0/8". '
        + 'Pass kplus.NetworkPolicyIpBlock.ipv4(this, "Office", "203.0.113.0/24"), kplus.Pods.select(...), kplus.Namespaces.select(...) or a workload.');
      const empty = { node: chart.node, toNetworkPolicyPeerConfig: () => ({}), toPodSelector: () => undefined } as any;
      expect(() => nodePort(chart, { allowFrom: [empty] }, 'Empty')).toThrow(/^\[test\/Empty\] NodePortService: allowFrom\[0\] must be a network policy peer/);
    });

    test('fails if an ipBlock comes with externalTrafficPolicy Cluster even after pod peers', () => {
      const chart = Testing.chart();
      expect(() => nodePort(chart, {
        externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER,
        allowFrom: [kplus.Pods.select(chart, 'Gateway', { labels: { app: 'gateway' } }), kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24')],
      })).toThrow('[test/Web] NodePortService: allowFrom[1] is an ipBlock, but with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s; got "Cluster".');
    });
  });
});

describe('cidrWithout (the ranges offered instead of except)', () => {
  const check = new Checker(Testing.chart(), 'Test');
  const without = (cidr: string, except: string[]) => {
    const [peer] = checkAllowFrom(check, [kplus.NetworkPolicyIpBlock[cidr.includes(':') ? 'ipv6' : 'ipv4'](Testing.chart(), 'X', cidr, except)])!;
    return cidrWithout(peer.ipBlock!);
  };

  test('takes each excepted network out with the fewest CIDRs', () => {
    expect(without('10.0.0.0/8', [])).toEqual(['10.0.0.0/8']);
    expect(without('10.0.0.0/8', ['10.0.0.0/9'])).toEqual(['10.128.0.0/9']);
    expect(without('10.0.0.0/30', ['10.0.0.2/32'])).toEqual(['10.0.0.0/31', '10.0.0.3/32']);
    expect(without('2001:db8::/32', ['2001:db8:8000::/33'])).toEqual(['2001:db8::/33']);
  });

  test('covers exactly the addresses of the CIDR outside the exceptions', () => {
    const ranges = without('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
    const size = (cidr: string) => 2 ** (32 - Number(cidr.split('/')[1]));
    expect(ranges.reduce((sum, r) => sum + size(r), 0)).toBe(2 ** 32 - 2 ** 24 - 2 ** 20 - 2 ** 16);
    expect(ranges).toContain('11.0.0.0/8');
    expect(ranges).not.toContain('10.0.0.0/8');
    expect(ranges.some((r) => r.startsWith('10.') || r.startsWith('192.168.'))).toBe(false);
  });
});
