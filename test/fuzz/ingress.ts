/**
 * Fuzz generator of IngressRoute (the three flavours).
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { anyAllowFrom, anyNamespace, makeAllowFrom, PeerSpec, sometimes } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { namespaceOf } from './k8s-rules';
import { dropUndefined } from './services';
import { ExposedService } from '../../src/core/exposure';
import { isWildcardHost, routeKeyPath, tlsHostCovers, WirePathType } from '../../src/ingress/http';
import { IngressRoute } from '../../src/ingress/ingress-route';
import { RouteFlavour } from '../../src/ingress/route-flavour';
import { PathType } from '../../src/ingress/rules';

/**
 * Sort key of a route's specificity, least specific first: how precisely the host matches
 * (none < wildcard < name), then the path length, then Exact before Prefix. The Ingress and
 * Gateway API specifications give the more specific route precedence: the tests' oracle of
 * precedence, independent of how the Traefik flavour assigns priorities.
 */
export function routeSpecificity(host: string | undefined, path: string, pathType: WirePathType): number[] {
  const hostRank = host === undefined ? 0 : isWildcardHost(host) ? 1 : 2;
  return [hostRank, host?.length ?? 0, routeKeyPath(path, pathType).length, pathType === 'Exact' ? 1 : 0];
}

/** Compares two specificity keys. */
export function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

interface RuleSpec {
  readonly host?: any;
  readonly path?: any;
  readonly pathType?: any;
  /** The backend Service: name, the namespace (`same` as the route, or another), its ports. */
  readonly backend: { readonly name: string; readonly namespace: 'same' | 'other'; readonly ports: { port: number; name?: string; protocol?: string }[] };
  readonly port: any;
}

/** Which `RouteFlavour` factory, with its options (or, from a JavaScript caller, anything else). */
type FlavourName = 'ingress' | 'traefik' | 'gatewayApi';
interface FlavourSpec {
  readonly factory: FlavourName;
  readonly options?: any;
}

/** The kind of the route objects of each factory. */
const KIND: { [factory in FlavourName]: string } = { ingress: 'Ingress', traefik: 'IngressRoute', gatewayApi: 'HTTPRoute' };

interface Input {
  readonly rules: RuleSpec[] | any;
  readonly tls?: any;
  /** A RouteFlavour, or (edgy) a raw value such as a value of the removed IngressFlavour enum. */
  readonly flavour?: FlavourSpec | { readonly raw: any };
  /** The removed top-level props (a JavaScript caller of the old API): always refused. */
  readonly className?: any;
  readonly gateway?: any;
  readonly httpsRedirect?: any;
  readonly name?: any;
  readonly namespace?: any;
  readonly allowFrom?: PeerSpec[];
}

const validHost = fc.constantFrom('example.com', 'www.example.com', 'api.example.com', '*.example.com', 'a.b.example.org');
const anyHost = fc.oneof<any>({ weight: 6, arbitrary: validHost }, { weight: 1, arbitrary: fc.constantFrom('Example.com', '192.168.9.1', 'exa mple.com', '*.*.example.com', 'example.com:443', '', '-a.example.com') });
const validPath = fc.constantFrom('/', '/api', '/api/', '/v1/items', '/a-b_c.d');
const anyPath = fc.oneof<any>({ weight: 6, arbitrary: validPath }, { weight: 1, arbitrary: fc.constantFrom('api', '', '/a//b', '/a/../b', '/a b', '/a%2Fb', '/api/.') });
const validPathType = fc.constantFrom(undefined, PathType.PREFIX, PathType.EXACT);

const backendPorts = fc.constantFrom(
  [{ port: 80, name: 'http' }], [{ port: 8080 }], [{ port: 80, name: 'http' }, { port: 443, name: 'https' }], [{ port: 53, name: 'dns', protocol: 'UDP' }],
);

const rule = (edgy: boolean): fc.Arbitrary<RuleSpec> => fc.record({
  host: sometimes(edgy ? anyHost : validHost, 4),
  path: sometimes(edgy ? anyPath : validPath, 2),
  pathType: edgy ? fc.constantFrom<any>(undefined, PathType.PREFIX, PathType.EXACT, PathType.IMPLEMENTATION_SPECIFIC, 'Regex') : validPathType,
  backend: fc.record({
    name: fc.constantFrom('web', 'api', 'db'),
    namespace: edgy ? fc.constantFrom<'same' | 'other'>('same', 'same', 'other') : fc.constant('same' as const),
    ports: edgy ? backendPorts : backendPorts.filter((ports) => (ports[0] as { protocol?: string }).protocol === undefined),
  }),
  port: edgy ? fc.constantFrom<any>(80, 443, 8080, 53, 81, 0) : fc.constant(undefined),
}).map((r) => dropUndefined({ ...r, port: r.port ?? r.backend.ports[0].port }));

/** TLS blocks for some of the hosts. */
const tls = (edgy: boolean) => fc.array(fc.record({
  hosts: fc.array(edgy ? anyHost : validHost, { minLength: edgy ? 0 : 1, maxLength: 2 }),
  secretName: sometimes(fc.constantFrom<any>('web-tls', 'api-tls', ...(edgy ? ['Web_TLS', ''] : []))),
  clusterIssuer: sometimes(fc.constantFrom('letsencrypt', 'internal'), 4),
  issuer: edgy ? sometimes(fc.constantFrom('local'), 5) : fc.constant(undefined),
}).map(dropUndefined), { maxLength: 2 });

const gateway = (edgy: boolean) => fc.record({
  name: edgy ? fc.constantFrom<any>('public', 'Public', '') : fc.constantFrom('public', 'internal'),
  namespace: sometimes(edgy ? fc.constantFrom<any>('gateways', 'Gateways') : fc.constant('gateways'), 2),
  sectionName: sometimes(fc.constantFrom('https', 'web'), 3),
}).map(dropUndefined);

const className = (edgy: boolean) => sometimes(fc.constantFrom<any>('traefik', 'nginx', ...(edgy ? ['Nginx Class', 7] : [])), 3);

/** A flavour with options of any shape (a JavaScript caller), or a raw value where a RouteFlavour belongs. */
const anyFlavour: fc.Arbitrary<any> = fc.oneof<any>(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: fc.record({ factory: fc.constantFrom<FlavourName>('ingress', 'traefik'), options: sometimes(fc.oneof<any>(fc.record({ className: className(true) }).map(dropUndefined), fc.constantFrom('nginx', null)), 3) }).map(dropUndefined) },
  { weight: 6, arbitrary: fc.record({ factory: fc.constant<FlavourName>('gatewayApi'), options: fc.oneof<any>({ weight: 6, arbitrary: fc.record({ gateway: sometimes(gateway(true), 8) }).map(dropUndefined) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'public') }) }) },
  { weight: 1, arbitrary: fc.record({ raw: fc.constantFrom<any>('Ingress', 'IngressRoute', 'HTTPRoute', 'traefik', 3, {}) }) },
);

/** A value one time in twelve: the removed props are rare (and always refused). */
const rarely = (arbitrary: fc.Arbitrary<any>) => fc.oneof<any>({ weight: 11, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** Any input (mostly malformed somewhere). */
const input = (edgy: boolean): fc.Arbitrary<Input> => fc.record({
  rules: edgy
    ? fc.oneof<any>({ weight: 8, arbitrary: fc.array(rule(true), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(undefined, {}) })
    : fc.array(rule(false), { minLength: 1, maxLength: 3 }),
  tls: sometimes(tls(edgy), 2),
  flavour: anyFlavour,
  className: rarely(className(true)),
  gateway: rarely(gateway(true)),
  httpsRedirect: fc.constantFrom<any>(undefined, false, true, ...(edgy ? ['yes'] : [])),
  name: sometimes(edgy ? fc.constantFrom<any>('web', 'web.example', 'Web', '') : fc.constantFrom('web', 'web.example')),
  namespace: edgy ? anyNamespace : fc.constant(undefined),
  allowFrom: anyAllowFrom,
}).map(dropUndefined);

/**
 * A valid input of one flavour: distinct host/path pairs, TLS blocks for routed hosts only,
 * cert-manager for Ingress only, a Gateway for HTTPRoutes only, the redirect where it exists and
 * every host has TLS, `allowFrom` (ipBlocks without `except`) for Traefik only.
 */
const validInput: fc.Arbitrary<Input> = fc.constantFrom<FlavourName | undefined>(undefined, 'ingress', 'traefik', 'gatewayApi')
  .chain((flavour) => fc.uniqueArray(rule(false), { minLength: 1, maxLength: 3, selector: (r) => `${r.host}|${r.path ?? '/'}` })
    .chain((rules) => {
      const hosts = [...new Set(rules.map((r) => r.host).filter((h): h is string => h !== undefined))];
      const allHosts = hosts.length > 0 && hosts.length === rules.length;
      const ingress = flavour === undefined || flavour === 'ingress';
      const tlsBlock = fc.record({
        hosts: fc.constant(hosts),
        secretName: flavour === 'gatewayApi' ? fc.constant(undefined) : sometimes(fc.constantFrom('web-tls', 'api-tls')),
        clusterIssuer: ingress ? sometimes(fc.constantFrom('letsencrypt', 'internal'), 3) : fc.constant(undefined),
      }).map(dropUndefined);
      const options: fc.Arbitrary<any> = flavour === 'gatewayApi' ? gateway(false).map((g) => ({ gateway: g }))
        : fc.record({ className: sometimes(fc.constantFrom('traefik', 'nginx'), 3) }).map(dropUndefined);
      return fc.record({
        rules: fc.constant(rules),
        tls: hosts.length > 0 ? sometimes(tlsBlock.map((t) => [t]), 2) : fc.constant(undefined),
        flavour: flavour === undefined ? fc.constant(undefined) : options.map((o) => ({ factory: flavour, options: o })),
        name: sometimes(fc.constantFrom('web', 'web.example')),
        allowFrom: flavour === 'traefik'
          ? sometimes(fc.array(fc.record({ kind: fc.constant('ipv4' as const), cidr: fc.constantFrom('203.0.113.0/24', '10.0.0.0/8') }), { minLength: 1, maxLength: 2 }), 3)
          : fc.constant(undefined),
      }).chain((partial) => fc.constantFrom<any>(undefined, false, ...(allHosts && !ingress && partial.tls ? [true] : []))
        .map((httpsRedirect) => dropUndefined({ ...partial, httpsRedirect })));
    }));

export const ingressFuzzer: PatternFuzzer<Input> = {
  className: 'IngressRoute',
  input: fc.oneof({ weight: 3, arbitrary: validInput }, { weight: 1, arbitrary: input(true) }),
  javascriptCallers: true,
  build(scope: Chart, id: string, given: Input, caller): Built {
    const namespace = typeof given.namespace === 'string' ? given.namespace : scope.namespace ?? 'default';
    const rules = Array.isArray(given.rules)
      ? given.rules.map((r: RuleSpec) => ({
        ...r,
        backend: ExposedService.fromAttributes(r.backend.name, r.backend.namespace === 'same' ? namespace : 'other-ns', r.backend.ports as any),
      }))
      : given.rules;
    // `as any`: the removed top-level className and gateway of a JavaScript caller pass through.
    const props: any = { ...given, rules, flavour: makeFlavour(given.flavour), allowFrom: makeAllowFrom(scope, id, given.allowFrom) };
    const route = new IngressRoute(scope, id, caller(props));
    return {
      construct: route,
      check: (docs) => {
        const problems: string[] = [];
        const flavour = KIND[(given.flavour as FlavourSpec | undefined)?.factory ?? 'ingress'];
        if (route.flavour.kind !== flavour) problems.push(`flavour ${route.flavour.kind}, asked for ${flavour}`);
        const objects = route.routeObjects.map((o) => docs.find((d) => d.kind === o.kind && d.metadata?.name === o.name
          && namespaceOf(d) === route.namespace));
        if (objects.some((o) => o === undefined) || objects.length === 0) problems.push(`route objects missing: ${route.routeObjects.map((o) => `${o.kind}/${o.name}`)}`);
        if (!objects.every((o) => o?.kind === flavour || (flavour !== 'Ingress' && o?.kind === 'Middleware'))) {
          problems.push(`route objects ${objects.map((o) => o?.kind)} for flavour ${flavour}`);
        }
        if (flavour === 'Ingress') {
          const ingress = objects[0];
          const routes = new Set<string>();
          for (const r of ingress?.spec?.rules ?? []) {
            for (const p of r.http?.paths ?? []) routes.add(`${r.host ?? '*'}|${p.path}|${p.pathType}|${p.backend?.service?.name}:${p.backend?.service?.port?.number}`);
          }
          for (const r of given.rules as RuleSpec[]) {
            const want = `${r.host ?? '*'}|${r.path ?? '/'}|${r.pathType ?? 'Prefix'}|${r.backend.name}:${r.port}`;
            if (!routes.has(want)) problems.push(`no Ingress path ${want} among ${[...routes]}`);
          }
        }
        if (given.httpsRedirect === true && flavour === 'IngressRoute' && !docs.some((d) => d.kind === 'Middleware' && d.spec?.redirectScheme?.scheme === 'https')) {
          problems.push('httpsRedirect without a redirectScheme Middleware');
        }
        if (given.httpsRedirect === true && flavour === 'HTTPRoute'
          && !docs.some((d) => d.kind === 'HTTPRoute' && JSON.stringify(d.spec?.rules ?? []).includes('RequestRedirect'))) {
          problems.push('httpsRedirect without a RequestRedirect HTTPRoute');
        }
        problems.push(...ingressRouteConflicts(docs), ...traefikPriorityProblems(docs));
        return problems;
      },
    };
  },
};

/**
 * App-wide: a host and path go to one backend (the Ingress flavour; the other flavours' objects
 * are checked by their CRD schemas).
 */
export function ingressRouteConflicts(docs: any[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const d of docs.filter((x) => x.kind === 'Ingress')) {
    for (const r of d.spec?.rules ?? []) {
      for (const p of r.http?.paths ?? []) {
        const key = `${d.spec.ingressClassName ?? ''}|${r.host ?? '*'}|${p.path}|${p.pathType}`;
        const backend = `${namespaceOf(d)}/${p.backend?.service?.name}:${p.backend?.service?.port?.number}`;
        const other = seen.get(key);
        if (other !== undefined && other !== backend) problems.push(`Ingress route ${key} goes to ${other} and to ${backend}`);
        seen.set(key, backend);
      }
    }
  }
  return problems;
}

/** The RouteFlavour a spec names, or the raw value a JavaScript caller passed. */
function makeFlavour(spec: Input['flavour']): RouteFlavour | undefined {
  if (spec === undefined) return undefined;
  if ('raw' in spec) return spec.raw;
  return 'options' in spec ? (RouteFlavour[spec.factory] as (o: any) => RouteFlavour)(spec.options) : (RouteFlavour[spec.factory] as () => RouteFlavour)();
}

/** One emitted Traefik route, read back from its `match`. */
export interface TraefikRoute {
  readonly host?: string;
  readonly path: string;
  readonly exact: boolean;
  /** The priority Traefik uses: the one written, else the length of the rule. */
  readonly priority: number;
  readonly match: string;
}

/** Every route of the App's Traefik IngressRoutes. */
export function traefikRoutes(docs: any[]): TraefikRoute[] {
  return docs.filter((d) => d.kind === 'IngressRoute' && String(d.apiVersion).startsWith('traefik.io/')).flatMap((d) => d.spec.routes.map((r: any) => {
    const wildcard = /HostRegexp\(`\^\[a-z0-9-\]\+(.*)\$`\)/.exec(r.match)?.[1]?.replace(/\\/g, '');
    const host = /Host\(`([^`]*)`\)/.exec(r.match)?.[1] ?? (wildcard ? `*${wildcard}` : undefined);
    const exact = /^(?:.* && )?Path\(`([^`]*)`\)$/.exec(r.match)?.[1];
    const prefix = /PathPrefix\(`([^`]*)`\)/.exec(r.match)?.[1] ?? '/';
    return { host, path: exact ?? (prefix === '/' ? '/' : prefix.replace(/\/$/, '')), exact: exact !== undefined, priority: r.priority ?? r.match.length, match: r.match };
  }));
}

/** Whether some request matches both routes. */
function overlap(a: TraefikRoute, b: TraefikRoute): boolean {
  const hosts = a.host === undefined || b.host === undefined || a.host === b.host || tlsHostCovers(a.host, b.host) || tlsHostCovers(b.host, a.host);
  const within = (inner: TraefikRoute, outer: TraefikRoute) => (outer.exact ? inner.exact && inner.path === outer.path
    : outer.path === '/' || inner.path === outer.path || inner.path.startsWith(`${outer.path}/`));
  return hosts && (within(a, b) || within(b, a));
}

/**
 * App-wide, across every IngressRoute construct: of two Traefik routes that match some of the same
 * requests, the more specific one (named host over wildcard over none, longer path, Exact over
 * Prefix) has the higher priority, as Ingress and the Gateway API specify. Pairwise: fine for the
 * fuzzer's handful of routes.
 */
export function traefikPriorityProblems(docs: any[]): string[] {
  const routes = traefikRoutes(docs);
  const problems: string[] = [];
  routes.forEach((a, i) => routes.slice(i + 1).forEach((b) => {
    const order = compareSpecificity(routeSpecificity(a.host, a.path, a.exact ? 'Exact' : 'Prefix'), routeSpecificity(b.host, b.path, b.exact ? 'Exact' : 'Prefix'));
    if (order === 0 || !overlap(a, b)) return;
    const [less, more] = order < 0 ? [a, b] : [b, a];
    if (more.priority <= less.priority) problems.push(`Traefik route ${more.match} (priority ${more.priority}) does not beat the less specific ${less.match} (priority ${less.priority})`);
  }));
  return problems;
}
