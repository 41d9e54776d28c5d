import * as kplus from 'cdk8s-plus-27';
import { gatewayCrds } from './crds';
import { Checker, structKeys } from '../../core/errors';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../../core/names';
import { definedOnly } from '../../core/objects';
import { jsonPathCommand } from '../../guide/commands';
import type * as gateway from '../../imports/gateway.networking.k8s.io';
import { CONTROLLER_REACHABLE, crossNamespaces } from '../route-access';
import {
  checkOptionsObject, claimName, distinctHosts, FlavourDescription, FlavourObjects, groupBy, refuseAllowFrom,
  refuseImplementationSpecific, ResolvedRule, RouteContext, RouteFlavourImpl, RouteSpec,
} from '../route-model';
import { IngressTls, PathType } from '../rules';

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
 * Options of `RouteFlavour.gatewayApi()`: Gateway API `HTTPRoute`s attached to an existing Gateway.
 */
export interface GatewayApiRouteFlavourOptions {
  /** The Gateway the routes attach to (it carries the class: `gatewayClassName`). */
  readonly gateway: GatewayReference;
}

/** The Gateway listener (`sectionName`) that receives the HTTPS routes when `httpsRedirect` is on. */
export const DEFAULT_GATEWAY_HTTPS_LISTENER = 'https';

/** The Gateway listener (`sectionName`) that receives the redirect route when `httpsRedirect` is on. */
export const DEFAULT_GATEWAY_HTTP_LISTENER = 'http';

const GATEWAY_API_OPTIONS = structKeys<GatewayApiRouteFlavourOptions>('GatewayApiRouteFlavourOptions', { gateway: true });
const GATEWAY_REFERENCE = structKeys<GatewayReference>('GatewayReference', { name: true, namespace: true, sectionName: true, httpSectionName: true });

/** Limits of the Gateway API `HTTPRoute` schema (standard channel v1.6). */
const GATEWAY_MAX_HOSTNAMES = 16;
const GATEWAY_MAX_RULES = 16;
const GATEWAY_MAX_MATCHES_PER_RULE = 64;
const GATEWAY_MAX_MATCHES_PER_ROUTE = 128;

/** The Gateway API HTTPRoute flavour. */
export class GatewayApiFlavourImpl implements RouteFlavourImpl {
  public readonly name = 'RouteFlavour.gatewayApi()';
  public readonly patternName = 'Gateway API HTTPRoute';

  constructor(private readonly options: GatewayApiRouteFlavourOptions) {}

  public checkOptions(check: Checker, httpsRedirect: boolean): void {
    checkOptionsObject(check, 'gatewayApi', this.options, GATEWAY_API_OPTIONS);
    const gw = this.options.gateway;
    if (gw === undefined || gw === null) {
      check.fail('flavour.gateway', 'is required by RouteFlavour.gatewayApi()', gw,
        'Name the Gateway the HTTPRoutes attach to, e.g. RouteFlavour.gatewayApi({ gateway: { name: "web", namespace: "gateway-system" } }).');
    }
    check.struct('flavour.gateway', gw, GATEWAY_REFERENCE);
    const nameProblem = dns1123SubdomainProblem(gw.name);
    if (nameProblem) {
      check.fail('flavour.gateway.name', nameProblem, gw.name, 'Use the name of an existing Gateway.');
    }
    if (gw.namespace !== undefined) {
      const problem = dns1123LabelProblem(gw.namespace);
      if (problem) check.fail('flavour.gateway.namespace', problem, gw.namespace, 'Use the namespace of the Gateway, e.g. "gateway-system".');
    }
    for (const field of ['sectionName', 'httpSectionName'] as const) {
      const value = gw[field];
      if (value === undefined) continue;
      const problem = dns1123SubdomainProblem(value);
      if (problem) check.fail(`flavour.gateway.${field}`, problem, value, 'Use the name of one of the Gateway\'s listeners, e.g. "https".');
    }
    if (gw.httpSectionName !== undefined && !httpsRedirect) {
      check.fail('flavour.gateway.httpSectionName', 'is only used with httpsRedirect', gw.httpSectionName,
        'Remove httpSectionName, or set httpsRedirect: true; use sectionName for the listener of the routes.');
    }
    if (httpsRedirect && httpsListener(gw) === httpListener(gw)) {
      check.fail('flavour.gateway.httpSectionName', `must differ from the HTTPS listener "${httpsListener(gw)}"`, gw.httpSectionName ?? gw.sectionName,
        `Attach the routes to the HTTPS listener (sectionName, default "${DEFAULT_GATEWAY_HTTPS_LISTENER}") and the redirect to the HTTP listener (httpSectionName, default "${DEFAULT_GATEWAY_HTTP_LISTENER}").`);
    }
  }

  public resolveAllowFrom(check: Checker, allowFrom: kplus.INetworkPolicyPeer[] | undefined): undefined {
    return refuseAllowFrom(check, this.name, 'a Gateway API HTTPRoute', allowFrom);
  }

  public checkTlsBlock(check: Checker, block: IngressTls, index: number): void {
    if (block.secretName !== undefined || block.clusterIssuer !== undefined || block.issuer !== undefined) {
      const field = block.secretName !== undefined ? 'secretName' : block.clusterIssuer !== undefined ? 'clusterIssuer' : 'issuer';
      check.fail(`tls[${index}].${field}`, 'is not used by RouteFlavour.gatewayApi(): the Gateway\'s HTTPS listener holds the certificate',
        block[field], 'Set certificateRefs on the Gateway\'s listener (cert-manager: annotate the Gateway); keep only hosts here, to mark them as served over HTTPS.');
    }
  }

  public checkRule(check: Checker, rule: ResolvedRule): void {
    refuseImplementationSpecific(check, this.name, rule);
  }

  /**
   * The HTTPRoute schema limits. One HTTPRoute is made per host, with one rule per backend (each
   * with one backendRef) and one parentRef, so the per-rule backendRef (16) and parentRef (32)
   * limits cannot be exceeded; the redirect route holds every host.
   */
  public checkRoutes(check: Checker, spec: RouteSpec): void {
    for (const group of groupBy(spec.rules, (r) => r.host ?? '')) {
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
    if (spec.httpsRedirect) {
      const hosts = distinctHosts(spec.rules);
      if (hosts.length > GATEWAY_MAX_HOSTNAMES) {
        check.fail('rules', `route ${hosts.length} hosts, but the HTTPS redirect HTTPRoute holds at most ${GATEWAY_MAX_HOSTNAMES} hostnames`,
          hosts, 'Split the hosts across IngressRoute constructs (at most 16 hosts each with httpsRedirect).');
      }
    }
  }

  public build(ctx: RouteContext, spec: RouteSpec): FlavourObjects {
    const crds = gatewayCrds();
    const check = ctx.check;
    const gw = this.options.gateway;
    const crossNamespace = spec.rules.some((r) => r.crossNamespace);
    // A ReferenceGrant names the route's namespace: write it down so that `kubectl -n` cannot move the route.
    const namespace = crossNamespace ? ctx.namespace : ctx.metadataNamespace;
    const parentRef = (sectionName?: string): gateway.HttpRouteSpecParentRefs => definedOnly({
      name: gw.name, namespace: gw.namespace, sectionName,
    });
    const routeListener = spec.httpsRedirect ? httpsListener(gw) : gw.sectionName;
    const routeObjects: gateway.HttpRoute[] = [];
    const usedIds = new Set<string>();
    for (const group of groupBy(spec.rules, (r) => r.host ?? '')) {
      const host = group[0].host;
      const primary = routeObjects.length === 0;
      const route = new crds.HttpRoute(ctx.scope, primary ? 'Resource' : uniqueId(usedIds, `Host-${hostId(host)}`), {
        metadata: definedOnly({ name: primary ? ctx.name : undefined, namespace }),
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
      routeObjects.push(claimName(check, primary ? 'name' : `rules[${group[0].index}].host`, route, primary && ctx.name !== undefined));
    }
    if (spec.httpsRedirect) {
      routeObjects.push(claimName(check, 'httpsRedirect', new crds.HttpRoute(ctx.scope, 'HttpsRedirect', {
        metadata: definedOnly({ namespace }),
        spec: {
          parentRefs: [parentRef(httpListener(gw))],
          hostnames: distinctHosts(spec.rules),
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
    const referenceGrants: gateway.ReferenceGrantV1Beta1[] = [];
    const granted = new Set<string>();
    for (const rule of spec.rules.filter((r) => r.crossNamespace)) {
      const key = `${rule.backend.serviceNamespace}/${rule.backend.serviceName}`;
      if (granted.has(key)) continue;
      granted.add(key);
      // Narrowest grant: HTTPRoutes of this namespace, to this one Service.
      referenceGrants.push(claimName(check, `rules[${rule.index}].backend`, new crds.ReferenceGrantV1Beta1(ctx.scope, `ReferenceGrant-${rule.backend.serviceNamespace}-${rule.backend.serviceName}`, {
        metadata: { namespace: rule.backend.serviceNamespace },
        spec: {
          from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: ctx.namespace }],
          to: [{ group: '', kind: 'Service', name: rule.backend.serviceName }],
        },
      })));
    }
    return { resource: routeObjects[0], routeObjects, tls: spec.tls, referenceGrants };
  }

  public describe(ctx: RouteContext, spec: RouteSpec, objects: FlavourObjects): FlavourDescription {
    const gw = this.options.gateway;
    const gatewayNamespace = gw.namespace ?? ctx.namespace;
    const listeners = spec.httpsRedirect ? `listeners "${httpsListener(gw)}" (HTTPS) and "${httpListener(gw)}" (HTTP) allow`
      : gw.sectionName ? `listener "${gw.sectionName}" allows` : 'listeners allow';
    return {
      via: `HTTPRoute ${objects.resource.name} on Gateway ${gatewayNamespace}/${gw.name}`,
      lookupCommand: jsonPathCommand(gatewayNamespace, 'gateway', gw.name, '{.status.addresses[*].value}'),
      // The Gateway API matches a wildcard hostname as a suffix (any depth); Ingress and TLS, one label.
      wildcardAnyDepth: true,
      controller: [
        `Gateway API v1 CRDs (HTTPRoute${crossNamespaces(spec).length > 0 ? ', ReferenceGrant v1beta1' : ''}) and a Gateway controller`,
        `a Gateway "${gw.name}" in namespace "${gatewayNamespace}" whose ${listeners} routes from namespace "${ctx.namespace}"`
          + `${spec.tls.length > 0 ? ', with the certificates of the TLS hosts' : ''}; ${CONTROLLER_REACHABLE}`,
      ],
    };
  }
}

function httpsListener(gw: GatewayReference): string {
  return gw.sectionName ?? DEFAULT_GATEWAY_HTTPS_LISTENER;
}

function httpListener(gw: GatewayReference): string {
  return gw.httpSectionName ?? DEFAULT_GATEWAY_HTTP_LISTENER;
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
