/**
 * The flannel seed's last pattern, "Pod IP global reachability", with Calico: every node peers
 * over BGP with the top-of-rack router of its rack, which learns the routes to the pod network
 * 10.244.0.0/16 (the seed's range) and passes them on, so clients outside the cluster reach
 * pods at their own IPs (`curl http://10.244.0.156/`).
 *
 * Check the sessions on a node with `calicoctl node status`.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PodIpReachability } from '../src/pod-ip-reachability';

/** Calico BGP peering with two top-of-rack routers. */
export class PodIpChart extends Chart {
  /** The BGP configuration and pool. */
  public readonly reachability: PodIpReachability;

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
      // The seed's MetalLB range: MetalLB only allocates the addresses, Calico announces them.
      advertiseServiceLoadBalancerIPs: ['192.168.9.0/24'],
    });
  }
}

/** The chart id of this example. */
export const POD_IP_EXAMPLE = 'pod-ip';

/** Builds the example in `app`. */
export function podIpExample(app: App): Chart {
  return new PodIpChart(app, POD_IP_EXAMPLE);
}
