/**
 * The access points and prerequisites of a route, the same for every flavour but for what the
 * flavour describes (`FlavourDescription`). Internal: not exported from the package.
 */
import * as kplus from 'cdk8s-plus-27';
import { isWildcardHost, routeKeyPath } from './http';
import { distinctHosts, FlavourDescription, RouteSpec } from './route-model';
import { PathType } from './rules';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';
import { definedOnly } from '../core/objects';

/** What every flavour's controller line ends with. */
export const CONTROLLER_REACHABLE = 'the controller reachable from outside the cluster (hostPort or hostNetwork, or a NodePort / LoadBalancer Service in front of its pods)';

/** `http://<host><path>` (port 80) per rule, and `https://...` (443) for the TLS hosts. */
export function routeAccessPoints(spec: RouteSpec, flavour: FlavourDescription): AccessPoint[] {
  const points: AccessPoint[] = [];
  for (const rule of spec.rules) {
    const host = rule.host === undefined ? '<ingress-address>'
      : isWildcardHost(rule.host) ? `<subdomain>${rule.host.slice(1)}` : rule.host;
    const hostNote = rule.host === undefined ? 'any host name or the controller\'s address'
      : isWildcardHost(rule.host)
        ? `any ${flavour.wildcardAnyDepth ? '' : 'one-label '}subdomain of ${rule.host.slice(2)}`
        : `${rule.host} (its DNS name must resolve to the controller)`;
    const pathNote = rule.pathType === PathType.EXACT ? `exactly ${rule.path}`
      : rule.pathType === PathType.PREFIX ? (rule.path === '/' ? 'every path' : `${routeKeyPath(rule.path, 'Prefix')} and below`) : `${rule.path} (as the controller interprets it)`;
    const schemes = [
      ...(spec.httpsRedirect ? [] : [{ scheme: 'http', port: 80 }]),
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
        hostLookupCommand: rule.host === undefined ? flavour.lookupCommand : undefined,
        backend: `Service ${rule.backend.serviceNamespace}/${rule.backend.serviceName}`,
        description: `${scheme.toUpperCase()} to the ingress controller for ${hostNote}, ${pathNote}, through ${flavour.via}, to Service ${rule.backend.serviceName} port ${rule.port}`
          + `${spec.httpsRedirect ? ' (plain HTTP is redirected here)' : ''}${spec.sourceRanges ? `; only from ${spec.sourceRanges.join(', ')}` : ''}.`,
      }));
    }
  }
  return points;
}

/**
 * The controller (from the flavour), cert-manager, Secrets and DNS records the routes need
 * (from the TLS blocks as given: a Secret cert-manager writes is not a prerequisite).
 */
export function routePrerequisites(namespace: string, spec: RouteSpec, flavour: FlavourDescription): string[] {
  const tls = spec.tls;
  const result = [...flavour.controller];
  const issuers = [...new Set(tls.map((b) => (b.clusterIssuer !== undefined ? `ClusterIssuer "${b.clusterIssuer}"`
    : b.issuer !== undefined ? `Issuer "${b.issuer}" in namespace "${namespace}"` : undefined)).filter((x): x is string => x !== undefined))];
  if (issuers.length > 0) {
    result.push(`cert-manager with ${issuers.join(', ')}`);
  }
  const secrets = tls.filter((b) => b.clusterIssuer === undefined && b.issuer === undefined)
    .map((b) => b.secretName).filter((name): name is string => name !== undefined);
  if (secrets.length > 0) {
    result.push(`kubernetes.io/tls Secret${secrets.length > 1 ? 's' : ''} ${secrets.map((s) => `"${s}"`).join(', ')} in namespace "${namespace}"`);
  }
  const hosts = distinctHosts(spec.rules);
  if (hosts.length > 0) {
    result.push(`DNS records (or /etc/hosts entries) for ${hosts.join(', ')} resolving to the controller's address`);
  }
  return result;
}

/** The namespaces of the backends outside the route's namespace. */
export function crossNamespaces(spec: RouteSpec): string[] {
  return [...new Set(spec.rules.filter((r) => r.crossNamespace).map((r) => r.backend.serviceNamespace))];
}
