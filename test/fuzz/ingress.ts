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
import { IngressFlavour, IngressRoute, PathType } from '../../src/ingress/ingress-route';

interface RuleSpec {
  readonly host?: any;
  readonly path?: any;
  readonly pathType?: any;
  /** The backend Service: name, the namespace (`same` as the route, or another), its ports. */
  readonly backend: { readonly name: string; readonly namespace: 'same' | 'other'; readonly ports: { port: number; name?: string; protocol?: string }[] };
  readonly port: any;
}

interface Input {
  readonly rules: RuleSpec[] | any;
  readonly tls?: any;
  readonly className?: any;
  readonly flavour?: any;
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

/** Any input (mostly malformed somewhere). */
const input = (edgy: boolean): fc.Arbitrary<Input> => fc.constantFrom<any>(
  undefined, IngressFlavour.INGRESS, IngressFlavour.TRAEFIK, IngressFlavour.GATEWAY_API, ...(edgy ? ['Ingress ', 'traefik'] : []),
).chain((flavour) => fc.record({
  rules: edgy
    ? fc.oneof<any>({ weight: 8, arbitrary: fc.array(rule(true), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(undefined, {}) })
    : fc.array(rule(false), { minLength: 1, maxLength: 3 }),
  tls: sometimes(tls(edgy), 2),
  className: flavour === IngressFlavour.GATEWAY_API && !edgy ? fc.constant(undefined) : sometimes(fc.constantFrom<any>('traefik', 'nginx', ...(edgy ? ['Nginx Class'] : [])), 3),
  flavour: fc.constant(flavour),
  gateway: flavour === IngressFlavour.GATEWAY_API || edgy ? sometimes(gateway(edgy), 8) : fc.constant(undefined),
  httpsRedirect: fc.constantFrom<any>(undefined, false, true, ...(edgy ? ['yes'] : [])),
  name: sometimes(edgy ? fc.constantFrom<any>('web', 'web.example', 'Web', '') : fc.constantFrom('web', 'web.example')),
  namespace: edgy ? anyNamespace : fc.constant(undefined),
  allowFrom: edgy || flavour === IngressFlavour.TRAEFIK ? anyAllowFrom : fc.constant(undefined),
}).map(dropUndefined));

/**
 * A valid input of one flavour: distinct host/path pairs, TLS blocks for routed hosts only,
 * cert-manager for Ingress only, a Gateway for HTTPRoutes only, the redirect where it exists and
 * every host has TLS, `allowFrom` (ipBlocks without `except`) for Traefik only.
 */
const validInput: fc.Arbitrary<Input> = fc.constantFrom(undefined, IngressFlavour.INGRESS, IngressFlavour.TRAEFIK, IngressFlavour.GATEWAY_API)
  .chain((flavour) => fc.uniqueArray(rule(false), { minLength: 1, maxLength: 3, selector: (r) => `${r.host}|${r.path ?? '/'}` })
    .chain((rules) => {
      const hosts = [...new Set(rules.map((r) => r.host).filter((h): h is string => h !== undefined))];
      const allHosts = hosts.length > 0 && hosts.length === rules.length;
      const ingress = flavour === undefined || flavour === IngressFlavour.INGRESS;
      const tlsBlock = fc.record({
        hosts: fc.constant(hosts),
        secretName: flavour === IngressFlavour.GATEWAY_API ? fc.constant(undefined) : sometimes(fc.constantFrom('web-tls', 'api-tls')),
        clusterIssuer: ingress ? sometimes(fc.constantFrom('letsencrypt', 'internal'), 3) : fc.constant(undefined),
      }).map(dropUndefined);
      return fc.record({
        rules: fc.constant(rules),
        tls: hosts.length > 0 ? sometimes(tlsBlock.map((t) => [t]), 2) : fc.constant(undefined),
        flavour: fc.constant(flavour),
        className: flavour === IngressFlavour.GATEWAY_API ? fc.constant(undefined) : sometimes(fc.constantFrom('traefik', 'nginx'), 3),
        gateway: flavour === IngressFlavour.GATEWAY_API ? gateway(false) : fc.constant(undefined),
        name: sometimes(fc.constantFrom('web', 'web.example')),
        allowFrom: flavour === IngressFlavour.TRAEFIK
          ? sometimes(fc.array(fc.record({ kind: fc.constant('ipv4' as const), cidr: fc.constantFrom('203.0.113.0/24', '10.0.0.0/8') }), { minLength: 1, maxLength: 2 }), 3)
          : fc.constant(undefined),
      }).chain((partial) => fc.constantFrom<any>(undefined, false, ...(allHosts && !ingress && partial.tls ? [true] : []))
        .map((httpsRedirect) => dropUndefined({ ...partial, httpsRedirect })));
    }));

export const ingressFuzzer: PatternFuzzer<Input> = {
  className: 'IngressRoute',
  input: fc.oneof({ weight: 3, arbitrary: validInput }, { weight: 1, arbitrary: input(true) }),
  build(scope: Chart, id: string, given: Input): Built {
    const namespace = typeof given.namespace === 'string' ? given.namespace : scope.namespace ?? 'default';
    const rules = Array.isArray(given.rules)
      ? given.rules.map((r: RuleSpec) => ({
        ...r,
        backend: ExposedService.fromAttributes(r.backend.name, r.backend.namespace === 'same' ? namespace : 'other-ns', r.backend.ports as any),
      }))
      : given.rules;
    const route = new IngressRoute(scope, id, { ...given, rules, allowFrom: makeAllowFrom(scope, id, given.allowFrom) });
    return {
      construct: route,
      check: (docs) => {
        const problems: string[] = [];
        const flavour = given.flavour ?? IngressFlavour.INGRESS;
        const objects = route.routeObjects.map((o) => docs.find((d) => d.kind === o.kind && d.metadata?.name === o.name
          && namespaceOf(d) === route.namespace));
        if (objects.some((o) => o === undefined) || objects.length === 0) problems.push(`route objects missing: ${route.routeObjects.map((o) => `${o.kind}/${o.name}`)}`);
        if (!objects.every((o) => o?.kind === flavour || (flavour !== IngressFlavour.INGRESS && o?.kind === 'Middleware'))) {
          problems.push(`route objects ${objects.map((o) => o?.kind)} for flavour ${flavour}`);
        }
        if (flavour === IngressFlavour.INGRESS) {
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
        if (given.httpsRedirect === true && flavour === IngressFlavour.TRAEFIK && !docs.some((d) => d.kind === 'Middleware' && d.spec?.redirectScheme?.scheme === 'https')) {
          problems.push('httpsRedirect without a redirectScheme Middleware');
        }
        if (given.httpsRedirect === true && flavour === IngressFlavour.GATEWAY_API
          && !docs.some((d) => d.kind === 'HTTPRoute' && JSON.stringify(d.spec?.rules ?? []).includes('RequestRedirect'))) {
          problems.push('httpsRedirect without a RequestRedirect HTTPRoute');
        }
        problems.push(...ingressRouteConflicts(docs));
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
