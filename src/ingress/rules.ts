import { IExposedService } from '../core/exposure';

/**
 * How a rule's path is compared with the request path.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types
 */
export enum PathType {
  /**
   * Matches the path and everything below it, element by element: `/api` matches `/api`,
   * `/api/` and `/api/v1`, not `/apix`. A trailing `/` is ignored. (Gateway API `PathPrefix`.)
   */
  PREFIX = 'Prefix',
  /** Matches exactly this path (case-sensitive). */
  EXACT = 'Exact',
  /**
   * Left to the ingress controller's IngressClass (ingress-nginx treats it like `Prefix`, or as
   * a regular expression with its `use-regex` annotation). `RouteFlavour.ingress()` only:
   * Traefik and the Gateway API have no such type.
   */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** The path a rule routes when it names none. */
export const DEFAULT_INGRESS_PATH = '/';

/** The path type of a rule that names none. */
export const DEFAULT_PATH_TYPE = PathType.PREFIX;

/**
 * One route: requests for `host` and `path` go to port `port` of the Service `backend`.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules
 */
export interface IngressRule {
  /**
   * The host name the route matches (the HTTP `Host` header): a lowercase DNS name, or
   * `*.example.com` for any one label under example.com (`RouteFlavour.gatewayApi()`: any name
   * under example.com, as the Gateway API specifies). Not an IP address.
   * @default - every host (and clients may use the controller's address)
   */
  readonly host?: string;
  /**
   * The request path, starting with `/`.
   * @default DEFAULT_INGRESS_PATH ("/")
   */
  readonly path?: string;
  /**
   * How `path` is compared with the request path.
   * @default DEFAULT_PATH_TYPE (PathType.PREFIX)
   */
  readonly pathType?: PathType;
  /**
   * The Service that receives the requests: one of this library's Service patterns
   * (`ClusterIpService`, `NodePortService`, `HeadlessService`, ...), or a cdk8s-plus Service
   * through `ExposedService.fromService(service)`, or a Service made elsewhere through
   * `ExposedService.fromAttributes(name, namespace, ports)`.
   */
  readonly backend: IExposedService;
  /** The number of a TCP port of `backend` (its Service port, not the container port). */
  readonly port: number;
}

/**
 * Serve some hosts over HTTPS: which certificate, from an existing Secret or from cert-manager.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
 */
export interface IngressTls {
  /**
   * The host names the certificate is for. Each must be routed by a rule (`*.example.com`
   * covers the rule hosts one label under example.com).
   */
  readonly hosts: string[];
  /**
   * The `kubernetes.io/tls` Secret, in the route's namespace, that holds the certificate.
   * With `clusterIssuer` or `issuer`, the Secret cert-manager writes. Not for
   * `RouteFlavour.gatewayApi()`: the Gateway's listener holds the certificate.
   * @default - with an issuer, `<name of the route object>-tls` (`-tls-<index>` from the
   * second block on); otherwise none: the controller's default certificate
   */
  readonly secretName?: string;
  /**
   * A cert-manager `ClusterIssuer` that issues the certificate (annotation
   * `cert-manager.io/cluster-issuer`; `RouteFlavour.ingress()` only, where cert-manager's
   * ingress-shim reads it).
   * @default - no cert-manager
   */
  readonly clusterIssuer?: string;
  /**
   * A cert-manager `Issuer` in the route's namespace that issues the certificate (annotation
   * `cert-manager.io/issuer`; `RouteFlavour.ingress()` only).
   * @default - no cert-manager
   */
  readonly issuer?: string;
}
