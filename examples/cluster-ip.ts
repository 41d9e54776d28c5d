/**
 * The seeds' in-cluster baseline ("ClusterIP: making pods accessible inside the cluster and
 * across nodes, not from outside"): a `ClusterIP` Service `web` in front of a two-replica nginx
 * Deployment. The usual backend of an ingress route or of the API server proxy.
 *
 * From a pod: `kubectl run -it --rm probe --image=busybox --restart=Never -- wget -qO- http://web.default.svc.cluster.local/`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { ClusterIpService } from '../src/service/cluster-ip';

/** nginx behind a ClusterIP Service. */
export class ClusterIpChart extends Chart {
  /** The Service. */
  public readonly web: ClusterIpService;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const deployment = new kplus.Deployment(this, 'Web', {
      replicas: 2,
      // nginx runs as root and writes to its filesystem: see examples/images.ts.
      containers: [NGINX_CONTAINER],
    });
    this.web = new ClusterIpService(this, 'WebService', {
      name: 'web',
      // The workload itself: the Service selects exactly its pods.
      selector: deployment,
      ports: [{ port: 80, name: 'http', appProtocol: 'http' }],
    });
  }
}

/** The chart id of this example. */
export const CLUSTER_IP_EXAMPLE = 'cluster-ip';

/** Builds the example in `app`. */
export function clusterIpExample(app: App): Chart {
  return new ClusterIpChart(app, CLUSTER_IP_EXAMPLE);
}
