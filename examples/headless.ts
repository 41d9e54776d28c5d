/**
 * The seeds' headless Service ("`ClusterIP: None`: interact with single specific pod endpoints
 * directly"): three nginx peers and a headless Service `web-peers` whose DNS name resolves to
 * every ready pod's own IP, as a StatefulSet-like app uses for peer discovery.
 *
 * From a pod: `kubectl run -it --rm probe --image=busybox --restart=Never -- nslookup web-peers.default.svc.cluster.local`
 * lists the three pod IPs.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { HeadlessService } from '../src/service/headless';

/** Three nginx peers behind a headless Service. */
export class HeadlessChart extends Chart {
  /** The headless Service. */
  public readonly peers: HeadlessService;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const deployment = new kplus.Deployment(this, 'Peers', {
      replicas: 3,
      // nginx runs as root and writes to its filesystem: see examples/images.ts.
      containers: [NGINX_CONTAINER],
    });
    this.peers = new HeadlessService(this, 'PeersService', {
      name: 'web-peers',
      selector: deployment,
      // Named ports also publish DNS SRV records (_http._tcp.web-peers...).
      ports: [{ port: 80, name: 'http' }],
    });
  }
}

/** The chart id of this example. */
export const HEADLESS_EXAMPLE = 'headless';

/** Builds the example in `app`. */
export function headlessExample(app: App): Chart {
  return new HeadlessChart(app, HEADLESS_EXAMPLE);
}
