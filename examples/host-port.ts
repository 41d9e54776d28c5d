/**
 * The seed's hostPort scenario (exposure-patterns-k3d.md, "Using hostPort"): influxdb's
 * container port 8086 bound on port 8086 of the node, plus the safe defaults the seed's bare Pod
 * lacks: a DaemonSet (one pod per node, so no port clash), a namespace that admits privileged
 * pods, and cdk8s-plus' container hardening kept wherever the image allows it.
 *
 * Reach it with `curl -v http://<node-ip>:8086/ping`.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ROOT_IMAGE_SECURITY_CONTEXT } from './images';
import { HostPortApp } from '../src/host/host-port';

/** influxdb on hostPort 8086, as in the seed. */
export class HostPortChart extends Chart {
  /** The influxdb DaemonSet. */
  public readonly influxdb: HostPortApp;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.influxdb = new HostPortApp(this, 'Influxdb', {
      name: 'influxdb',
      image: 'influxdb',
      ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }],
      // The baseline Pod Security level forbids host ports: a namespace of its own, labelled
      // privileged, keeps the rest of the cluster at baseline.
      namespace: 'host-port',
      createNamespace: true,
      // The stock influxdb image starts as root (its entrypoint fixes ownership, then drops to
      // the influxdb user) and writes its data and config under /var/lib/influxdb2 and
      // /etc/influxdb2: cdk8s-plus' hardening (non-root, read-only root filesystem) would stop it.
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
  }
}

/** The chart id of this example. */
export const HOST_PORT_EXAMPLE = 'host-port';

/** Builds the example in `app`. */
export function hostPortExample(app: App): Chart {
  return new HostPortChart(app, HOST_PORT_EXAMPLE);
}
