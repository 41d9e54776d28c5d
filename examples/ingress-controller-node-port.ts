/**
 * The seeds' note that "the ingress controller itself needs to be reachable from outside": the
 * Traefik that k3s and k3d install in `kube-system` (pods labelled
 * `app.kubernetes.io/name: traefik`, `app.kubernetes.io/instance: traefik-kube-system`, entry
 * points `web` on container port 8000 and `websecure` on 8443) exposed on every node through a
 * `NodePort` Service: 80 -> 8000 on nodePort 30080 and 443 -> 8443 on nodePort 30443.
 *
 * Then `curl -v -H 'Host: nginx.example.com' http://<any-node-ip>:30080/` reaches the routes of
 * the `ingress-nginx*` examples.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NodePortService } from '../src/service/node-port';

/** Traefik's pods behind a NodePort Service. */
export class IngressControllerNodePortChart extends Chart {
  /** The NodePort Service in front of Traefik. */
  public readonly controller: NodePortService;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // The controller is installed by k3s (or its Helm chart): select its pods by their labels.
    const traefikPods = kplus.Pods.select(this, 'TraefikPods', {
      labels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' },
    });
    this.controller = new NodePortService(this, 'TraefikNodePort', {
      name: 'traefik-node-port',
      namespace: 'kube-system',
      selector: traefikPods,
      ports: [
        { name: 'web', port: 80, targetPort: 8000, nodePort: 30080 },
        { name: 'websecure', port: 443, targetPort: 8443, nodePort: 30443 },
      ],
    });
  }
}

/** The chart id of this example. */
export const INGRESS_CONTROLLER_NODE_PORT_EXAMPLE = 'ingress-controller-node-port';

/** Builds the example in `app`. */
export function ingressControllerNodePortExample(app: App): Chart {
  return new IngressControllerNodePortChart(app, INGRESS_CONTROLLER_NODE_PORT_EXAMPLE);
}
