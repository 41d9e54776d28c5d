import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  compareSpecificity, hostProblem, isWildcardHost, pathProblem, routeKeyPath, routeSpecificity,
  tlsHostCovers, traefikMatch, WirePathType,
} from './http';
import { AppClaims, claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { Checker } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint, ExternalExposureProps, IExposedService } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { checkAllowFrom, cidrWithout, describeAllowFrom } from '../core/network-policy';
import { definedOnly } from '../core/objects';
import { checkPortNumber } from '../core/ports';
import type * as gateway from '../imports/gateway.networking.k8s.io';
import type * as traefik from '../imports/traefik.io';

// The generated CRD modules are big (gateway.networking.k8s.io alone is 1.6 MB of JavaScript):
// they are loaded on first use, so that `require('cdk8s-expose')` does not pay for them. Only
// their types are imported statically (`import type`, erased from the JavaScript).

/** The Gateway API classes, loaded on first use. */
function gatewayCrds(): typeof gateway {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../imports/gateway.networking.k8s.io');
}

/** The Traefik classes, loaded on first use. */
function traefikCrds(): typeof traefik {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../imports/traefik.io');
}

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
   * a regular expression with its `use-regex` annotation). `INGRESS` flavour only: Traefik and
   * the Gateway API have no such type.
   */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/**
 * Which API the routes are written for. The value is the kind of the route object.
 */
export enum IngressFlavour {
  /**
   * A `networking.k8s.io/v1` `Ingress`, served by any ingress controller (ingress-nginx,
   * Traefik, HAProxy, ...).
   * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
   */
  INGRESS = 'Ingress',
  /**
   * Traefik's own `traefik.io/v1alpha1` `IngressRoute` (Traefik v3; k3s and k3d ship Traefik),
   * on the entry points `web` (:80) and `websecure` (:443).
   * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/crd/http/ingressroute/
   */
  TRAEFIK = 'IngressRoute',
  /**
   * A Gateway API `gateway.networking.k8s.io/v1` `HTTPRoute` attached to an existing Gateway:
   * the successor of Ingress.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  GATEWAY_API = 'HTTPRoute',
}

/** The path a rule routes when it names none. */
export const DEFAULT_INGRESS_PATH = '/';

/** The path type of a rule that names none. */
export const DEFAULT_PATH_TYPE = PathType.PREFIX;

/** The flavour of an `IngressRoute` that names none. */
export const DEFAULT_INGRESS_FLAVOUR = IngressFlavour.INGRESS;

/** The Gateway listener (`sectionName`) that receives the HTTPS routes when `httpsRedirect` is on. */
export const DEFAULT_GATEWAY_HTTPS_LISTENER = 'https';

/** The Gateway listener (`sectionName`) that receives the redirect route when `httpsRedirect` is on. */
export const DEFAULT_GATEWAY_HTTP_LISTENER = 'http';

/** Traefik's entry points, as k3s and the Traefik Helm chart name them. */
const TRAEFIK_WEB_ENTRY_POINT = 'web';
const TRAEFIK_WEBSECURE_ENTRY_POINT = 'websecure';
const TRAEFIK_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Limits of the Gateway API `HTTPRoute` schema (standard channel v1.6). */
const GATEWAY_MAX_HOSTNAMES = 16;
const GATEWAY_MAX_RULES = 16;
const GATEWAY_MAX_MATCHES_PER_RULE = 64;
const GATEWAY_MAX_MATCHES_PER_ROUTE = 128;

const CERT_MANAGER_CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
const CERT_MANAGER_ISSUER = 'cert-manager.io/issuer';

/**
 * One route: requests for `host` and `path` go to port `port` of the Service `backend`.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules
 */
export interface IngressRule {
  /**
   * The host name the route matches (the HTTP `Host` header): a lowercase DNS name, or
   * `*.example.com` for any one label under example.com (`GATEWAY_API`: any name under
   * example.com, as the Gateway API specifies). Not an IP address.
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
   * With `clusterIssuer` or `issuer`, the Secret cert-manager writes.
   * @default - with an issuer, `<name of the route object>-tls` (`-tls-<index>` from the
   * second block on); otherwise none: the controller's default certificate
   */
  readonly secretName?: string;
  /**
   * A cert-manager `ClusterIssuer` that issues the certificate (annotation
   * `cert-manager.io/cluster-issuer`; `INGRESS` flavour, where cert-manager's ingress-shim
   * reads it).
   * @default - no cert-manager
   */
  readonly clusterIssuer?: string;
  /**
   * A cert-manager `Issuer` in the route's namespace that issues the certificate (annotation
   * `cert-manager.io/issuer`; `INGRESS` flavour).
   * @default - no cert-manager
   */
  readonly issuer?: string;
}

/**
 * The Gateway an `HTTPRoute` attaches to (`parentRefs`).
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/#parentrefs
 */
export interface GatewayReference {
  /** The Gateway's name. */
  readonly name: string;
  /**
   * The Gateway's namespace. Its listeners must allow routes from the route's namespace
   * (`allowedRoutes.namespaces`: the default is the Gateway's own namespace only).
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The listener the routes attach to.
   * @default - every listener of the Gateway; with `httpsRedirect`,
   * DEFAULT_GATEWAY_HTTPS_LISTENER ("https")
   */
  readonly sectionName?: string;
  /**
   * The plain-HTTP listener the redirect route attaches to (only with `httpsRedirect`).
   * @default DEFAULT_GATEWAY_HTTP_LISTENER ("http")
   */
  readonly httpSectionName?: string;
}

/**
 * Properties of an `IngressRoute`.
 *
 * `allowFrom` means "the clients that may use these routes", checked where the clients arrive:
 * at the ingress controller. The requests reach the backend pods from the controller's pods, so
 * a NetworkPolicy on the backends with client addresses would admit no one. With `TRAEFIK`,
 * `ipBlock` peers become one `ipAllowList` Middleware (its `sourceRange`) attached to every route
 * of the construct; Traefik answers other clients with 403 Forbidden. `except` cannot be written
 * in an allow list and is refused (the message lists the ranges to pass instead), and so are pod
 * and namespace peers (the controller sees addresses, not pods). `INGRESS` and `GATEWAY_API` have
 * no portable field for client addresses and refuse `allowFrom`: restrict the clients at the
 * controller's own Service (`loadBalancerSourceRanges`, or `allowFrom` with
 * `externalTrafficPolicy: LOCAL` on the `MetalLbLoadBalancer` or `NodePortService` in front of it).
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
   * The IngressClass: which controller serves the routes (`INGRESS`: `spec.ingressClassName`;
   * `TRAEFIK`: the IngressRoutes' `spec.ingressClassName` and, on every Traefik object, the
   * annotation `kubernetes.io/ingress.class`, both matched against Traefik's
   * `providers.kubernetesCRD.ingressClass`). Not for `GATEWAY_API`: the Gateway has the class.
   * @default - the cluster's default IngressClass (`INGRESS`); every Traefik instance (`TRAEFIK`)
   */
  readonly className?: string;
  /**
   * Which API the routes are written for.
   * @default DEFAULT_INGRESS_FLAVOUR (IngressFlavour.INGRESS)
   */
  readonly flavour?: IngressFlavour;
  /**
   * The Gateway the routes attach to. Required for, and only used by, `GATEWAY_API`.
   * @default - none (required for `GATEWAY_API`)
   */
  readonly gateway?: GatewayReference;
  /**
   * Answer plain-HTTP requests with a permanent redirect to HTTPS. Every rule's host must be
   * covered by a `tls` block. `TRAEFIK`: a `redirectScheme` Middleware on the `web` entry point;
   * `GATEWAY_API`: an HTTPRoute with a `RequestRedirect` filter on the HTTP listener. `INGRESS`
   * is refused: Ingress has no redirect field, only controller-specific annotations (ingress-nginx
   * already redirects TLS hosts by default).
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

/** A rule after defaults and checks. */
interface ResolvedRule {
  readonly index: number;
  readonly host?: string;
  readonly path: string;
  readonly pathType: PathType;
  readonly backend: IExposedService;
  readonly port: number;
  /** `namespace/name:port`. */
  readonly backendKey: string;
  readonly crossNamespace: boolean;
  /** The TLS block that covers the rule's host. */
  readonly tlsBlock?: number;
}

interface RouteClaim {
  readonly path: string;
  readonly backendKey: string;
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
 * (`TRAEFIK` only: an `ipAllowList` Middleware) names the client ranges. Traefik only sees a
 * client's own address when the Service in front of it keeps it (`externalTrafficPolicy: Local`,
 * hostNetwork or hostPort) or its entry points accept the PROXY protocol; otherwise it sees node
 * addresses and the allow list matches those. Without `tls` the routes are plain HTTP; with
 * `tls`, set `httpsRedirect` so that HTTP is not served. A backend in another namespace is
 * allowed only as narrowly as the API lets: `GATEWAY_API` adds a ReferenceGrant for that one
 * Service and HTTPRoutes from this namespace only; `INGRESS` refuses it.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/ipallowlist/
 */
export class IngressRoute extends Exposure {
  /** The API the routes are written for. */
  public readonly flavour: IngressFlavour;
  /** Whether plain HTTP is redirected to HTTPS. */
  public readonly httpsRedirect: boolean;
  /** The IngressClass, when set. */
  public readonly className?: string;
  /** The Gateway the routes attach to (`GATEWAY_API`). */
  public readonly gateway?: GatewayReference;
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
  public readonly routeObjects: ApiObject[] = [];
  /** The Traefik `Middleware` that redirects to HTTPS, when `httpsRedirect` is on (`TRAEFIK`). */
  public readonly redirectMiddleware?: ApiObject;
  /**
   * The client ranges the routes admit (the `ipBlock`s of `allowFrom`, as given), when
   * `allowFrom` is set (`TRAEFIK`).
   */
  public readonly sourceRanges?: string[];
  /**
   * The Traefik `ipAllowList` Middleware attached to every route, when `allowFrom` is set
   * (`TRAEFIK`). Its construct id is `AllowFrom`.
   */
  public readonly allowListMiddleware?: ApiObject;
  /** The ReferenceGrants that let the HTTPRoutes reach backends in other namespaces (`GATEWAY_API`). */
  public readonly referenceGrants: ApiObject[] = [];
  /** `http://<host><path>` (port 80) per rule, and `https://...` (443) for the TLS hosts. */
  public readonly accessPoints: AccessPoint[];
  /** The controller (or Gateway), cert-manager, Secrets and DNS records the routes need. */
  public readonly prerequisites: string[];
  /** `Ingress`, `Traefik IngressRoute` or `Gateway API HTTPRoute`. */
  public readonly patternName: string;

  private readonly resolvedRules: ResolvedRule[];

  constructor(scope: Construct, id: string, props: IngressRouteProps) {
    super(scope, id, props, 'IngressRoute');
    this.flavour = props.flavour ?? DEFAULT_INGRESS_FLAVOUR;
    this.httpsRedirect = props.httpsRedirect ?? false;
    this.className = props.className;
    this.gateway = props.gateway;

    this.checkFlavourProps(props);
    this.sourceRanges = this.resolveAllowFrom(props);
    if (!Array.isArray(props.rules) || props.rules.length === 0) {
      this._check.fail('rules', 'must list at least one rule', props.rules,
        'Add a route, e.g. [{ host: "nginx.example.com", backend: service, port: 80 }].');
    }
    if (props.name !== undefined) {
      const problem = dns1123SubdomainProblem(props.name);
      if (problem) {
        this._check.fail('name', problem, props.name, 'Use a lowercase name such as "nginx".');
      }
    }
    const tlsInput = this.checkTlsShape(props.tls);
    this.resolvedRules = this.resolveRules(props.rules, tlsInput);
    this.checkTlsRouted(tlsInput);
    this.checkRedirect(tlsInput);
    this.checkDuplicates();
    if (this.flavour === IngressFlavour.GATEWAY_API) {
      this.checkGatewayLimits();
    }
    this.claimRoutes();

    this.rules = this.resolvedRules.map((r) => definedOnly({
      host: r.host, path: r.path, pathType: r.pathType, backend: r.backend, port: r.port,
    }));

    switch (this.flavour) {
      case IngressFlavour.TRAEFIK: {
        const built = this.buildTraefik(props, tlsInput);
        this.resource = built.resource;
        this.redirectMiddleware = built.middleware;
        this.allowListMiddleware = built.allowList;
        this.tls = tlsInput;
        this.patternName = 'Traefik IngressRoute';
        break;
      }
      case IngressFlavour.GATEWAY_API:
        this.resource = this.buildGateway(props);
        this.tls = tlsInput;
        this.patternName = 'Gateway API HTTPRoute';
        break;
      default: {
        const built = this.buildIngress(props, tlsInput);
        this.resource = built.resource;
        this.tls = built.tls;
        this.patternName = 'Ingress';
        break;
      }
    }
    this.accessPoints = this.buildAccessPoints();
    this.prerequisites = this.buildPrerequisites(tlsInput);
  }

  // ---------------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------------

  private checkFlavourProps(props: IngressRouteProps): void {
    const check: Checker = this._check;
    if (!Object.values(IngressFlavour).includes(this.flavour)) {
      check.fail('flavour', 'must be an IngressFlavour', props.flavour, 'Use IngressFlavour.INGRESS, TRAEFIK or GATEWAY_API.');
    }
    if (props.className !== undefined) {
      if (this.flavour === IngressFlavour.GATEWAY_API) {
        check.fail('className', 'is not used by the GATEWAY_API flavour', props.className,
          'The Gateway carries the class (gatewayClassName): remove className and name the Gateway in gateway.');
      }
      const problem = dns1123SubdomainProblem(props.className);
      if (problem) {
        check.fail('className', problem, props.className, 'Use the name of an IngressClass, e.g. "nginx" or "traefik".');
      }
    }
    const gw = props.gateway;
    if (this.flavour !== IngressFlavour.GATEWAY_API) {
      if (gw !== undefined) {
        check.fail('gateway', `is only used by the GATEWAY_API flavour, not ${flavourName(this.flavour)}`, gw,
          'Remove gateway, or set flavour: IngressFlavour.GATEWAY_API.');
      }
      return;
    }
    if (gw === undefined || gw === null || typeof gw !== 'object') {
      check.fail('gateway', 'is required by the GATEWAY_API flavour', gw,
        'Name the Gateway the HTTPRoutes attach to, e.g. gateway: { name: "web", namespace: "gateway-system" }.');
    }
    const nameProblem = dns1123SubdomainProblem(gw.name);
    if (nameProblem) {
      check.fail('gateway.name', nameProblem, gw.name, 'Use the name of an existing Gateway.');
    }
    if (gw.namespace !== undefined) {
      const problem = dns1123LabelProblem(gw.namespace);
      if (problem) check.fail('gateway.namespace', problem, gw.namespace, 'Use the namespace of the Gateway, e.g. "gateway-system".');
    }
    for (const field of ['sectionName', 'httpSectionName'] as const) {
      const value = gw[field];
      if (value === undefined) continue;
      const problem = dns1123SubdomainProblem(value);
      if (problem) check.fail(`gateway.${field}`, problem, value, 'Use the name of one of the Gateway\'s listeners, e.g. "https".');
    }
    if (gw.httpSectionName !== undefined && !this.httpsRedirect) {
      check.fail('gateway.httpSectionName', 'is only used with httpsRedirect', gw.httpSectionName,
        'Remove httpSectionName, or set httpsRedirect: true; use sectionName for the listener of the routes.');
    }
    if (this.httpsRedirect && httpsListener(gw) === httpListener(gw)) {
      check.fail('gateway.httpSectionName', `must differ from the HTTPS listener "${httpsListener(gw)}"`, gw.httpSectionName ?? gw.sectionName,
        `Attach the routes to the HTTPS listener (sectionName, default "${DEFAULT_GATEWAY_HTTPS_LISTENER}") and the redirect to the HTTP listener (httpSectionName, default "${DEFAULT_GATEWAY_HTTP_LISTENER}").`);
    }
  }

  /**
   * `allowFrom` at the edge: the `ipBlock` CIDRs for Traefik's `ipAllowList`; refused by the
   * flavours without a field for client addresses, and for what an allow list cannot express.
   */
  private resolveAllowFrom(props: IngressRouteProps): string[] | undefined {
    const check: Checker = this._check;
    if (props.allowFrom === undefined) return undefined;
    if (this.flavour !== IngressFlavour.TRAEFIK) {
      const api = this.flavour === IngressFlavour.INGRESS ? 'a networking.k8s.io/v1 Ingress' : 'a Gateway API HTTPRoute';
      check.fail('allowFrom', `is not supported by the ${flavourName(this.flavour)} flavour: ${api} has no field for client addresses, `
        + 'and a NetworkPolicy on the backends would see the controller\'s pods, not the clients', describeAllowFrom(props.allowFrom) ?? props.allowFrom,
      'Use flavour TRAEFIK (an ipAllowList Middleware on the routes), or restrict the clients where they reach the controller: '
        + 'loadBalancerSourceRanges, or allowFrom with externalTrafficPolicy LOCAL, on the MetalLbLoadBalancer or NodePortService in front of it.');
    }
    const peers = checkAllowFrom(check, props.allowFrom)!;
    return peers.map((peer) => {
      if (peer.ipBlock === undefined) {
        return check.fail(`allowFrom[${peer.index}]`, 'selects pods, which the ingress controller cannot match: it sees client addresses, '
          + 'and every request reaches the backends from the controller\'s own pods', peer.text,
        'Pass the clients\' address ranges as ipBlocks; to limit which pods reach the backends, give the backends a NetworkPolicy that admits the controller\'s pods.');
      }
      if (peer.ipBlock.except.length > 0) {
        check.fail(`allowFrom[${peer.index}].except`, 'cannot be expressed by Traefik\'s ipAllowList, which only lists admitted ranges', peer.ipBlock.except,
          `Pass the remaining ranges as ipBlocks without except: ${cidrWithout(peer.ipBlock).join(', ')}.`);
      }
      return peer.ipBlock.cidr;
    });
  }

  /** Checks each TLS block on its own; returns the blocks as given. */
  private checkTlsShape(tls: IngressTls[] | undefined): IngressTls[] {
    const check: Checker = this._check;
    if (tls === undefined) return [];
    if (!Array.isArray(tls)) {
      check.fail('tls', 'must be a list of TLS blocks', tls, 'Pass e.g. [{ hosts: ["nginx.example.com"], secretName: "nginx-tls" }].');
    }
    const seenHosts = new Map<string, string>();
    let issuerKey: string | undefined;
    tls.forEach((block, b) => {
      if (!Array.isArray(block.hosts) || block.hosts.length === 0) {
        check.fail(`tls[${b}].hosts`, 'must list at least one host', block.hosts, 'List the routed hosts the certificate is for.');
      }
      block.hosts.forEach((host, h) => {
        const problem = hostProblem(host);
        if (problem) check.fail(`tls[${b}].hosts[${h}]`, problem.problem, host, problem.fix);
        const previous = seenHosts.get(host);
        if (previous !== undefined) {
          check.fail(`tls[${b}].hosts[${h}]`, `is already listed in ${previous}`, host,
            'List each host in one TLS block: a host can only be served with one certificate.');
        }
        seenHosts.set(host, `tls[${b}].hosts[${h}]`);
      });
      if (block.secretName !== undefined) {
        const problem = dns1123SubdomainProblem(block.secretName);
        if (problem) check.fail(`tls[${b}].secretName`, problem, block.secretName, 'Use the name of a kubernetes.io/tls Secret, e.g. "nginx-tls".');
      }
      if (block.clusterIssuer !== undefined && block.issuer !== undefined) {
        check.fail(`tls[${b}].issuer`, 'cannot be combined with clusterIssuer', block.issuer, 'Use either clusterIssuer or issuer.');
      }
      for (const field of ['clusterIssuer', 'issuer'] as const) {
        const value = block[field];
        if (value === undefined) continue;
        const problem = dns1123SubdomainProblem(value);
        if (problem) check.fail(`tls[${b}].${field}`, problem, value, 'Use the name of a cert-manager issuer, e.g. "letsencrypt".');
      }
      const usesIssuer = block.clusterIssuer !== undefined || block.issuer !== undefined;
      if (this.flavour === IngressFlavour.GATEWAY_API && (block.secretName !== undefined || usesIssuer)) {
        const field = block.secretName !== undefined ? 'secretName' : block.clusterIssuer !== undefined ? 'clusterIssuer' : 'issuer';
        check.fail(`tls[${b}].${field}`, 'is not used by the GATEWAY_API flavour: the Gateway\'s HTTPS listener holds the certificate',
          block[field], 'Set certificateRefs on the Gateway\'s listener (cert-manager: annotate the Gateway); keep only hosts here, to mark them as served over HTTPS.');
      }
      if (this.flavour === IngressFlavour.TRAEFIK && usesIssuer) {
        const field = block.clusterIssuer !== undefined ? 'clusterIssuer' : 'issuer';
        check.fail(`tls[${b}].${field}`, 'is not used by the TRAEFIK flavour: cert-manager reads issuer annotations from Ingress and Gateway objects only',
          block[field], 'Create a cert-manager Certificate and pass its secretName, or use flavour INGRESS (Traefik serves Ingress objects too).');
      }
      // cert-manager's ingress-shim reads one issuer annotation per Ingress and issues a
      // certificate for every TLS block: mixing would overwrite the other blocks' Secrets.
      const key = block.clusterIssuer !== undefined ? `ClusterIssuer "${block.clusterIssuer}"`
        : block.issuer !== undefined ? `Issuer "${block.issuer}"` : 'no issuer';
      if (b > 0 && key !== issuerKey) {
        check.fail(`tls[${b}]`, `uses ${key} but tls[0] uses ${issuerKey}; cert-manager applies one issuer to every TLS block of an Ingress`,
          block, 'Use the same issuer in every block, or put the blocks in separate IngressRoute constructs.');
      }
      issuerKey = key;
    });
    return tls;
  }

  private resolveRules(rules: IngressRule[], tls: IngressTls[]): ResolvedRule[] {
    const check: Checker = this._check;
    return rules.map((rule, i): ResolvedRule => {
      const prop = `rules[${i}]`;
      if (rule.host !== undefined) {
        const problem = hostProblem(rule.host);
        if (problem) check.fail(`${prop}.host`, problem.problem, rule.host, problem.fix);
      }
      const pathType = rule.pathType ?? DEFAULT_PATH_TYPE;
      if (!Object.values(PathType).includes(pathType)) {
        check.fail(`${prop}.pathType`, 'must be a PathType', rule.pathType, 'Use PathType.PREFIX, EXACT or IMPLEMENTATION_SPECIFIC.');
      }
      if (pathType === PathType.IMPLEMENTATION_SPECIFIC && this.flavour !== IngressFlavour.INGRESS) {
        check.fail(`${prop}.pathType`, `ImplementationSpecific is not supported by the ${flavourName(this.flavour)} flavour`, pathType,
          'Use PathType.PREFIX or EXACT (ImplementationSpecific exists in networking.k8s.io/v1 Ingress only).');
      }
      const path = rule.path ?? DEFAULT_INGRESS_PATH;
      const pathIssue = pathProblem(path, pathType as WirePathType);
      if (pathIssue) check.fail(`${prop}.path`, pathIssue.problem, path, pathIssue.fix);

      const backend = this.checkBackend(`${prop}.backend`, rule.backend);
      this.checkBackendPort(`${prop}.port`, backend, rule.port);
      const crossNamespace = backend.serviceNamespace !== this.namespace;
      if (crossNamespace && this.flavour === IngressFlavour.INGRESS) {
        check.fail(`${prop}.backend`, `is in namespace "${backend.serviceNamespace}" but an Ingress only routes to Services of its own namespace "${this.namespace}"`,
          serviceText(backend), `Create the IngressRoute in namespace "${backend.serviceNamespace}", or use flavour GATEWAY_API (ReferenceGrant) or TRAEFIK.`);
      }
      return {
        index: i,
        host: rule.host,
        path,
        pathType,
        backend,
        port: rule.port,
        backendKey: `${backend.serviceNamespace}/${backend.serviceName}:${rule.port}`,
        crossNamespace,
        tlsBlock: rule.host === undefined ? undefined : coveringBlock(tls, rule.host),
      };
    });
  }

  private checkBackend(prop: string, backend: IExposedService): IExposedService {
    const check: Checker = this._check;
    if (!backend || typeof backend !== 'object' || typeof backend.serviceName !== 'string' || !Array.isArray(backend.servicePorts)) {
      check.fail(prop, 'must be a Service (IExposedService)', backend === undefined ? undefined : typeof backend,
        'Pass one of this library\'s Service patterns, or wrap a kplus.Service with ExposedService.fromService(service).');
    }
    const nameProblem = dns1035LabelProblem(backend.serviceName);
    if (nameProblem) check.fail(prop, `has a Service name that ${nameProblem}`, backend.serviceName, 'Use the Service\'s metadata.name.');
    const nsProblem = dns1123LabelProblem(backend.serviceNamespace);
    if (nsProblem) check.fail(prop, `has a namespace that ${nsProblem}`, backend.serviceNamespace, 'Use the Service\'s namespace.');
    return backend;
  }

  private checkBackendPort(prop: string, backend: IExposedService, port: number): void {
    const check: Checker = this._check;
    checkPortNumber(check, prop, port);
    const exposed = backend.servicePorts.map((p) => `${p.port}/${p.protocol ?? kplus.Protocol.TCP}`);
    const list = exposed.length === 0 ? 'no ports' : exposed.join(', ');
    const sameNumber = backend.servicePorts.filter((p) => p.port === port);
    if (sameNumber.length === 0) {
      check.fail(prop, `is not a port of Service "${backend.serviceName}" (it exposes ${list})`, port,
        'Use the Service port (not the container port) the backend listens on.');
    }
    if (!sameNumber.some((p) => (p.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP)) {
      check.fail(prop, `is not a TCP port of Service "${backend.serviceName}" (it exposes ${list}); HTTP needs TCP`, port,
        'Route to a TCP port of the Service.');
    }
  }

  /** Every TLS host must be routed: it must cover some rule's host (RFC 6125 wildcards). */
  private checkTlsRouted(tls: IngressTls[]): void {
    const ruleHosts = [...new Set(this.resolvedRules.map((r) => r.host).filter((h): h is string => h !== undefined))];
    tls.forEach((block, b) => block.hosts.forEach((host, h) => {
      if (!ruleHosts.some((ruleHost) => tlsHostCovers(host, ruleHost))) {
        this._check.fail(`tls[${b}].hosts[${h}]`, `is not routed by any rule (rule hosts: ${ruleHosts.length === 0 ? 'none' : ruleHosts.join(', ')})`, host,
          'Add a rule for the host, or remove it from tls; "*.example.com" covers exactly one label under example.com, and a wildcard rule needs the same wildcard in tls.');
      }
    }));
  }

  private checkRedirect(tls: IngressTls[]): void {
    if (!this.httpsRedirect) return;
    const check: Checker = this._check;
    if (this.flavour === IngressFlavour.INGRESS) {
      check.fail('httpsRedirect', 'is not supported by the INGRESS flavour: networking.k8s.io/v1 has no redirect field, only controller-specific annotations', true,
        'Use flavour TRAEFIK or GATEWAY_API, or rely on the controller (ingress-nginx redirects TLS hosts by default; Traefik: router.entrypoints and a redirect Middleware annotation).');
    }
    if (tls.length === 0) {
      check.fail('httpsRedirect', 'needs tls: there is no HTTPS route to redirect to', true, 'Add tls blocks for the hosts, or remove httpsRedirect.');
    }
    for (const rule of this.resolvedRules) {
      if (rule.tlsBlock === undefined) {
        check.fail(`rules[${rule.index}].host`, 'is not covered by a tls block, so httpsRedirect would redirect it to HTTPS that is not served', rule.host,
          'List the host in tls (every rule needs a host with httpsRedirect), or route it from another IngressRoute without httpsRedirect.');
      }
    }
  }

  /** One host and path (and path type) goes to one backend within this construct. */
  private checkDuplicates(): void {
    const seen = new Map<string, ResolvedRule>();
    for (const rule of this.resolvedRules) {
      const key = routeKey(rule);
      const previous = seen.get(key);
      if (previous) {
        const what = previous.backendKey === rule.backendKey ? 'duplicates' : 'routes the same host and path as';
        this._check.fail(`rules[${rule.index}]`, `${what} rules[${previous.index}] (${routeText(rule)})`, routeText(rule),
          'Route each host and path once: remove one rule, or change its host, path or pathType.');
      }
      seen.set(key, rule);
    }
  }

  /**
   * The HTTPRoute schema limits. One HTTPRoute is made per host, with one rule per backend (each
   * with one backendRef) and one parentRef, so the per-rule backendRef (16) and parentRef (32)
   * limits cannot be exceeded; the redirect route holds every host.
   */
  private checkGatewayLimits(): void {
    const check: Checker = this._check;
    for (const group of groupBy(this.resolvedRules, (r) => r.host ?? '')) {
      const byBackend = groupBy(group, (r) => r.backendKey);
      const hostText = group[0].host ?? '(any host)';
      if (byBackend.length > GATEWAY_MAX_RULES) {
        check.fail('rules', `route host ${hostText} to ${byBackend.length} backends, but an HTTPRoute holds at most ${GATEWAY_MAX_RULES} rules (one per backend)`,
          byBackend.map((b) => b[0].backendKey), 'Split the routes of this host across IngressRoute constructs.');
      }
      for (const rules of byBackend) {
        if (rules.length > GATEWAY_MAX_MATCHES_PER_RULE) {
          check.fail('rules', `route ${rules.length} paths of host ${hostText} to ${rules[0].backendKey}, but an HTTPRoute rule holds at most ${GATEWAY_MAX_MATCHES_PER_RULE} matches`,
            rules.length, 'Route a common path prefix instead, or split the routes across IngressRoute constructs.');
        }
      }
      if (group.length > GATEWAY_MAX_MATCHES_PER_ROUTE) {
        check.fail('rules', `route ${group.length} paths of host ${hostText}, but an HTTPRoute holds at most ${GATEWAY_MAX_MATCHES_PER_ROUTE} matches in all`,
          group.length, 'Route common path prefixes instead, or split the routes across IngressRoute constructs.');
      }
    }
    if (this.httpsRedirect) {
      const hosts = distinctHosts(this.resolvedRules);
      if (hosts.length > GATEWAY_MAX_HOSTNAMES) {
        check.fail('rules', `route ${hosts.length} hosts, but the HTTPS redirect HTTPRoute holds at most ${GATEWAY_MAX_HOSTNAMES} hostnames`,
          hosts, 'Split the hosts across IngressRoute constructs (at most 16 hosts each with httpsRedirect).');
      }
    }
  }

  /** A host and path goes to one backend in the whole App. */
  private claimRoutes(): void {
    const claims = AppClaims.of(this);
    for (const rule of this.resolvedRules) {
      const earlier = claims.add<RouteClaim>('httpRoute', routeKey(rule), { path: this.node.path, backendKey: rule.backendKey });
      const conflict = earlier.find((c) => c.backendKey !== rule.backendKey);
      if (conflict) {
        this._check.fail(`rules[${rule.index}]`, `routes ${routeText(rule)}, which [${conflict.path}] already routes to Service ${conflict.backendKey}`,
          `Service ${rule.backendKey}`, 'Route each host and path to one backend in the App: remove one of the rules, or change its host or path.');
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Flavours
  // ---------------------------------------------------------------------------------------------

  private buildIngress(props: IngressRouteProps, tls: IngressTls[]): { resource: ApiObject; tls: IngressTls[] } {
    const issuerBlock = tls.find((b) => b.clusterIssuer !== undefined || b.issuer !== undefined);
    const annotations: { [key: string]: string } | undefined = issuerBlock === undefined ? undefined
      : issuerBlock.clusterIssuer !== undefined ? { [CERT_MANAGER_CLUSTER_ISSUER]: issuerBlock.clusterIssuer }
        : { [CERT_MANAGER_ISSUER]: issuerBlock.issuer! };
    let resolvedTls: IngressTls[] = tls;
    const ingress = new kplus.k8s.KubeIngress(this, 'Resource', {
      metadata: definedOnly({ name: props.name, namespace: this._metadataNamespace, annotations }),
      // Lazy only to read the generated name for cert-manager's Secret names; it cannot throw.
      spec: Lazy.any({
        produce: () => definedOnly({
          ingressClassName: this.className,
          rules: groupBy(this.resolvedRules, (r) => r.host ?? '').map((group) => definedOnly({
            host: group[0].host,
            http: {
              paths: group.map((r) => ({
                path: r.path,
                pathType: r.pathType,
                backend: { service: { name: r.backend.serviceName, port: { number: r.port } } },
              })),
            },
          })),
          tls: resolvedTls.length === 0 ? undefined : resolvedTls.map((b) => definedOnly({ hosts: b.hosts, secretName: b.secretName })),
        }),
      }),
    });
    this.claimName('name', ingress, props);
    if (issuerBlock !== undefined) {
      resolvedTls = tls.map((b, i) => (b.secretName !== undefined ? b : { ...b, secretName: `${ingress.name}-tls${i === 0 ? '' : `-${i}`}` }));
      resolvedTls.forEach((b, i) => {
        const problem = dns1123SubdomainProblem(b.secretName!);
        if (problem) {
          this._check.fail(`tls[${i}].secretName`, `(generated from the route's name) ${problem}`, b.secretName, 'Pass secretName, or a shorter name.');
        }
      });
    }
    this.routeObjects.push(ingress);
    return { resource: ingress, tls: resolvedTls };
  }

  private buildTraefik(props: IngressRouteProps, tls: IngressTls[]): { resource: ApiObject; middleware?: ApiObject; allowList?: ApiObject } {
    const crds = traefikCrds();
    const priorities = traefikPriorities(this.resolvedRules);
    const route = (r: ResolvedRule, middlewares?: traefik.IngressRouteSpecRoutesMiddlewares[]): traefik.IngressRouteSpecRoutes => definedOnly({
      match: traefikMatch(r.host, r.path, r.pathType as WirePathType),
      priority: priorities.get(r.index),
      middlewares,
      services: [definedOnly({
        name: r.backend.serviceName,
        namespace: r.crossNamespace ? r.backend.serviceNamespace : undefined,
        port: crds.IngressRouteSpecRoutesServicesPort.fromNumber(r.port),
      })],
    });
    // Traefik's CRD provider filters every kind (Middlewares too) by this annotation when
    // providers.kubernetesCRD.ingressClass is set; IngressRoutes also carry spec.ingressClassName.
    const annotations = this.className === undefined ? undefined : { [TRAEFIK_INGRESS_CLASS_ANNOTATION]: this.className };
    // The allow list comes first on every route: a refused client gets 403, not a redirect.
    let allowList: traefik.Middleware | undefined;
    if (this.sourceRanges) {
      allowList = new crds.Middleware(this, 'AllowFrom', {
        metadata: definedOnly({ namespace: this._metadataNamespace, annotations }),
        spec: { ipAllowList: { sourceRange: this.sourceRanges } },
      });
      this.claimName('allowFrom', allowList);
    }
    const allowed = allowList ? [{ name: allowList.name }] : [];
    let middleware: traefik.Middleware | undefined;
    if (this.httpsRedirect) {
      middleware = new crds.Middleware(this, 'HttpsRedirect', {
        metadata: definedOnly({ namespace: this._metadataNamespace, annotations }),
        spec: { redirectScheme: { scheme: 'https', permanent: true } },
      });
      this.claimName('httpsRedirect', middleware);
    }
    const webMiddlewares = [...allowed, ...(middleware ? [{ name: middleware.name }] : [])];
    const tlsMiddlewares = allowed.length > 0 ? allowed : undefined;
    const web = new crds.IngressRoute(this, 'Resource', {
      metadata: definedOnly({ name: props.name, namespace: this._metadataNamespace, annotations }),
      spec: definedOnly({
        entryPoints: [TRAEFIK_WEB_ENTRY_POINT],
        ingressClassName: this.className,
        routes: this.resolvedRules.map((r) => route(r, webMiddlewares.length > 0 ? webMiddlewares : undefined)),
      }),
    });
    this.claimName('name', web, props);
    this.routeObjects.push(web);
    tls.forEach((block, b) => {
      const rules = this.resolvedRules.filter((r) => r.tlsBlock === b);
      if (rules.length === 0) return; // every host of the block is served by a more specific block
      this.routeObjects.push(this.claimName(`tls[${b}]`, new crds.IngressRoute(this, b === 0 ? 'Tls' : `Tls${b}`, {
        metadata: definedOnly({ namespace: this._metadataNamespace, annotations }),
        spec: definedOnly({
          entryPoints: [TRAEFIK_WEBSECURE_ENTRY_POINT],
          ingressClassName: this.className,
          routes: rules.map((r) => route(r, tlsMiddlewares)),
          tls: definedOnly({ secretName: block.secretName }),
        }),
      })));
    });
    return { resource: web, middleware, allowList };
  }

  private buildGateway(props: IngressRouteProps): ApiObject {
    const crds = gatewayCrds();
    const gw = this.gateway!;
    const crossNamespace = this.resolvedRules.some((r) => r.crossNamespace);
    // A ReferenceGrant names the route's namespace: write it down so that `kubectl -n` cannot move the route.
    const namespace = crossNamespace ? this.namespace : this._metadataNamespace;
    const parentRef = (sectionName?: string): gateway.HttpRouteSpecParentRefs => definedOnly({
      name: gw.name, namespace: gw.namespace, sectionName,
    });
    const routeListener = this.httpsRedirect ? httpsListener(gw) : gw.sectionName;
    let resource: ApiObject | undefined;
    const usedIds = new Set<string>();
    for (const group of groupBy(this.resolvedRules, (r) => r.host ?? '')) {
      const host = group[0].host;
      const id = resource === undefined ? 'Resource' : uniqueId(usedIds, `Host-${hostId(host)}`);
      const route = new crds.HttpRoute(this, id, {
        metadata: definedOnly({ name: resource === undefined ? props.name : undefined, namespace }),
        spec: definedOnly({
          parentRefs: [parentRef(routeListener)],
          hostnames: host === undefined ? undefined : [host],
          rules: groupBy(group, (r) => r.backendKey).map((rules) => ({
            matches: rules.map((r) => ({
              path: {
                type: r.pathType === PathType.EXACT
                  ? crds.HttpRouteSpecRulesMatchesPathType.EXACT
                  : crds.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
                value: r.path,
              },
            })),
            backendRefs: [definedOnly({
              name: rules[0].backend.serviceName,
              namespace: rules[0].crossNamespace ? rules[0].backend.serviceNamespace : undefined,
              port: rules[0].port,
            })],
          })),
        }),
      });
      this.claimName(resource === undefined ? 'name' : `rules[${group[0].index}].host`, route, resource === undefined ? props : undefined);
      resource = resource ?? route;
      this.routeObjects.push(route);
    }
    if (this.httpsRedirect) {
      this.routeObjects.push(this.claimName('httpsRedirect', new crds.HttpRoute(this, 'HttpsRedirect', {
        metadata: definedOnly({ namespace }),
        spec: {
          parentRefs: [parentRef(httpListener(gw))],
          hostnames: distinctHosts(this.resolvedRules),
          rules: [{
            filters: [{
              type: crds.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
              requestRedirect: {
                scheme: crds.HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                statusCode: crds.HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
              },
            }],
          }],
        },
      })));
    }
    const granted = new Set<string>();
    for (const rule of this.resolvedRules.filter((r) => r.crossNamespace)) {
      const key = `${rule.backend.serviceNamespace}/${rule.backend.serviceName}`;
      if (granted.has(key)) continue;
      granted.add(key);
      // Narrowest grant: HTTPRoutes of this namespace, to this one Service.
      this.referenceGrants.push(this.claimName(`rules[${rule.index}].backend`, new crds.ReferenceGrantV1Beta1(this, `ReferenceGrant-${rule.backend.serviceNamespace}-${rule.backend.serviceName}`, {
        metadata: { namespace: rule.backend.serviceNamespace },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: this.namespace }],
          to: [{ group: '', kind: 'Service', name: rule.backend.serviceName }],
        },
      })));
    }
    return resource!;
  }

  /**
   * Claims `obj`'s kind, namespace and name App-wide (a second object with them would overwrite
   * the first when applied). `props` when the name comes from `props.name`; otherwise cdk8s
   * derived it from the construct path. Returns `obj`.
   */
  private claimName(prop: string, obj: ApiObject, props?: IngressRouteProps): ApiObject {
    claimObjectName(this._check, prop, obj, props?.name === undefined ? DERIVED_NAME_FIX : undefined);
    return obj;
  }

  // ---------------------------------------------------------------------------------------------
  // Access points and prerequisites
  // ---------------------------------------------------------------------------------------------

  private buildAccessPoints(): AccessPoint[] {
    const via = this.flavour === IngressFlavour.INGRESS ? `Ingress ${this.resource.name}${this.className ? ` (class ${this.className})` : ''}`
      : this.flavour === IngressFlavour.TRAEFIK ? `Traefik IngressRoute ${this.resource.name}`
        : `HTTPRoute ${this.resource.name} on Gateway ${this.gateway!.namespace ?? this.namespace}/${this.gateway!.name}`;
    const lookup = this.addressLookupCommand();
    const points: AccessPoint[] = [];
    for (const rule of this.resolvedRules) {
      const host = rule.host === undefined ? '<ingress-address>'
        : isWildcardHost(rule.host) ? `<subdomain>${rule.host.slice(1)}` : rule.host;
      const hostNote = rule.host === undefined ? 'any host name or the controller\'s address'
        : isWildcardHost(rule.host)
          // The Gateway API matches a wildcard hostname as a suffix (any depth); Ingress and TLS, one label.
          ? `any ${this.flavour === IngressFlavour.GATEWAY_API ? '' : 'one-label '}subdomain of ${rule.host.slice(2)}`
          : `${rule.host} (its DNS name must resolve to the controller)`;
      const pathNote = rule.pathType === PathType.EXACT ? `exactly ${rule.path}`
        : rule.pathType === PathType.PREFIX ? (rule.path === '/' ? 'every path' : `${routeKeyPath(rule.path, 'Prefix')} and below`) : `${rule.path} (as the controller interprets it)`;
      const schemes = [
        ...(this.httpsRedirect ? [] : [{ scheme: 'http', port: 80 }]),
        ...(rule.tlsBlock === undefined ? [] : [{ scheme: 'https', port: 443 }]),
      ];
      for (const { scheme, port } of schemes) {
        points.push(definedOnly({
          origin: AccessOrigin.OUTSIDE_CLUSTER,
          method: AccessMethod.INGRESS,
          host,
          port,
          protocol: kplus.Protocol.TCP,
          scheme,
          path: rule.path,
          hostLookupCommand: rule.host === undefined ? lookup : undefined,
          backend: `Service ${rule.backend.serviceNamespace}/${rule.backend.serviceName}`,
          description: `${scheme.toUpperCase()} to the ingress controller for ${hostNote}, ${pathNote}, through ${via}, to Service ${rule.backend.serviceName} port ${rule.port}`
            + `${this.httpsRedirect ? ' (plain HTTP is redirected here)' : ''}${this.sourceRanges ? `; only from ${this.sourceRanges.join(', ')}` : ''}.`,
        }));
      }
    }
    return points;
  }

  private addressLookupCommand(): string {
    switch (this.flavour) {
      case IngressFlavour.TRAEFIK:
        return 'kubectl get services --all-namespaces -l app.kubernetes.io/name=traefik -o wide';
      case IngressFlavour.GATEWAY_API:
        return `kubectl -n ${this.gateway!.namespace ?? this.namespace} get gateway ${this.gateway!.name} -o jsonpath='{.status.addresses[*].value}'`;
      default:
        return `kubectl -n ${this.namespace} get ingress ${this.resource.name} -o jsonpath='{.status.loadBalancer.ingress[*].ip}'`;
    }
  }

  private buildPrerequisites(tls: IngressTls[]): string[] {
    const result: string[] = [];
    const reachable = 'the controller reachable from outside the cluster (hostPort or hostNetwork, or a NodePort / LoadBalancer Service in front of its pods)';
    const crossNamespaces = [...new Set(this.resolvedRules.filter((r) => r.crossNamespace).map((r) => r.backend.serviceNamespace))];
    switch (this.flavour) {
      case IngressFlavour.TRAEFIK:
        result.push(`Traefik v3 with the Kubernetes CRD provider (traefik.io/v1alpha1 CRDs) and entry points "${TRAEFIK_WEB_ENTRY_POINT}" (:80)`
          + `${tls.length > 0 ? ` and "${TRAEFIK_WEBSECURE_ENTRY_POINT}" (:443)` : ''}${this.className ? `, providers.kubernetesCRD.ingressClass "${this.className}"` : ''}; ${reachable}`);
        if (crossNamespaces.length > 0) {
          result.push(`Traefik with providers.kubernetesCRD.allowCrossNamespace=true (backends in ${crossNamespaces.join(', ')})`);
        }
        if (this.sourceRanges) {
          result.push(`Traefik seeing the clients' own addresses, for the allow list ${this.sourceRanges.join(', ')}: externalTrafficPolicy Local on the Service in front of it, `
            + 'hostNetwork or hostPort, or the PROXY protocol on its entry points (entryPoints.<name>.proxyProtocol.trustedIPs); '
            + 'otherwise it compares node addresses');
        }
        break;
      case IngressFlavour.GATEWAY_API: {
        const gw = this.gateway!;
        const listeners = this.httpsRedirect ? `listeners "${httpsListener(gw)}" (HTTPS) and "${httpListener(gw)}" (HTTP) allow`
          : gw.sectionName ? `listener "${gw.sectionName}" allows` : 'listeners allow';
        result.push(`Gateway API v1 CRDs (HTTPRoute${crossNamespaces.length > 0 ? ', ReferenceGrant v1beta1' : ''}) and a Gateway controller`);
        result.push(`a Gateway "${gw.name}" in namespace "${gw.namespace ?? this.namespace}" whose ${listeners} routes from namespace "${this.namespace}"`
          + `${tls.length > 0 ? ', with the certificates of the TLS hosts' : ''}; ${reachable}`);
        break;
      }
      default:
        result.push(`an ingress controller serving ${this.className ? `IngressClass "${this.className}"` : 'the cluster\'s default IngressClass'}; ${reachable}`);
        break;
    }
    const issuers = [...new Set(tls.map((b) => (b.clusterIssuer !== undefined ? `ClusterIssuer "${b.clusterIssuer}"`
      : b.issuer !== undefined ? `Issuer "${b.issuer}" in namespace "${this.namespace}"` : undefined)).filter((x): x is string => x !== undefined))];
    if (issuers.length > 0) {
      result.push(`cert-manager with ${issuers.join(', ')}`);
    }
    const secrets = tls.filter((b) => b.secretName !== undefined && b.clusterIssuer === undefined && b.issuer === undefined)
      .map((b) => b.secretName!);
    if (secrets.length > 0) {
      result.push(`kubernetes.io/tls Secret${secrets.length > 1 ? 's' : ''} ${secrets.map((s) => `"${s}"`).join(', ')} in namespace "${this.namespace}"`);
    }
    const hosts = distinctHosts(this.resolvedRules);
    if (hosts.length > 0) {
      result.push(`DNS records (or /etc/hosts entries) for ${hosts.join(', ')} resolving to the controller's address`);
    }
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function flavourName(flavour: IngressFlavour): string {
  return Object.entries(IngressFlavour).find(([, v]) => v === flavour)?.[0] ?? String(flavour);
}

function httpsListener(gw: GatewayReference): string {
  return gw.sectionName ?? DEFAULT_GATEWAY_HTTPS_LISTENER;
}

function httpListener(gw: GatewayReference): string {
  return gw.httpSectionName ?? DEFAULT_GATEWAY_HTTP_LISTENER;
}

function serviceText(backend: IExposedService): string {
  return `Service ${backend.serviceNamespace}/${backend.serviceName}`;
}

function routeKey(rule: ResolvedRule): string {
  return [rule.host ?? '', rule.pathType, routeKeyPath(rule.path, rule.pathType as WirePathType)].join('\u0000');
}

function routeText(rule: ResolvedRule): string {
  return `${rule.host ?? '(any host)'} ${rule.path} (${rule.pathType})`;
}

/** The TLS block that serves `host`: one naming it exactly, else the first whose wildcard covers it. */
function coveringBlock(tls: IngressTls[], host: string): number | undefined {
  const exact = tls.findIndex((b) => Array.isArray(b.hosts) && b.hosts.includes(host));
  if (exact >= 0) return exact;
  const wildcard = tls.findIndex((b) => Array.isArray(b.hosts) && b.hosts.some((t) => tlsHostCovers(t, host)));
  return wildcard >= 0 ? wildcard : undefined;
}

function distinctHosts(rules: ResolvedRule[]): string[] {
  return [...new Set(rules.map((r) => r.host).filter((h): h is string => h !== undefined))];
}

/** Groups in order of first appearance. */
function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** A construct id part for a host: letters, digits and '-' only (cdk8s derives names from ids). */
function hostId(host: string | undefined): string {
  if (host === undefined) return 'any';
  return host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-');
}

function uniqueId(used: Set<string>, base: string): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * Traefik orders routers by priority, by default the length of the rule. Keep that scale (so
 * that routes of other apps compare as usual) but raise a route's priority above the routes of
 * this construct that match some of the same requests and are less specific, so that the more
 * specific route wins as in Ingress and Gateway API: a named host over a wildcard over no host,
 * a longer path over a shorter one, Exact over Prefix. Only priorities that differ from
 * Traefik's default are returned.
 */
function traefikPriorities(rules: ResolvedRule[]): Map<number, number> {
  const entries = rules.map((r) => ({
    rule: r,
    key: routeSpecificity(r.host, r.path, r.pathType as WirePathType),
    length: traefikMatch(r.host, r.path, r.pathType as WirePathType).length,
    priority: 0,
  })).sort((a, b) => compareSpecificity(a.key, b.key) || a.rule.index - b.rule.index);
  const result = new Map<number, number>();
  entries.forEach((entry, i) => {
    let floor = 0;
    for (const before of entries.slice(0, i)) {
      if (compareSpecificity(before.key, entry.key) < 0 && routesOverlap(before.rule, entry.rule)) {
        floor = Math.max(floor, before.priority + 1);
      }
    }
    entry.priority = Math.max(entry.length, floor);
    if (entry.priority !== entry.length) result.set(entry.rule.index, entry.priority);
  });
  return result;
}

/** Whether some request matches both rules. */
function routesOverlap(a: ResolvedRule, b: ResolvedRule): boolean {
  const hostsOverlap = a.host === undefined || b.host === undefined || a.host === b.host
    || tlsHostCovers(a.host, b.host) || tlsHostCovers(b.host, a.host);
  return hostsOverlap && (pathWithin(a, b) || pathWithin(b, a));
}

/** Whether every request path that `inner` matches is also matched by `outer`. */
function pathWithin(inner: ResolvedRule, outer: ResolvedRule): boolean {
  const innerPath = routeKeyPath(inner.path, inner.pathType as WirePathType);
  const outerPath = routeKeyPath(outer.path, outer.pathType as WirePathType);
  if (outer.pathType === PathType.EXACT) {
    return inner.pathType === PathType.EXACT && innerPath === outerPath;
  }
  return outerPath === '/' || innerPath === outerPath || innerPath.startsWith(`${outerPath}/`);
}
