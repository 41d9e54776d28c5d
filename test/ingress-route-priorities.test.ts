import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { compareSpecificity, routeSpecificity, traefikPriorityProblems, traefikRoutes } from './fuzz/ingress';
import { synthApp } from './util';
import { ExposedService } from '../src/core/exposure';
import { addTraefikRoute, assignPriorities, traefikPriority, TraefikRouteEntry } from '../src/ingress/flavours/traefik-priorities';
import { routeKeyPath, tlsHostCovers, WirePathType } from '../src/ingress/http';
import { IngressRoute } from '../src/ingress/ingress-route';
import { RouteFlavour } from '../src/ingress/route-flavour';
import { PathType } from '../src/ingress/rules';

const backend = (name: string) => ExposedService.fromAttributes(name, 'default', [{ port: 80 }]);

/** The priority Traefik uses for the route whose rule is `match` (written, else the rule's length). */
function priorityOf(docs: any[], match: string): number {
  const routes = traefikRoutes(docs).filter((r) => r.match === match);
  expect(routes.length).toBeGreaterThan(0);
  return routes[0].priority;
}

const NAMED = 'Host(`a.example.com`) && PathPrefix(`/`)';
const WILDCARD = 'HostRegexp(`^[a-z0-9-]+\\.example\\.com$`) && PathPrefix(`/`)';
const ANY_LONG = '(Path(`/api/v1/items`) || PathPrefix(`/api/v1/items/`))';

describe('Traefik priorities across the App', () => {
  test('a named host of one construct beats a wildcard of another, whichever is created first', () => {
    for (const order of [['Named', 'Wildcard'], ['Wildcard', 'Named']]) {
      const app = Testing.app();
      const chart = new Chart(app, 'web');
      for (const id of order) {
        new IngressRoute(chart, id, {
          flavour: RouteFlavour.traefik(),
          rules: [{ host: id === 'Named' ? 'a.example.com' : '*.example.com', backend: backend(id.toLowerCase()), port: 80 }],
        });
      }
      const docs = synthApp(app);
      // Traefik's default alone (the rule's length) would let the longer wildcard rule win
      // (WILDCARD is the longer of the two rules).
      expect(priorityOf(docs, NAMED)).toBeGreaterThan(priorityOf(docs, WILDCARD));
      expect(traefikRoutes(docs).find((r) => r.match === WILDCARD)).toMatchObject({ priority: WILDCARD.length });
    }
  });

  test('a named host beats a longer path without host in another construct, another chart and another namespace', () => {
    const app = Testing.app();
    new IngressRoute(new Chart(app, 'api', { namespace: 'api' }), 'Api', {
      flavour: RouteFlavour.traefik(),
      rules: [{ path: '/api/v1/items', backend: ExposedService.fromAttributes('items', 'api', [{ port: 80 }]), port: 80 }],
    });
    new IngressRoute(new Chart(app, 'web'), 'Web', { flavour: RouteFlavour.traefik(), rules: [{ host: 'a.example.com', backend: backend('web'), port: 80 }] });
    const docs = synthApp(app);
    expect(ANY_LONG.length).toBeGreaterThan(NAMED.length);
    expect(priorityOf(docs, NAMED)).toBeGreaterThan(priorityOf(docs, ANY_LONG));
    expect(traefikPriorityProblems(docs)).toEqual([]);
  });

  test('chains across three constructs: Exact over a longer Prefix over a shorter one, each raised only as far as needed', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web');
    const rules = [
      { id: 'Root', path: '/', pathType: PathType.PREFIX },
      { id: 'Api', path: '/api', pathType: PathType.PREFIX },
      { id: 'Health', path: '/api/health', pathType: PathType.EXACT },
    ];
    // The most specific first: priorities are assigned when the App is synthesized, not in construct order.
    for (const r of [...rules].reverse()) {
      new IngressRoute(chart, r.id, {
        flavour: RouteFlavour.traefik(),
        rules: [{ host: 'a.example.com', path: r.path, pathType: r.pathType, backend: backend(r.id.toLowerCase()), port: 80 }],
      });
    }
    const docs = synthApp(app);
    const [root, api, health] = ['Host(`a.example.com`) && PathPrefix(`/`)', 'Host(`a.example.com`) && (Path(`/api`) || PathPrefix(`/api/`))',
      'Host(`a.example.com`) && Path(`/api/health`)'].map((m) => priorityOf(docs, m));
    expect(root).toBeLessThan(api);
    expect(api).toBeLessThan(health);
    // The root and /api keep their rule lengths; the Exact rule is shorter than /api's, so it is raised just above it.
    expect(root).toBe('Host(`a.example.com`) && PathPrefix(`/`)'.length);
    expect(api).toBe('Host(`a.example.com`) && (Path(`/api`) || PathPrefix(`/api/`))'.length);
    expect(health).toBe(api + 1);
  });

  test('routes that match no common request keep Traefik\'s default, whatever the other constructs', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web');
    new IngressRoute(chart, 'A', { flavour: RouteFlavour.traefik(), rules: [{ host: 'a.example.com', path: '/a', backend: backend('a'), port: 80 }] });
    new IngressRoute(chart, 'B', { flavour: RouteFlavour.traefik(), rules: [{ host: 'b.example.com', path: '/', backend: backend('b'), port: 80 }] });
    new IngressRoute(chart, 'C', { flavour: RouteFlavour.traefik(), rules: [{ host: '*.example.org', path: '/', backend: backend('c'), port: 80 }] });
    const docs = synthApp(app);
    expect(docs.filter((d) => d.kind === 'IngressRoute').flatMap((d) => d.spec.routes).filter((r: any) => r.priority !== undefined)).toEqual([]);
  });

  test('a construct added after a synthesis is ranked at the next one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web');
    new IngressRoute(chart, 'Named', { flavour: RouteFlavour.traefik(), rules: [{ host: 'a.example.com', backend: backend('named'), port: 80 }] });
    expect(priorityOf(synthApp(app), NAMED)).toBe(NAMED.length);
    new IngressRoute(chart, 'Wildcard', { flavour: RouteFlavour.traefik(), rules: [{ host: '*.example.com', backend: backend('wildcard'), port: 80 }] });
    expect(priorityOf(synthApp(app), NAMED)).toBe(WILDCARD.length + 1);
  });

  test('Apps do not share priorities', () => {
    const ranked = (withWildcard: boolean) => {
      const app = new App();
      const chart = new Chart(app, 'web');
      new IngressRoute(chart, 'Named', { flavour: RouteFlavour.traefik(), rules: [{ host: 'a.example.com', backend: backend('named'), port: 80 }] });
      if (withWildcard) new IngressRoute(chart, 'Wildcard', { flavour: RouteFlavour.traefik(), rules: [{ host: '*.example.com', backend: backend('w'), port: 80 }] });
      return synthApp(app);
    };
    const [raised, alone] = [ranked(true), ranked(false)];
    expect(priorityOf(raised, NAMED)).toBeGreaterThan(NAMED.length);
    expect(priorityOf(alone, NAMED)).toBe(NAMED.length);
  });

  test('the TLS route of a host gets the same priority as its web route', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'web');
    new IngressRoute(chart, 'Wildcard', { flavour: RouteFlavour.traefik(), rules: [{ host: '*.example.com', backend: backend('w'), port: 80 }] });
    new IngressRoute(chart, 'Named', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: 'a.example.com', backend: backend('named'), port: 80 }],
      tls: [{ hosts: ['a.example.com'], secretName: 'a-tls' }],
    });
    const named = traefikRoutes(synthApp(app)).filter((r) => r.match === NAMED);
    expect(named.map((r) => r.priority)).toEqual([WILDCARD.length + 1, WILDCARD.length + 1]);
  });
});

// ---------------------------------------------------------------------------------------------
// The algorithm against its specification
// ---------------------------------------------------------------------------------------------

interface Route { readonly host?: string; readonly path: string; readonly pathType: WirePathType }

/**
 * The specification, pairwise (quadratic): sorted least specific first, each route's priority is
 * at least its rule's length and above every less specific route it shares a request with.
 */
function referencePriorities(routes: Route[]): number[] {
  const scope = Testing.chart();
  const within = (inner: Route, outer: Route) => {
    const [i, o] = [routeKeyPath(inner.path, inner.pathType), routeKeyPath(outer.path, outer.pathType)];
    return outer.pathType === 'Exact' ? inner.pathType === 'Exact' && i === o : o === '/' || i === o || i.startsWith(`${o}/`);
  };
  const overlap = (a: Route, b: Route) => (a.host === undefined || b.host === undefined || a.host === b.host
    || tlsHostCovers(a.host, b.host) || tlsHostCovers(b.host, a.host)) && (within(a, b) || within(b, a));
  const key = (r: Route) => routeSpecificity(r.host, r.path, r.pathType);
  const order = routes.map((_, i) => i).sort((a, b) => compareSpecificity(key(routes[a]), key(routes[b])));
  const result: number[] = [];
  const entries = routes.map((r) => addTraefikRoute(scope, r.host, r.path, r.pathType));
  order.forEach((i) => {
    let floor = 0;
    for (const j of order) {
      const lessSpecific = result[j] !== undefined && compareSpecificity(key(routes[j]), key(routes[i])) < 0;
      if (lessSpecific && overlap(routes[i], routes[j])) floor = Math.max(floor, result[j] + 1);
    }
    result[i] = Math.max(entries[i].length, floor);
  });
  return result;
}

const anyRoute: fc.Arbitrary<Route> = fc.record({
  host: fc.constantFrom(undefined, 'a.example.com', 'b.example.com', '*.example.com', 'x.a.example.com', '*.a.example.com', 'localhost'),
  path: fc.constantFrom('/', '/a', '/a/', '/a/b', '/a/b/c', '/ab', '/b', '/a/b/'),
  pathType: fc.constantFrom<WirePathType>('Prefix', 'Exact'),
});

describe('assignPriorities', () => {
  test('gives every route the priority of the pairwise specification', () => {
    fc.assert(fc.property(fc.array(anyRoute, { maxLength: 25 }), (routes) => {
      const app = Testing.chart();
      const entries: TraefikRouteEntry[] = routes.map((r) => addTraefikRoute(app, r.host, r.path, r.pathType));
      const assigned = assignPriorities(entries);
      expect(entries.map((e) => assigned.get(e))).toEqual(referencePriorities(routes));
      // Only what differs from Traefik's default is written.
      entries.forEach((e) => expect(traefikPriority(app, e)).toBe(assigned.get(e) === e.length ? undefined : assigned.get(e)));
    }), { numRuns: 300 });
  });
});
