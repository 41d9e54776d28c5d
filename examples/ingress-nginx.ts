/**
 * The seed's Ingress scenario (exposure-patterns-flannel-metallb.md): requests for host
 * `nginx.example.com` go through the ingress controller to the Service `nginx` port 80, in front
 * of nginx pods. The seed wrote it as `extensions/v1beta1`, removed in Kubernetes 1.22; here the
 * same routes are written once and emitted in each flavour:
 *
 * - `ingress-nginx`: a `networking.k8s.io/v1` Ingress (any ingress controller);
 * - `ingress-nginx-traefik`: a Traefik `IngressRoute` (what k3s and k3d ship);
 * - `ingress-nginx-gateway-api`: a Gateway API `HTTPRoute` on the Gateway `traefik-gateway` in
 *   `kube-system` (the Traefik Helm chart's Gateway, when its Gateway API provider is enabled).
 *
 * Point `nginx.example.com` at the controller (DNS or /etc/hosts), then
 * `curl -v http://nginx.example.com/` (the seed's `curl -v http://nginx.example.com/ping` reaches
 * the same route).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { IngressRoute } from '../src/ingress/ingress-route';
import { RouteFlavour } from '../src/ingress/route-flavour';
import { ClusterIpService } from '../src/service/cluster-ip';

/** Properties of `IngressNginxChart`. */
export interface IngressNginxChartProps {
  /** Which API the route is written for. */
  readonly flavour: RouteFlavour;
}

/** nginx behind a ClusterIP Service, routed by host name through the ingress controller. */
export class IngressNginxChart extends Chart {
  /** The backend Service `nginx`. */
  public readonly service: ClusterIpService;
  /** The route. */
  public readonly route: IngressRoute;

  constructor(scope: Construct, id: string, props: IngressNginxChartProps) {
    super(scope, id);

    const nginx = new kplus.Deployment(this, 'Nginx', {
      replicas: 1,
      // nginx runs as root and writes to its filesystem: see examples/images.ts.
      containers: [NGINX_CONTAINER],
    });
    this.service = new ClusterIpService(this, 'NginxService', {
      name: 'nginx',
      selector: nginx,
      ports: [{ port: 80, name: 'http' }],
    });
    this.route = new IngressRoute(this, 'NginxRoute', {
      name: 'nginx',
      flavour: props.flavour,
      rules: [{ host: 'nginx.example.com', backend: this.service, port: 80 }],
    });
  }
}

/** The chart id of the networking.k8s.io/v1 Ingress flavour. */
export const INGRESS_NGINX_EXAMPLE = 'ingress-nginx';
/** The chart id of the Traefik IngressRoute flavour. */
export const INGRESS_NGINX_TRAEFIK_EXAMPLE = 'ingress-nginx-traefik';
/** The chart id of the Gateway API HTTPRoute flavour. */
export const INGRESS_NGINX_GATEWAY_API_EXAMPLE = 'ingress-nginx-gateway-api';

/** Builds the Ingress flavour in `app`. */
export function ingressNginxExample(app: App): Chart {
  return new IngressNginxChart(app, INGRESS_NGINX_EXAMPLE, { flavour: RouteFlavour.ingress() });
}

/** Builds the Traefik flavour in `app`. */
export function ingressNginxTraefikExample(app: App): Chart {
  return new IngressNginxChart(app, INGRESS_NGINX_TRAEFIK_EXAMPLE, { flavour: RouteFlavour.traefik() });
}

/** Builds the Gateway API flavour in `app`. */
export function ingressNginxGatewayApiExample(app: App): Chart {
  return new IngressNginxChart(app, INGRESS_NGINX_GATEWAY_API_EXAMPLE, {
    flavour: RouteFlavour.gatewayApi({ gateway: { name: 'traefik-gateway', namespace: 'kube-system' } }),
  });
}
