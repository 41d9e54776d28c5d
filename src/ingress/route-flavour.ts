import { GatewayApiFlavourImpl, GatewayApiRouteFlavourOptions } from './flavours/gateway-api';
import { IngressFlavourImpl, IngressRouteFlavourOptions } from './flavours/ingress';
import { TraefikFlavourImpl, TraefikRouteFlavourOptions } from './flavours/traefik';
import { RouteFlavourImpl } from './route-model';

// The public part of each flavour's file: its options (the implementations stay internal).
export type { IngressRouteFlavourOptions } from './flavours/ingress';
export type { TraefikRouteFlavourOptions } from './flavours/traefik';
export type { GatewayApiRouteFlavourOptions, GatewayReference } from './flavours/gateway-api';
export { DEFAULT_GATEWAY_HTTP_LISTENER, DEFAULT_GATEWAY_HTTPS_LISTENER } from './flavours/gateway-api';

/**
 * Which API an `IngressRoute` writes its routes for, with that API's own options: describe the
 * routes once, choose the flavour here.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/ingressroute/
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class RouteFlavour {
  /**
   * A `networking.k8s.io/v1` `Ingress`, served by any ingress controller (ingress-nginx,
   * Traefik, HAProxy, ...). Supports cert-manager issuers and `PathType.IMPLEMENTATION_SPECIFIC`;
   * routes only to Services of its own namespace; no `allowFrom`, no `httpsRedirect`.
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
   */
  public static ingress(options: IngressRouteFlavourOptions = {}): RouteFlavour {
    return new RouteFlavour('Ingress', new IngressFlavourImpl(options));
  }

  /**
   * Traefik's own `traefik.io/v1alpha1` `IngressRoute` (Traefik v3; k3s and k3d ship Traefik),
   * on the entry points `web` (:80) and `websecure` (:443). Supports `allowFrom` (an
   * `ipAllowList` Middleware) and `httpsRedirect`; route priorities are assigned App-wide so
   * that the most specific route wins, as in the other flavours.
   * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/ingressroute/
   */
  public static traefik(options: TraefikRouteFlavourOptions = {}): RouteFlavour {
    return new RouteFlavour('IngressRoute', new TraefikFlavourImpl(options));
  }

  /**
   * Gateway API `gateway.networking.k8s.io/v1` `HTTPRoute`s attached to an existing Gateway:
   * the successor of Ingress. The Gateway carries the class and the certificates; backends in
   * other namespaces get a ReferenceGrant.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  public static gatewayApi(options: GatewayApiRouteFlavourOptions): RouteFlavour {
    return new RouteFlavour('HTTPRoute', new GatewayApiFlavourImpl(options));
  }

  /** The kind of the route objects: `Ingress`, `IngressRoute` or `HTTPRoute`. */
  public readonly kind: string;

  /**
   * The flavour's implementation, which the shared route model calls.
   * @internal
   */
  public readonly _impl: RouteFlavourImpl;

  private constructor(kind: string, impl: RouteFlavourImpl) {
    this.kind = kind;
    this._impl = impl;
  }
}

/**
 * The flavour of an `IngressRoute` that names none (the one place that decides it).
 */
export const DEFAULT_ROUTE_FLAVOUR = RouteFlavour.ingress();
