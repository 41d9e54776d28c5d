/**
 * The seed's hostNetwork scenario (exposure-patterns-flannel-metallb.md, "hostNetwork: true"):
 * nginx listening on port 80 of the node's own address, plus the safe defaults the seed's bare
 * Pod lacks: a DaemonSet (one pod per node, so no port clash and no drifting address),
 * dnsPolicy ClusterFirstWithHostNet (cluster DNS keeps working) and a namespace that admits
 * privileged pods.
 *
 * Reach it with `curl http://<node-ip>/` (the access guide prints the command that lists the
 * node IPs).
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ROOT_IMAGE_SECURITY_CONTEXT } from './images';
import { HostNetworkApp } from '../src/host/host-network';

/** nginx on the node network, port 80, as in the seed. */
export class HostNetworkChart extends Chart {
  /** The nginx DaemonSet. */
  public readonly nginx: HostNetworkApp;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.nginx = new HostNetworkApp(this, 'Nginx', {
      name: 'nginx',
      image: 'nginx',
      ports: [{ port: 80, name: 'http' }],
      // The baseline Pod Security level forbids hostNetwork: a namespace of its own, labelled
      // privileged, keeps the rest of the cluster at baseline.
      namespace: 'host-network',
      createNamespace: true,
      // The stock nginx image starts as root (to bind port 80) and writes to /var/cache/nginx and
      // /var/run: cdk8s-plus' hardening (non-root, read-only root filesystem) would stop it. On the
      // node's network that root process sees every interface of the node; prefer an unprivileged
      // image (e.g. nginxinc/nginx-unprivileged, on a port above 1023) where you can.
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
  }
}

/** The chart id of this example. */
export const HOST_NETWORK_EXAMPLE = 'host-network';

/** Builds the example in `app`. */
export function hostNetworkExample(app: App): Chart {
  return new HostNetworkChart(app, HOST_NETWORK_EXAMPLE);
}
