import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { traefikCrds } from './crds';
import { addTraefikRoute, traefikPriority } from './traefik-priorities';
import { Checker, structKeys } from '../../core/errors';
import { checkAllowFrom, cidrWithout } from '../../core/network-policy';
import { definedOnly } from '../../core/objects';
import type * as traefik from '../../imports/traefik.io';
import { traefikMatch, WirePathType } from '../http';
import { CONTROLLER_REACHABLE, crossNamespaces } from '../route-access';
import {
  checkClassOptions, claimName, FlavourDescription, FlavourObjects, refuseImplementationSpecific,
  ResolvedRule, RouteContext, RouteFlavourImpl, RouteSpec,
} from '../route-model';
import { IngressTls } from '../rules';

/**
 * Options of `RouteFlavour.traefik()`: Traefik's own `traefik.io/v1alpha1` `IngressRoute`.
 */
export interface TraefikRouteFlavourOptions {
  /**
   * The IngressClass: which Traefik instance serves the routes (the IngressRoutes'
   * `spec.ingressClassName` and, on every Traefik object, the annotation
   * `kubernetes.io/ingress.class`, both matched against Traefik's
   * `providers.kubernetesCRD.ingressClass`).
   * @default - every Traefik instance
   */
  readonly className?: string;
}

const TRAEFIK_OPTIONS = structKeys<TraefikRouteFlavourOptions>('TraefikRouteFlavourOptions', { className: true });

/** Traefik's entry points, as k3s and the Traefik Helm chart name them. */
const TRAEFIK_WEB_ENTRY_POINT = 'web';
const TRAEFIK_WEBSECURE_ENTRY_POINT = 'websecure';
const TRAEFIK_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The Traefik IngressRoute flavour. */
export class TraefikFlavourImpl implements RouteFlavourImpl {
  public readonly name = 'RouteFlavour.traefik()';
  public readonly patternName = 'Traefik IngressRoute';

  constructor(private readonly options: TraefikRouteFlavourOptions) {}

  public checkOptions(check: Checker): void {
    checkClassOptions(check, 'traefik', this.options, TRAEFIK_OPTIONS);
  }

  /** `ipBlock` peers become the `sourceRange` of one `ipAllowList` Middleware. */
  public resolveAllowFrom(check: Checker, allowFrom: kplus.INetworkPolicyPeer[] | undefined): string[] | undefined {
    if (allowFrom === undefined) return undefined;
    return (checkAllowFrom(check, allowFrom) ?? []).map((peer) => {
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

  public checkTlsBlock(check: Checker, block: IngressTls, index: number): void {
    if (block.clusterIssuer !== undefined || block.issuer !== undefined) {
      const field = block.clusterIssuer !== undefined ? 'clusterIssuer' : 'issuer';
      check.fail(`tls[${index}].${field}`, 'is not used by RouteFlavour.traefik(): cert-manager reads issuer annotations from Ingress and Gateway objects only',
        block[field], 'Create a cert-manager Certificate and pass its secretName, or use RouteFlavour.ingress() (Traefik serves Ingress objects too).');
    }
  }

  public checkRule(check: Checker, rule: ResolvedRule): void {
    refuseImplementationSpecific(check, this.name, rule);
  }

  public checkRoutes(): void {}

  public build(ctx: RouteContext, spec: RouteSpec): FlavourObjects {
    const crds = traefikCrds();
    const check = ctx.check;
    const route = (r: ResolvedRule, middlewares?: traefik.IngressRouteSpecRoutesMiddlewares[]): traefik.IngressRouteSpecRoutes => {
      const entry = addTraefikRoute(ctx.scope, r.host, r.path, r.pathType as WirePathType);
      return definedOnly({
        match: traefikMatch(r.host, r.path, r.pathType as WirePathType),
        // Known once every IngressRoute of the App is added; the producer cannot throw.
        priority: Lazy.any({ produce: () => traefikPriority(ctx.scope, entry) }) as unknown as number,
        middlewares,
        services: [definedOnly({
          name: r.backend.serviceName,
          namespace: r.crossNamespace ? r.backend.serviceNamespace : undefined,
          port: crds.IngressRouteSpecRoutesServicesPort.fromNumber(r.port),
        })],
      });
    };
    const className = this.options.className;
    // Traefik's CRD provider filters every kind (Middlewares too) by this annotation when
    // providers.kubernetesCRD.ingressClass is set; IngressRoutes also carry spec.ingressClassName.
    const annotations = className === undefined ? undefined : { [TRAEFIK_INGRESS_CLASS_ANNOTATION]: className };
    const metadata = () => definedOnly({ namespace: ctx.metadataNamespace, annotations });
    // The allow list comes first on every route: a refused client gets 403, not a redirect.
    const allowList = spec.sourceRanges === undefined ? undefined : claimName(check, 'allowFrom', new crds.Middleware(ctx.scope, 'AllowFrom', {
      metadata: metadata(),
      spec: { ipAllowList: { sourceRange: spec.sourceRanges } },
    }));
    const redirect = !spec.httpsRedirect ? undefined : claimName(check, 'httpsRedirect', new crds.Middleware(ctx.scope, 'HttpsRedirect', {
      metadata: metadata(),
      spec: { redirectScheme: { scheme: 'https', permanent: true } },
    }));
    const allowed = allowList ? [{ name: allowList.name }] : [];
    const webMiddlewares = [...allowed, ...(redirect ? [{ name: redirect.name }] : [])];
    const web = claimName(check, 'name', new crds.IngressRoute(ctx.scope, 'Resource', {
      metadata: definedOnly({ name: ctx.name, ...metadata() }),
      spec: definedOnly({
        entryPoints: [TRAEFIK_WEB_ENTRY_POINT],
        ingressClassName: className,
        routes: spec.rules.map((r) => route(r, webMiddlewares.length > 0 ? webMiddlewares : undefined)),
      }),
    }), ctx.name !== undefined);
    const routeObjects = [web];
    spec.tls.forEach((block, b) => {
      const rules = spec.rules.filter((r) => r.tlsBlock === b);
      if (rules.length === 0) return; // every host of the block is served by a more specific block
      routeObjects.push(claimName(check, `tls[${b}]`, new crds.IngressRoute(ctx.scope, b === 0 ? 'Tls' : `Tls${b}`, {
        metadata: metadata(),
        spec: definedOnly({
          entryPoints: [TRAEFIK_WEBSECURE_ENTRY_POINT],
          ingressClassName: className,
          routes: rules.map((r) => route(r, allowed.length > 0 ? allowed : undefined)),
          tls: definedOnly({ secretName: block.secretName }),
        }),
      })));
    });
    return { resource: web, routeObjects, tls: spec.tls, redirectMiddleware: redirect, allowListMiddleware: allowList, referenceGrants: [] };
  }

  public describe(_ctx: RouteContext, spec: RouteSpec, objects: FlavourObjects): FlavourDescription {
    const className = this.options.className;
    const namespaces = crossNamespaces(spec);
    const controller = [`Traefik v3 with the Kubernetes CRD provider (traefik.io/v1alpha1 CRDs) and entry points "${TRAEFIK_WEB_ENTRY_POINT}" (:80)`
      + `${spec.tls.length > 0 ? ` and "${TRAEFIK_WEBSECURE_ENTRY_POINT}" (:443)` : ''}${className ? `, providers.kubernetesCRD.ingressClass "${className}"` : ''}; ${CONTROLLER_REACHABLE}`];
    if (namespaces.length > 0) {
      controller.push(`Traefik with providers.kubernetesCRD.allowCrossNamespace=true (backends in ${namespaces.join(', ')})`);
    }
    if (spec.sourceRanges) {
      controller.push(`Traefik seeing the clients' own addresses, for the allow list ${spec.sourceRanges.join(', ')}: externalTrafficPolicy Local on the Service in front of it, `
        + 'hostNetwork or hostPort, or the PROXY protocol on its entry points (entryPoints.<name>.proxyProtocol.trustedIPs); '
        + 'otherwise it compares node addresses');
    }
    return {
      via: `Traefik IngressRoute ${objects.resource.name}`,
      lookupCommand: 'kubectl get services --all-namespaces -l app.kubernetes.io/name=traefik -o wide',
      wildcardAnyDepth: false,
      controller,
    };
  }
}
