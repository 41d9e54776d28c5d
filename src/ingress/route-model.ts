/**
 * The route model shared by every flavour: what a flavour implements (`RouteFlavourImpl`), the
 * rules and TLS blocks after defaults and checks, the host/path, duplicate and App-wide route
 * checks. Internal: not exported from the package.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { hostProblem, pathProblem, routeKeyPath, tlsHostCovers, WirePathType } from './http';
import { DEFAULT_INGRESS_PATH, DEFAULT_PATH_TYPE, IngressRule, IngressTls, PathType } from './rules';
import { checkExposedService } from '../core/checks';
import { AppClaims, ClaimKind, claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { Checker, StructKeys, structKeys } from '../core/errors';
import { IExposedService } from '../core/exposure';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { describeAllowFrom } from '../core/network-policy';
import { checkPortNumber } from '../core/ports';

/** The construct the flavour builds into, and what it knows about itself. */
export interface RouteContext {
  /** The `IngressRoute`: the scope of every object a flavour creates. */
  readonly scope: Construct;
  readonly check: Checker;
  /** The namespace of the routes (the chart's, or `default`, when not set). */
  readonly namespace: string;
  /** What to write into `metadata.namespace` (only what the user chose). */
  readonly metadataNamespace?: string;
  /** `props.name`: the name of the primary route object. */
  readonly name?: string;
}

/** A rule after defaults and checks. */
export interface ResolvedRule {
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

/** The routes of one construct after the shared checks: what a flavour builds from. */
export interface RouteSpec {
  readonly rules: ResolvedRule[];
  readonly tls: IngressTls[];
  readonly httpsRedirect: boolean;
  /** The client ranges of `allowFrom`, as the flavour resolved them. */
  readonly sourceRanges?: string[];
}

/** What a flavour creates. */
export interface FlavourObjects {
  readonly resource: ApiObject;
  /** Every route object, the primary first. */
  readonly routeObjects: ApiObject[];
  /** The TLS blocks with what the flavour filled in (cert-manager's Secret names). */
  readonly tls: IngressTls[];
  readonly redirectMiddleware?: ApiObject;
  readonly allowListMiddleware?: ApiObject;
  readonly referenceGrants: ApiObject[];
}

/** How a flavour appears in the access points and prerequisites. */
export interface FlavourDescription {
  /** `Ingress web (class nginx)`: what the requests go through. */
  readonly via: string;
  /** The command that prints the controller's address (for rules without a host). */
  readonly lookupCommand: string;
  /** Whether a wildcard host matches any depth of subdomain (Gateway API) instead of one label. */
  readonly wildcardAnyDepth: boolean;
  /** The controller (or Gateway) the routes need, first among the prerequisites. */
  readonly controller: string[];
}

/**
 * What the shared route model asks of a flavour. Each method takes what it checks or builds and
 * returns its result; none depends on another having run first.
 */
export interface RouteFlavourImpl {
  /** How messages name the flavour: the factory that makes it, e.g. `RouteFlavour.traefik()`. */
  readonly name: string;
  /** `Ingress`, `Traefik IngressRoute` or `Gateway API HTTPRoute`. */
  readonly patternName: string;
  /** Checks the flavour's own options, with `httpsRedirect` (props under `flavour.`). */
  checkOptions(check: Checker, httpsRedirect: boolean): void;
  /** The client ranges of `allowFrom` at the edge, or a refusal. */
  resolveAllowFrom(check: Checker, allowFrom: kplus.INetworkPolicyPeer[] | undefined): string[] | undefined;
  /** Checks one TLS block for what the flavour can do with it. */
  checkTlsBlock(check: Checker, block: IngressTls, index: number, tls: IngressTls[]): void;
  /** Checks one rule for what the flavour can route. */
  checkRule(check: Checker, rule: ResolvedRule, namespace: string): void;
  /** Checks the routes as a whole (redirect support, schema limits). */
  checkRoutes(check: Checker, spec: RouteSpec): void;
  /** Creates the flavour's objects in `ctx.scope`. */
  build(ctx: RouteContext, spec: RouteSpec): FlavourObjects;
  /** How the built objects appear in the access guide. */
  describe(ctx: RouteContext, spec: RouteSpec, objects: FlavourObjects): FlavourDescription;
}

/** The keys of an `IngressRule`. */
const INGRESS_RULE = structKeys<IngressRule>('IngressRule', { host: true, path: true, pathType: true, backend: true, port: true });

/** The keys of an `IngressTls`. */
const INGRESS_TLS = structKeys<IngressTls>('IngressTls', { hosts: true, secretName: true, clusterIssuer: true, issuer: true });

/** Whether `value` is a route flavour's implementation (JavaScript callers may pass anything). */
export function isRouteFlavourImpl(value: unknown): value is RouteFlavourImpl {
  return value !== null && typeof value === 'object' && typeof (value as RouteFlavourImpl).build === 'function'
    && typeof (value as RouteFlavourImpl).name === 'string';
}

/** Checks each TLS block on its own, and with the flavour; returns the blocks as given. */
export function checkTlsShape(check: Checker, flavour: RouteFlavourImpl, tls: IngressTls[] | undefined): IngressTls[] {
  if (tls === undefined) return [];
  check.structList('tls', tls, INGRESS_TLS, { noun: 'TLS block', fix: 'Pass e.g. [{ hosts: ["nginx.example.com"], secretName: "nginx-tls" }].' });
  const seenHosts = new Map<string, string>();
  tls.forEach((block, b) => {
    check.list(`tls[${b}].hosts`, block.hosts, { noun: 'host', minLength: 1, fix: 'List the routed hosts the certificate is for.' });
    block.hosts.forEach((host, h) => {
      const problem = hostProblem(host);
      if (problem) check.fail(`tls[${b}].hosts[${h}]`, problem.problem, host, problem.fix);
      const previous = seenHosts.get(host);
      if (previous !== undefined) {
        check.duplicate(`tls[${b}].hosts[${h}]`, previous, host,
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
    flavour.checkTlsBlock(check, block, b, tls);
  });
  return tls;
}

/** The rules with their defaults, checked on their own and by the flavour. */
export function resolveRules(check: Checker, flavour: RouteFlavourImpl, namespace: string, rules: IngressRule[], tls: IngressTls[]): ResolvedRule[] {
  check.structList('rules', rules, INGRESS_RULE, {
    noun: 'rule', minLength: 1, fix: 'Add a route, e.g. [{ host: "nginx.example.com", backend: service, port: 80 }].',
  });
  return rules.map((rule, i): ResolvedRule => {
    const prop = `rules[${i}]`;
    if (rule.host !== undefined) {
      const problem = hostProblem(rule.host);
      if (problem) check.fail(`${prop}.host`, problem.problem, rule.host, problem.fix);
    }
    const pathType = check.enumValue(`${prop}.pathType`, rule.pathType, PathType, 'PathType') ?? DEFAULT_PATH_TYPE;
    const path = rule.path ?? DEFAULT_INGRESS_PATH;
    const backend = checkBackend(check, `${prop}.backend`, rule.backend);
    const resolved: ResolvedRule = {
      index: i,
      host: rule.host,
      path,
      pathType,
      backend,
      port: rule.port,
      backendKey: `${backend.serviceNamespace}/${backend.serviceName}:${rule.port}`,
      crossNamespace: backend.serviceNamespace !== namespace,
      tlsBlock: rule.host === undefined ? undefined : coveringBlock(tls, rule.host),
    };
    const pathIssue = pathProblem(path, pathType as WirePathType);
    if (pathIssue) check.fail(`${prop}.path`, pathIssue.problem, path, pathIssue.fix);
    checkBackendPort(check, `${prop}.port`, backend, rule.port);
    flavour.checkRule(check, resolved, namespace);
    return resolved;
  });
}

function checkBackend(check: Checker, prop: string, backend: IExposedService): IExposedService {
  checkExposedService(check, prop, backend);
  check.list(`${prop}.servicePorts`, backend.servicePorts, { noun: 'Service port', fix: 'Use ExposedService.fromService() or ExposedService.fromAttributes().' });
  const nameProblem = dns1035LabelProblem(backend.serviceName);
  if (nameProblem) check.fail(prop, `has a Service name that ${nameProblem}`, backend.serviceName, 'Use the Service\'s metadata.name.');
  const nsProblem = dns1123LabelProblem(backend.serviceNamespace);
  if (nsProblem) check.fail(prop, `has a namespace that ${nsProblem}`, backend.serviceNamespace, 'Use the Service\'s namespace.');
  return backend;
}

function checkBackendPort(check: Checker, prop: string, backend: IExposedService, port: number): void {
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
export function checkTlsRouted(check: Checker, rules: ResolvedRule[], tls: IngressTls[]): void {
  const ruleHosts = distinctHosts(rules);
  tls.forEach((block, b) => block.hosts.forEach((host, h) => {
    if (!ruleHosts.some((ruleHost) => tlsHostCovers(host, ruleHost))) {
      check.fail(`tls[${b}].hosts[${h}]`, `is not routed by any rule (rule hosts: ${ruleHosts.length === 0 ? 'none' : ruleHosts.join(', ')})`, host,
        'Add a rule for the host, or remove it from tls; "*.example.com" covers exactly one label under example.com, and a wildcard rule needs the same wildcard in tls.');
    }
  }));
}

/** With `httpsRedirect`, every rule's host must be served over HTTPS. */
export function checkRedirect(check: Checker, spec: RouteSpec): void {
  if (!spec.httpsRedirect) return;
  if (spec.tls.length === 0) {
    check.fail('httpsRedirect', 'needs tls: there is no HTTPS route to redirect to', true, 'Add tls blocks for the hosts, or remove httpsRedirect.');
  }
  for (const rule of spec.rules) {
    if (rule.tlsBlock === undefined) {
      check.fail(`rules[${rule.index}].host`, 'is not covered by a tls block, so httpsRedirect would redirect it to HTTPS that is not served', rule.host,
        'List the host in tls (every rule needs a host with httpsRedirect), or route it from another IngressRoute without httpsRedirect.');
    }
  }
}

/** One host and path (and path type) goes to one backend within this construct. */
export function checkDuplicates(check: Checker, rules: ResolvedRule[]): void {
  const seen = new Map<string, ResolvedRule>();
  for (const rule of rules) {
    const key = routeKey(rule);
    const previous = seen.get(key);
    if (previous) {
      const what = previous.backendKey === rule.backendKey ? 'duplicates' : 'routes the same host and path as';
      check.fail(`rules[${rule.index}]`, `${what} rules[${previous.index}] (${routeText(rule)})`, routeText(rule),
        'Route each host and path once: remove one rule, or change its host, path or pathType.');
    }
    seen.set(key, rule);
  }
}

interface RouteClaim {
  readonly path: string;
  readonly backendKey: string;
}

/** Host, path type and path -> the backends routed to them, App-wide (every flavour). */
const HTTP_ROUTE = new ClaimKind<RouteClaim>('http-route');

/** A host and path goes to one backend in the whole App, whatever the flavour. */
export function claimRoutes(check: Checker, rules: ResolvedRule[]): void {
  const claims = AppClaims.of(check.scope);
  for (const rule of rules) {
    const earlier = claims.add(HTTP_ROUTE, routeKey(rule), { path: check.scope.node.path, backendKey: rule.backendKey });
    const conflict = earlier.find((c) => c.backendKey !== rule.backendKey);
    if (conflict) {
      check.fail(`rules[${rule.index}]`, `routes ${routeText(rule)}, which [${conflict.path}] already routes to Service ${conflict.backendKey}`,
        `Service ${rule.backendKey}`, 'Route each host and path to one backend in the App: remove one of the rules, or change its host or path.');
    }
  }
}

/**
 * The refusal of `allowFrom` by a flavour whose API has no field for client addresses.
 * `api` names the object (`a networking.k8s.io/v1 Ingress`).
 */
export function refuseAllowFrom(check: Checker, flavourName: string, api: string, allowFrom: kplus.INetworkPolicyPeer[] | undefined): undefined {
  if (allowFrom === undefined) return undefined;
  return check.fail('allowFrom', `is not supported by ${flavourName}: ${api} has no field for client addresses, `
    + 'and a NetworkPolicy on the backends would see the controller\'s pods, not the clients', describeAllowFrom(allowFrom) ?? allowFrom,
  'Use RouteFlavour.traefik() (an ipAllowList Middleware on the routes), or restrict the clients where they reach the controller: '
    + 'loadBalancerSourceRanges, or allowFrom with externalTrafficPolicy LOCAL, on the MetalLbLoadBalancer or NodePortService in front of it.');
}

/**
 * Claims `obj`'s kind, namespace and name App-wide (a second object with them would overwrite
 * the first when applied). `explicitName` when the name comes from `props.name`; otherwise cdk8s
 * derived it from the construct path. Returns `obj`.
 */
export function claimName<T extends ApiObject>(check: Checker, prop: string, obj: T, explicitName = false): T {
  claimObjectName(check, prop, obj, explicitName ? undefined : DERIVED_NAME_FIX);
  return obj;
}

export function serviceText(backend: IExposedService): string {
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

export function distinctHosts(rules: ResolvedRule[]): string[] {
  return [...new Set(rules.map((r) => r.host).filter((h): h is string => h !== undefined))];
}

/** Groups in order of first appearance. */
export function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** The options of the Ingress and Traefik flavours: an object, with an IngressClass name (`flavour.className`). */
export function checkClassOptions(check: Checker, factory: string, options: { readonly className?: string }, keys: StructKeys): void {
  checkOptionsObject(check, factory, options, keys);
  const className = check.string('flavour.className', options.className, 'Use the name of an IngressClass, e.g. "nginx" or "traefik".');
  if (className === undefined) return;
  const problem = dns1123SubdomainProblem(className);
  if (problem) {
    check.fail('flavour.className', problem, className, 'Use the name of an IngressClass, e.g. "nginx" or "traefik".');
  }
}

/** `PathType.IMPLEMENTATION_SPECIFIC` exists in networking.k8s.io/v1 Ingress only. */
export function refuseImplementationSpecific(check: Checker, flavourName: string, rule: ResolvedRule): void {
  if (rule.pathType === PathType.IMPLEMENTATION_SPECIFIC) {
    check.fail(`rules[${rule.index}].pathType`, `ImplementationSpecific is not supported by ${flavourName}`, rule.pathType,
      'Use PathType.PREFIX or EXACT (ImplementationSpecific exists in networking.k8s.io/v1 Ingress only).');
  }
}

/**
 * The options of `RouteFlavour.<factory>(options)` must be an object (a JavaScript caller may
 * pass anything; the factory has no construct to report with, so the route checks them).
 */
export function checkOptionsObject(check: Checker, factory: string, options: unknown, keys: StructKeys): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    check.fail('flavour', `was made by RouteFlavour.${factory}() with options that are not an object`, options,
      `Pass the options as an object, e.g. RouteFlavour.${factory}(${factory === 'gatewayApi' ? '{ gateway: { name: "web" } }' : '{ className: "nginx" }'}).`);
  }
  check.struct('flavour', options, keys);
}
