/**
 * MetalLB in BGP mode: the nodes announce routes for a public address block to the site's
 * router, which spreads the traffic over the nodes running nginx (ECMP).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';
import { ExternalTrafficPolicy } from '../src/service/service-vocabulary';

/** nginx behind a MetalLB address announced over BGP. */
export class MetalLbBgpChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'web' });

    const nginx = new kplus.Deployment(this, 'Nginx', {
      replicas: 3,
      // nginx runs as root and writes to its filesystem: see examples/images.ts.
      containers: [NGINX_CONTAINER],
    });

    const pool = new MetalLbAddressPool(this, 'PublicPool', {
      name: 'public',
      addresses: ['198.51.100.0/26'],
      // Public clients: skip .0 and .255 addresses that some old equipment drops.
      avoidBuggyIPs: true,
      advertisement: MetalLbAdvertisement.bgp({
        peers: [{
          peerAddress: '192.168.0.1',
          peerASN: 64500,
          myASN: 64501,
          // A kubernetes.io/basic-auth Secret in metallb-system with the TCP MD5 password.
          passwordSecretName: 'router-bgp-password',
        }],
        // Only the edge nodes announce routes.
        nodeSelectors: [kplus.LabelSelector.of({ labels: { 'node-role.example.com/edge': 'true' } })],
        communities: ['64500:100'],
      }),
    });

    new MetalLbLoadBalancer(this, 'Web', {
      name: 'web',
      selector: nginx,
      ports: [{ port: 80, name: 'http', appProtocol: 'http' }],
      pool,
      loadBalancerIPs: ['198.51.100.10'],
      // A public website: every source may connect, so no loadBalancerSourceRanges on purpose.
      // Keep the client's address (logs, NetworkPolicies) and only attract traffic to nodes
      // running nginx.
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
  }
}

/** The chart id of this example. */
export const METALLB_BGP_EXAMPLE = 'metallb-bgp';

/** Builds the example in `app`. */
export function metallbBgpExample(app: App): Chart {
  return new MetalLbBgpChart(app, METALLB_BGP_EXAMPLE);
}
