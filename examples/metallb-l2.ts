/**
 * The seed's MetalLB scenario (exposure-patterns-flannel-metallb.md): nginx pods labelled
 * name=nginx, a `LoadBalancer` Service `nginx` on port 80 (port named nginx), and a MetalLB
 * layer 2 pool from which the Service gets 192.168.9.0.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { seedNginxDeployment } from './images';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';

/** nginx behind a MetalLB layer 2 address, as in the seed. */
export class MetalLbL2Chart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    // nginx runs as root and writes to its filesystem: see examples/images.ts.
    seedNginxDeployment(this);

    // The LAN pool. MetalLB hands out the first free address, so the Service of the seed got
    // 192.168.9.0: inside a /24 that is the network address, which some old clients and
    // routers drop. avoidBuggyIPs: true would skip every .0 and .255 (and then refuse the
    // pinned address below); the seed's network served it, so it stays false here.
    const pool = new MetalLbAddressPool(this, 'LanPool', {
      name: 'lan-pool',
      addresses: ['192.168.9.0/24'],
      avoidBuggyIPs: false,
      advertisement: MetalLbAdvertisement.l2(),
    });

    new MetalLbLoadBalancer(this, 'NginxLoadBalancer', {
      name: 'nginx',
      // The seed's Service selects name=nginx (the Deployment also carries its own label).
      selector: kplus.Pods.select(this, 'NginxPods', { labels: { name: 'nginx' } }),
      ports: [{ port: 80, name: 'nginx', appProtocol: 'http' }],
      pool,
      // Pinned so that the address is known at synth time and stays the same across re-creates.
      loadBalancerIPs: ['192.168.9.0'],
      // Only the seed's LAN (nodes are on 192.168.0.x) may connect; without this every source
      // that can route to 192.168.9.0 could.
      loadBalancerSourceRanges: ['192.168.0.0/16'],
    });
  }
}

/** The chart id of this example. */
export const METALLB_L2_EXAMPLE = 'metallb-l2';

/** Builds the example in `app`. */
export function metallbL2Example(app: App): Chart {
  return new MetalLbL2Chart(app, METALLB_L2_EXAMPLE);
}
