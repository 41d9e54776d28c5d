/**
 * The flannel seed's last pattern, "Pod IP global reachability", with Calico: every node peers
 * over BGP with the top-of-rack router of its rack, which learns the routes to the pod network
 * 10.244.0.0/16 (the seed's range) and passes them on, so clients outside the cluster reach
 * pods at their own IPs (`curl http://10.244.0.156/`).
 *
 * LoadBalancer Services get their addresses from MetalLB, which only allocates them
 * (`MetalLbAdvertisement.none()`): Calico announces the pool's range over the same BGP sessions.
 *
 * Check the sessions on a node with `calicoctl node status`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { PodIpReachability } from '../src/calico/pod-ip-reachability';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';

/** The LoadBalancer range: allocated by MetalLB, announced by Calico. */
const LOAD_BALANCER_RANGE = '192.168.10.0/24';

/** Calico BGP peering with two top-of-rack routers, and a MetalLB pool that Calico announces. */
export class PodIpChart extends Chart {
  /** The BGP configuration and pool. */
  public readonly reachability: PodIpReachability;
  /** The allocation-only MetalLB pool. */
  public readonly loadBalancerPool: MetalLbAddressPool;
  /** A Service with an address from that pool. */
  public readonly loadBalancer: MetalLbLoadBalancer;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.reachability = new PodIpReachability(this, 'PodIp', {
      podCidr: '10.244.0.0/16',
      asNumber: 64512,
      peers: [
        // Nodes labelled rack=a peer with their top-of-rack switch, rack=b with theirs.
        { peerIP: '192.168.1.1', asNumber: 64501, nodeSelector: { rack: 'a' }, name: 'tor-rack-a' },
        { peerIP: '192.168.2.1', asNumber: 64502, nodeSelector: { rack: 'b' }, name: 'tor-rack-b' },
      ],
      // The MetalLB pool below: MetalLB only allocates the addresses, Calico announces them.
      advertiseServiceLoadBalancerIPs: [LOAD_BALANCER_RANGE],
    });

    // No L2Advertisement or BGPAdvertisement: a MetalLB announcing the range too would clash
    // with Calico (its BGP sessions would be refused as duplicates of Calico's).
    this.loadBalancerPool = new MetalLbAddressPool(this, 'RoutedPool', {
      name: 'routed-pool',
      addresses: [LOAD_BALANCER_RANGE],
      advertisement: MetalLbAdvertisement.none(),
    });

    // The web pods behind the Service (nginx runs as root and writes to its filesystem: see
    // examples/images.ts).
    new kplus.Deployment(this, 'Web', {
      replicas: 1,
      podMetadata: { labels: { app: 'web' } },
      containers: [NGINX_CONTAINER],
    });
    this.loadBalancer = new MetalLbLoadBalancer(this, 'WebLoadBalancer', {
      name: 'web-routed',
      selector: kplus.Pods.select(this, 'WebPods', { labels: { app: 'web' } }),
      ports: [{ port: 80, name: 'http' }],
      pool: this.loadBalancerPool,
      // Pinned so that the address is known at synth time.
      loadBalancerIPs: ['192.168.10.10'],
      // Only the routed networks behind the racks' routers may connect.
      loadBalancerSourceRanges: ['192.168.0.0/16'],
    });
  }
}

/** The chart id of this example. */
export const POD_IP_EXAMPLE = 'pod-ip';

/** Builds the example in `app`. */
export function podIpExample(app: App): Chart {
  return new PodIpChart(app, POD_IP_EXAMPLE);
}
