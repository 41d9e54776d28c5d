import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { synthChart } from './util';
import { IpFamily, MetalLbLoadBalancer, MetalLbLoadBalancerProps } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';
import { ExternalTrafficPolicy } from '../src/service/service-vocabulary';

function lb(props: Partial<MetalLbLoadBalancerProps>, addresses?: string[]) {
  const chart = Testing.chart();
  const pool = addresses ? new MetalLbAddressPool(chart, 'Pool', { addresses }) : undefined;
  const svc = new MetalLbLoadBalancer(chart, 'Web', {
    selector: kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } }), ports: [{ port: 80 }], pool, ...props,
  });
  return { chart, svc };
}

describe('address families', () => {
  describe('loadBalancerSourceRanges cover every family the Service ends up with', () => {
    test('fails if an IPv4-only pool meets IPv6-only ranges (IPv4 would be open to everyone)', () => {
      expect(() => lb({ loadBalancerSourceRanges: ['2001:db8::/32'] }, ['192.168.9.0/24'])).toThrow(
        '[test/Web] MetalLbLoadBalancer: loadBalancerSourceRanges[0] is an IPv6 range, but the Service takes its address from pool "test-pool-c86b8e90" (IPv4 only), so kube-proxy ignores it; got "2001:db8::/32". List ranges of the Service\'s families only.');
    });

    test('fails if a dual-stack pool leaves the family to the cluster and the ranges cover one family', () => {
      expect(() => lb({ loadBalancerSourceRanges: ['192.168.0.0/16'] }, ['192.168.9.0/24', '2001:db8:9::/120'])).toThrow(
        /loadBalancerSourceRanges has no IPv6 range, but the Service takes its address from pool "[^"]+" \(IPv4 and IPv6\) in the cluster's primary family, unknown at synth time: kube-proxy would let every IPv6 source reach its IPv6 load balancer IP; got \["192\.168\.0\.0\/16"\]\. Add the allowed IPv6 client networks, or set ipFamilies to the families the Service has\./);
    });

    test('fails if nothing in the App says the family (a pool managed elsewhere) and the ranges cover one family', () => {
      expect(() => lb({ poolName: 'lan', loadBalancerSourceRanges: ['192.168.0.0/16'] })).toThrow(
        /loadBalancerSourceRanges has no IPv6 range, but the Service is single-stack in the cluster's primary family \(no ipFamilies, pinned address or pool of this App say which\), unknown at synth time/);
    });

    test('ranges of the one family the pool, ipFamilies or the pinned address implies are accepted', () => {
      expect(() => synthChart(lb({ loadBalancerSourceRanges: ['192.168.0.0/16'] }, ['192.168.9.0/24']).chart)).not.toThrow();
      expect(() => synthChart(lb({ poolName: 'lan', ipFamilies: [IpFamily.IPV4], loadBalancerSourceRanges: ['192.168.0.0/16'] }).chart)).not.toThrow();
      expect(() => synthChart(lb({ poolName: 'lan', loadBalancerIPs: ['2001:db8:9::10'], loadBalancerSourceRanges: ['2001:db8::/32'] }).chart)).not.toThrow();
      expect(() => synthChart(lb({ poolName: 'lan', loadBalancerSourceRanges: ['192.168.0.0/16', '2001:db8::/32'] }).chart)).not.toThrow();
    });
  });

  test('fails if an allowFrom ipBlock is of a family the Service never has', () => {
    expect(() => lb({
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv6(Testing.chart(), 'Office', '2001:db8:1::/48')],
    }, ['192.168.9.0/24'])).toThrow(/\[test\/Web\] MetalLbLoadBalancer: allowFrom\[0\] is an IPv6 ipBlock, but the Service takes its address from pool "[^"]+" \(IPv4 only\), so it never matches a client; got "2001:db8:1::\/48"\./);
  });

  test('fails if a BGP pool holds a family that no peer can carry (MetalLB announces a family over its own sessions)', () => {
    expect(() => new MetalLbAddressPool(Testing.chart(), 'Pool', {
      addresses: ['192.168.9.0/24', '2001:db8:9::/120'],
      advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '192.168.0.1', peerASN: 64500, myASN: 64501 }] }),
    })).toThrow(
      '[test/Pool] MetalLbAddressPool: addresses[1] is an IPv6 range, but no peer in advertisement.peers is IPv6 and MetalLB announces IPv6 routes over IPv6 sessions only, so it is never announced; got "2001:db8:9::/120". Add an IPv6 peer to advertisement.peers, or remove the range.');
  });
});
