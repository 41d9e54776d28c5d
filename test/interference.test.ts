import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { synthApp, validateTree } from './util';
import { PodIpReachability, PodIpReachabilityProps } from '../src/calico/pod-ip-reachability';
import { HostNetworkApp } from '../src/host/host-network';
import { HostPortApp } from '../src/host/host-port';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';
import { NodePortService } from '../src/service/node-port';

function twoCharts() {
  const app = Testing.app();
  return { app, a: new Chart(app, 'a'), b: new Chart(app, 'b') };
}

const hostPort = (chart: Chart, port: number, protocol?: kplus.Protocol) =>
  new HostPortApp(chart, 'Agent', { image: 'agent', ports: [{ containerPort: 8080, hostPort: port, protocol }] });
const nodePort = (chart: Chart, port: number, protocol?: kplus.Protocol) =>
  new NodePortService(chart, 'Web', { selector: kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } }), ports: [{ port: 80, nodePort: port, protocol }] });

describe('patterns that interfere inside one App', () => {
  describe('a host port equal to a node port', () => {
    test('fails if a host port is a node port of the App (host app second)', () => {
      const { a, b } = twoCharts();
      nodePort(a, 30080);
      expect(() => hostPort(b, 30080)).toThrow(
        '[b/Agent] HostPortApp: ports[0].hostPort takes 30080/TCP, which [a/Web] (NodePortService) already opens on the nodes as a nodePort: '
        + 'kube-proxy\'s node port rules (ports[0].nodePort of [a/Web] (NodePortService)) would take the traffic meant for the host port (ports[0].hostPort of this app); got 30080. Pick another host port');
    });

    test('fails if a node port is a host port of the App (Service second, hostNetwork)', () => {
      const { a, b } = twoCharts();
      new HostNetworkApp(a, 'Proxy', { image: 'proxy', ports: [{ port: 30090 }] });
      expect(() => nodePort(b, 30090)).toThrow(/^\[b\/Web\] NodePortService: ports\[0\]\.nodePort takes 30090\/TCP, which \[a\/Proxy\] \(HostNetworkApp\) already opens on the nodes as a hostPort: .*; got 30090\. Pick another nodePort/);
    });

    test('another protocol or another port does not interfere', () => {
      const { app, a, b } = twoCharts();
      nodePort(a, 30080);
      hostPort(b, 30080, kplus.Protocol.UDP);
      new HostPortApp(b, 'Other', { image: 'agent', ports: [{ containerPort: 8080, hostPort: 30081 }] });
      expect(() => synthApp(app)).not.toThrow();
    });
  });

  describe('MetalLB and Calico BGP peers on one router', () => {
    const calico = (chart: Chart, props: Partial<PodIpReachabilityProps> = {}) => new PodIpReachability(chart, 'PodIp', {
      podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.0.1', asNumber: 64500 }], ...props,
    });
    const metallb = (chart: Chart, nodeSelectors?: kplus.LabelSelector[]) => new MetalLbAddressPool(chart, 'Pool', {
      addresses: ['192.168.9.0/24'],
      advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '192.168.0.1', peerASN: 64500, myASN: 64512, nodeSelectors }] }),
    });

    test('fails if MetalLB peers with a router Calico already peers with', () => {
      const { a, b } = twoCharts();
      calico(a);
      expect(() => metallb(b)).toThrow(
        '[b/Pool] MetalLbAddressPool: advertisement.peers[0].peerAddress peers with router 192.168.0.1, which Calico already peers with (peers[0].peerIP of [a/PodIp], PodIpReachability) from nodes both may use; '
        + 'a router keeps one BGP session per pair of hosts and rejects the second speaker\'s as a duplicate; got "192.168.0.1". Let Calico announce the pool');
    });

    test('fails if Calico peers with a router MetalLB already peers with (any spelling of the address)', () => {
      const { a, b } = twoCharts();
      new MetalLbAddressPool(a, 'Pool', {
        addresses: ['2001:db8:9::/120'],
        advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '2001:db8::1', peerASN: 64500, myASN: 64512 }] }),
      });
      expect(() => calico(b, { podCidr: 'fd00:10:244::/56', peers: [{ peerIP: '2001:DB8:0::1', asNumber: 64500 }] })).toThrow(
        /^\[b\/PodIp\] PodIpReachability: peers\[0\]\.peerIP peers with router 2001:db8::1, which MetalLB already peers with \(advertisement\.peers\[0\]\.peerAddress of \[a\/Pool\], MetalLbAddressPool\)/);
    });

    test('peers from provably disjoint nodes do not interfere', () => {
      const { app, a, b } = twoCharts();
      calico(a, { peers: [{ peerIP: '192.168.0.1', asNumber: 64500, nodeSelector: { role: 'compute' } }] });
      metallb(b, [kplus.LabelSelector.of({ labels: { role: 'edge' } })]);
      expect(() => synthApp(app)).not.toThrow();
    });
  });

  describe('a MetalLB pool that nothing announces', () => {
    const allocationOnly = (chart: Chart, addresses = ['192.168.9.0/24']) =>
      new MetalLbAddressPool(chart, 'Pool', { addresses, advertisement: MetalLbAdvertisement.none() });
    const calico = (chart: Chart, advertiseServiceLoadBalancerIPs?: string[]) => new PodIpReachability(chart, 'PodIp', {
      podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.0.1', asNumber: 64500 }], advertiseServiceLoadBalancerIPs,
    });

    test('fails if an allocation-only pool lies outside what the App\'s Calico announces (pool first)', () => {
      const { app, a, b } = twoCharts();
      allocationOnly(a, ['192.168.9.0/25', '192.168.10.0/24']);
      calico(b, ['192.168.9.0/24']);
      expect(() => validateTree(app)).toThrow(
        '[a/Pool] MetalLbAddressPool: addresses[1] is in a pool that MetalLB does not announce (MetalLbAdvertisement.none()), and outside the LoadBalancer IPs that [b/PodIp] (PodIpReachability) announces '
        + '(advertiseServiceLoadBalancerIPs: 192.168.9.0/24), so nothing announces it and its addresses are unreachable; got "192.168.10.0/24". Add a CIDR covering it to advertiseServiceLoadBalancerIPs of [b/PodIp]');
    });

    test('fails if the App\'s Calico announces no LoadBalancer IPs at all (Calico first)', () => {
      const { app, a, b } = twoCharts();
      calico(a);
      allocationOnly(b);
      expect(() => validateTree(app)).toThrow(/\[b\/Pool\] MetalLbAddressPool: addresses\[0\] is in a pool that MetalLB does not announce .*\(advertiseServiceLoadBalancerIPs: none\)/);
    });

    test('a pool inside the announced ranges, or an App without Calico (the announcer is elsewhere), is accepted', () => {
      const covered = twoCharts();
      allocationOnly(covered.a);
      calico(covered.b, ['192.168.0.0/16']);
      expect(() => synthApp(covered.app)).not.toThrow();
      const alone = twoCharts();
      allocationOnly(alone.a);
      expect(() => synthApp(alone.app)).not.toThrow();
    });
  });
});
