/**
 * The seeds' NodePort scenarios: nginx pods labelled name=nginx behind the `NodePort` Service
 * `nginx` on nodePort 30018 (exposure-patterns-flannel-metallb.md), and influxdb pods labelled
 * name=influxdb behind `influxdb-service` on nodePort 30000 (exposure-patterns-k3d.md).
 *
 * Reach them with `curl http://<any-node-ip>:30018/` and `curl -v http://<any-node-ip>:30000/ping`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { seedInfluxdbDeployment, seedNginxDeployment } from './images';
import { NodePortService } from '../src/service/node-port';

/** Both seeds' NodePort Services in front of their Deployments. */
export class NodePortChart extends Chart {
  /** The nginx Service (nodePort 30018). */
  public readonly nginx: NodePortService;
  /** The influxdb Service (nodePort 30000). */
  public readonly influxdb: NodePortService;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // nginx and influxdb run as root and write to their filesystem: see examples/images.ts.
    seedNginxDeployment(this);
    this.nginx = new NodePortService(this, 'NginxNodePort', {
      name: 'nginx',
      // The seed's Service selects name=nginx (the Deployment also carries its own label).
      selector: kplus.Pods.select(this, 'NginxPods', { labels: { name: 'nginx' } }),
      ports: [{ name: 'nginx', port: 80, nodePort: 30018, appProtocol: 'http' }],
    });

    seedInfluxdbDeployment(this);
    this.influxdb = new NodePortService(this, 'InfluxdbNodePort', {
      name: 'influxdb-service',
      selector: kplus.Pods.select(this, 'InfluxdbPods', { labels: { name: 'influxdb' } }),
      ports: [{ port: 8086, nodePort: 30000, appProtocol: 'http' }],
    });
  }
}

/** The chart id of this example. */
export const NODE_PORT_EXAMPLE = 'node-port';

/** Builds the example in `app`. */
export function nodePortExample(app: App): Chart {
  return new NodePortChart(app, NODE_PORT_EXAMPLE);
}
