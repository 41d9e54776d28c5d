/**
 * The k3d seed (exposure-patterns-k3d.md) as its readers run it: a k3d cluster named `test`
 * (nodes `k3d-test-server-0`, ...), whose nodes are Docker containers, so that the laptop reaches
 * them only through port mappings made when the cluster is created. The `ClusterProfile.k3d`
 * profile makes the access guide list them and test at `localhost`:
 *
 * - influxdb on the seed's NodePort 30000 (`-p "30000:30000@server:0"`);
 * - nginx behind a LoadBalancer Service answered by k3s' ServiceLB on port 8081 (80 and 443 are
 *   Traefik's), `-p "8081:8081@loadbalancer"`;
 * - nginx behind the packaged Traefik, through an Ingress (`-p "8080:80@loadbalancer"`).
 *
 * Create the cluster with `k3d cluster create test -p "30000:30000@server:0" -p "8081:8081@loadbalancer"
 * -p "8080:80@loadbalancer"`, apply, then `curl -v http://localhost:30000/ping`,
 * `curl -v http://localhost:8081/` and `curl -v http://localhost:8080/`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { seedInfluxdbDeployment, seedNginxDeployment } from './images';
import { IngressRoute } from '../src/ingress/ingress-route';
import { ClusterProfile } from '../src/profile/cluster-profile';
import { ClusterIpService } from '../src/service/cluster-ip';
import { LoadBalancerService } from '../src/service/load-balancer';
import { NodePortService } from '../src/service/node-port';

/** The seed's k3d cluster name. */
export const K3D_CLUSTER_NAME = 'test';

/** NodePort, ServiceLB LoadBalancer and Traefik ingress on the seed's k3d cluster. */
export class K3dChart extends Chart {
  /** influxdb on nodePort 30000. */
  public readonly influxdb: NodePortService;
  /** nginx on ServiceLB port 8081. */
  public readonly loadBalancer: LoadBalancerService;
  /** nginx through Traefik. */
  public readonly route: IngressRoute;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // First, so that every pattern below picks the k3d defaults (ServiceLB, the node port range).
    ClusterProfile.k3d({ clusterName: K3D_CLUSTER_NAME }).applyTo(this);

    // nginx and influxdb run as root and write to their filesystem: see examples/images.ts.
    const nginx = seedNginxDeployment(this);
    seedInfluxdbDeployment(this);
    this.influxdb = new NodePortService(this, 'InfluxdbNodePort', {
      name: 'influxdb-service',
      selector: kplus.Pods.select(this, 'InfluxdbPods', { labels: { name: 'influxdb' } }),
      ports: [{ port: 8086, nodePort: 30000, appProtocol: 'http' }],
    });

    // The provider comes from the profile: LoadBalancerProvider.K3S_SERVICE_LB.
    this.loadBalancer = new LoadBalancerService(this, 'NginxLoadBalancer', {
      name: 'nginx-lb',
      selector: nginx,
      ports: [{ port: 8081, targetPort: 80, appProtocol: 'http' }],
    });

    const backend = new ClusterIpService(this, 'NginxService', {
      name: 'nginx',
      selector: nginx,
      ports: [{ port: 80, name: 'http' }],
    });
    // k3s' Traefik is the cluster's default IngressClass.
    this.route = new IngressRoute(this, 'NginxRoute', {
      name: 'nginx',
      rules: [{ backend, port: 80 }],
    });
  }
}

/** The chart id of this example. */
export const K3D_EXAMPLE = 'k3d';

/** Builds the example in `app`. */
export function k3dExample(app: App): Chart {
  return new K3dChart(app, K3D_EXAMPLE);
}
