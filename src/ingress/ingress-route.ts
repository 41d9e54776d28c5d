import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { routeAccessPoints, routePrerequisites } from './route-access';
import { DEFAULT_ROUTE_FLAVOUR, RouteFlavour } from './route-flavour';
import {
  checkDuplicates, checkRedirect, checkTlsRouted, checkTlsShape, claimRoutes, isRouteFlavourImpl, resolveRules,
  RouteContext, RouteSpec,
} from './route-model';
import { IngressRule, IngressTls } from './rules';
import { Checker, structKeys } from '../core/errors';
import { AccessPoint, ExternalExposureProps } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { dns1123SubdomainProblem } from '../core/names';
import { definedOnly } from '../core/objects';
import { ClusterProfile } from '../profile/cluster-profile';

/**
 * Properties of an `IngressRoute`.
 *
 * `allowFrom` means "the clients that may use these routes", checked where the clients arrive:
 * at the ingress controller. The requests reach the backend pods from the controller's pods, so
 * a NetworkPolicy on the backends with client addresses would admit no one. With
 * `RouteFlavour.traefik()`, `ipBlock` peers become one `ipAllowList` Middleware (its
 * `sourceRange`) attached to every route of the construct; Traefik answers other clients with 403
 * Forbidden. `except` cannot be written in an allow list and is refused (the message lists the
 * ranges to pass instead), and so are pod and namespace peers (the controller sees addresses, not
 * pods). `RouteFlavour.ingress()` and `RouteFlavour.gatewayApi()` have no portable field for
 * client addresses and refuse `allowFrom`: restrict the clients at the controller's own Service
 * (`loadBalancerSourceRanges`, or `allowFrom` with `externalTrafficPolicy: LOCAL` on the
 * `MetalLbLoadBalancer` or `NodePortService` in front of it).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/ipallowlist/
 */
export interface IngressRouteProps extends ExternalExposureProps {
  /** The routes (at least one). A host and path may only go to one backend in the whole App. */
  readonly rules: IngressRule[];
  /**
   * Hosts to serve over HTTPS, and their certificates.
   * @default - plain HTTP only
   */
  readonly tls?: IngressTls[];
  /**
   * Which API the routes are written for, with its own options: `RouteFlavour.ingress()`,
   * `RouteFlavour.traefik()` or `RouteFlavour.gatewayApi({ gateway })`.
   * @default - `RouteFlavour.ingress({ className })` of the cluster profile's `ingressClassName`
   * (`traefik` on k3s and k3d) when a `ClusterProfile` is attached; else DEFAULT_ROUTE_FLAVOUR
   * (`RouteFlavour.ingress()`: the cluster's default IngressClass)
   */
  readonly flavour?: RouteFlavour;
  /**
   * Answer plain-HTTP requests with a permanent redirect to HTTPS. Every rule's host must be
   * covered by a `tls` block. `RouteFlavour.traefik()`: a `redirectScheme` Middleware on the
   * `web` entry point; `RouteFlavour.gatewayApi()`: an HTTPRoute with a `RequestRedirect` filter
   * on the HTTP listener. `RouteFlavour.ingress()` refuses it: Ingress has no redirect field, only
   * controller-specific annotations (ingress-nginx already redirects TLS hosts by default).
   *
   * Security: without it, the routes also answer over plain HTTP, where requests and cookies
   * travel unencrypted.
   * @default false
   */
  readonly httpsRedirect?: boolean;
  /**
   * The `metadata.name` of the primary route object (a DNS-1123 subdomain).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

/**
 * HTTP routes by host name and path through an ingress controller: describe the routes once,
 * choose the API with `flavour` — a `networking.k8s.io/v1` Ingress (default), a Traefik
 * `IngressRoute`, or a Gateway API `HTTPRoute`.
 *
 * Reach it at `http(s)://<host><path>`: the host's DNS name must resolve to the controller, and
 * the controller itself must be reachable from outside (hostPort or hostNetwork, or a NodePort /
 * LoadBalancer Service — e.g. a `NodePortService` selecting the controller's pods).
 *
 * Security: every client that reaches the controller reaches the routes, unless `allowFrom`
 * (`RouteFlavour.traefik()` only: an `ipAllowList` Middleware) names the client ranges. Traefik
 * only sees a client's own address when the Service in front of it keeps it
 * (`externalTrafficPolicy: Local`, hostNetwork or hostPort) or its entry points accept the PROXY
 * protocol; otherwise it sees node addresses and the allow list matches those. Without `tls` the
 * routes are plain HTTP; with `tls`, set `httpsRedirect` so that HTTP is not served. A backend in
 * another namespace is allowed only as narrowly as the API lets: `RouteFlavour.gatewayApi()` adds
 * a ReferenceGrant for that one Service and HTTPRoutes from this namespace only;
 * `RouteFlavour.ingress()` refuses it.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/ipallowlist/
 */
export class IngressRoute extends Exposure {
  /** The API the routes are written for, with its options. */
  public readonly flavour: RouteFlavour;
  /** Whether plain HTTP is redirected to HTTPS. */
  public readonly httpsRedirect: boolean;
  /** The rules, with their defaults filled in. */
  public readonly rules: IngressRule[];
  /** The TLS blocks, with the Secret names cert-manager will write filled in. */
  public readonly tls: IngressTls[];
  /**
   * The primary route object: the `Ingress`, the Traefik `IngressRoute` on the `web` entry
   * point, or the `HTTPRoute` of the first rule's host. Its construct id is `Resource`.
   */
  public readonly resource: ApiObject;
  /** Every route object (Ingress, IngressRoutes, HTTPRoutes), the primary first. */
  public readonly routeObjects: ApiObject[];
  /** The Traefik `Middleware` that redirects to HTTPS, when `httpsRedirect` is on (`RouteFlavour.traefik()`). */
  public readonly redirectMiddleware?: ApiObject;
  /**
   * The client ranges the routes admit (the `ipBlock`s of `allowFrom`, as given), when
   * `allowFrom` is set (`RouteFlavour.traefik()`).
   */
  public readonly sourceRanges?: string[];
  /**
   * The Traefik `ipAllowList` Middleware attached to every route, when `allowFrom` is set
   * (`RouteFlavour.traefik()`). Its construct id is `AllowFrom`.
   */
  public readonly allowListMiddleware?: ApiObject;
  /** The ReferenceGrants that let the HTTPRoutes reach backends in other namespaces (`RouteFlavour.gatewayApi()`). */
  public readonly referenceGrants: ApiObject[];
  /** `http://<host><path>` (port 80) per rule, and `https://...` (443) for the TLS hosts. */
  public readonly accessPoints: AccessPoint[];
  /** The controller (or Gateway), cert-manager, Secrets and DNS records the routes need. */
  public readonly prerequisites: string[];
  /** `Ingress`, `Traefik IngressRoute` or `Gateway API HTTPRoute`. */
  public readonly patternName: string;

  constructor(scope: Construct, id: string, props: IngressRouteProps) {
    super(scope, id, props, 'IngressRoute');
    const check: Checker = this._check;
    refuseRemovedProps(check, props);
    check.props(props, INGRESS_ROUTE_PROPS);
    this.flavour = resolveFlavour(check, props.flavour, ClusterProfile.of(this));
    const flavour = this.flavour._impl;
    this.httpsRedirect = check.boolean('httpsRedirect', props.httpsRedirect) ?? false;
    flavour.checkOptions(check, this.httpsRedirect);
    this.sourceRanges = flavour.resolveAllowFrom(check, props.allowFrom);
    const name = check.string('name', props.name, 'Use a lowercase name such as "nginx".');
    if (name !== undefined) {
      const problem = dns1123SubdomainProblem(name);
      if (problem) check.fail('name', problem, name, 'Use a lowercase name such as "nginx".');
    }
    const tls = checkTlsShape(check, flavour, props.tls);
    const rules = resolveRules(check, flavour, this.namespace, props.rules, tls);
    checkTlsRouted(check, rules, tls);
    const spec: RouteSpec = { rules, tls, httpsRedirect: this.httpsRedirect, sourceRanges: this.sourceRanges };
    flavour.checkRoutes(check, spec);
    checkRedirect(check, spec);
    checkDuplicates(check, rules);
    claimRoutes(check, rules);

    this.rules = rules.map((r) => definedOnly({ host: r.host, path: r.path, pathType: r.pathType, backend: r.backend, port: r.port }));
    const ctx: RouteContext = { scope: this, check, namespace: this.namespace, metadataNamespace: this._metadataNamespace, name: props.name };
    const built = flavour.build(ctx, spec);
    this.resource = built.resource;
    this.routeObjects = built.routeObjects;
    this.tls = built.tls;
    this.redirectMiddleware = built.redirectMiddleware;
    this.allowListMiddleware = built.allowListMiddleware;
    this.referenceGrants = built.referenceGrants;
    this.patternName = flavour.patternName;
    const description = flavour.describe(ctx, spec, built);
    this.accessPoints = routeAccessPoints(spec, description);
    this.prerequisites = routePrerequisites(this.namespace, spec, description);
  }
}

const INGRESS_ROUTE_PROPS = structKeys<IngressRouteProps>('IngressRouteProps', {
  namespace: true, allowFrom: true, rules: true, tls: true, flavour: true, httpsRedirect: true, name: true,
});

/** The factory each value of the removed `IngressFlavour` enum became. */
const OLD_FLAVOURS: { [value: string]: string } = {
  Ingress: 'RouteFlavour.ingress()',
  IngressRoute: 'RouteFlavour.traefik()',
  HTTPRoute: 'RouteFlavour.gatewayApi({ gateway })',
};

/**
 * The flat props of the 0.x API that moved into the flavours: a JavaScript caller of the old API
 * gets the fix (the RouteFlavour that takes them), before the generic unknown-key refusal.
 */
function refuseRemovedProps(check: Checker, props: IngressRouteProps): void {
  if (props === null || typeof props !== 'object') return;
  const old = props as { readonly className?: unknown; readonly gateway?: unknown };
  const flavour: unknown = props.flavour;
  if (old.className !== undefined) {
    const factory = flavour instanceof RouteFlavour && flavour.kind === 'IngressRoute' ? 'traefik' : 'ingress';
    check.fail('className', 'is not a prop of IngressRoute (it moved into the flavour)', old.className,
      `Pass flavour: RouteFlavour.${factory}({ className: ${JSON.stringify(old.className)} }).`);
  }
  if (old.gateway !== undefined) {
    check.fail('gateway', 'is not a prop of IngressRoute (it moved into the flavour)', old.gateway,
      `Pass flavour: RouteFlavour.gatewayApi({ gateway: ${JSON.stringify(old.gateway)} }).`);
  }
}

/**
 * `props.flavour` (a RouteFlavour), or the default: an Ingress of the profile's class, else
 * DEFAULT_ROUTE_FLAVOUR. The one place that decides it.
 */
function resolveFlavour(check: Checker, flavour: unknown, profile: ClusterProfile | undefined): RouteFlavour {
  if (flavour === undefined) {
    return profile?.ingressClassName === undefined ? DEFAULT_ROUTE_FLAVOUR : RouteFlavour.ingress({ className: profile.ingressClassName });
  }
  const ok = flavour instanceof RouteFlavour || (flavour !== null && typeof flavour === 'object' && isRouteFlavourImpl((flavour as RouteFlavour)._impl));
  if (!ok) {
    const replacement = typeof flavour === 'string' ? OLD_FLAVOURS[flavour] : undefined;
    check.type('flavour', flavour, ok, 'RouteFlavour', replacement
      ? `The IngressFlavour enum was replaced by factories: pass flavour: ${replacement}.`
      : 'Pass RouteFlavour.ingress(), RouteFlavour.traefik() or RouteFlavour.gatewayApi({ gateway }).');
  }
  return flavour as RouteFlavour;
}
