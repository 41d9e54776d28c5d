import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { find, findAll, synthApp, synthChart, toYaml } from './util';
import { AccessMethod, AccessOrigin, ExposedService, IExposedService } from '../src/core/exposure';
import { pathProblem, tlsHostCovers } from '../src/ingress/http';
import { IngressRoute, IngressRouteProps } from '../src/ingress/ingress-route';
import {
  DEFAULT_GATEWAY_HTTP_LISTENER, DEFAULT_GATEWAY_HTTPS_LISTENER, DEFAULT_ROUTE_FLAVOUR, RouteFlavour,
} from '../src/ingress/route-flavour';
import { DEFAULT_INGRESS_PATH, DEFAULT_PATH_TYPE, IngressRule, PathType } from '../src/ingress/rules';
import { ClusterIpService } from '../src/service/cluster-ip';

const HOST = 'nginx.example.com';

/** A chart with nginx pods behind the ClusterIP Service `nginx` (port 80, plus 9000/UDP). */
function setup(chart: Chart = Testing.chart()) {
  const pods = kplus.Pods.select(chart, 'NginxPods', { labels: { name: 'nginx' } });
  const nginx = new ClusterIpService(chart, 'Nginx', {
    name: 'nginx',
    selector: pods,
    ports: [{ port: 80, name: 'http' }, { port: 9000, name: 'stats', protocol: kplus.Protocol.UDP }],
  });
  return { chart, nginx };
}

/** A Service made elsewhere, in namespace `ns`. */
function external(name: string, namespace = 'default', port = 8080): IExposedService {
  return ExposedService.fromAttributes(name, namespace, [{ port }]);
}

function route(props: Partial<IngressRouteProps> & { rules?: IngressRule[] } = {}, id = 'Web') {
  const { chart, nginx } = setup();
  const r = new IngressRoute(chart, id, { rules: [{ host: HOST, backend: nginx, port: 80 }], ...props });
  return { chart, nginx, r };
}

/** Builds with the given rules (backend `nginx` port 80 unless set). */
function withRules(rules: Partial<IngressRule>[], props: Partial<IngressRouteProps> = {}) {
  const { chart, nginx } = setup();
  return () => new IngressRoute(chart, 'Web', {
    ...props,
    rules: rules.map((r) => ({ backend: nginx, port: 80, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) })),
  });
}

const GATEWAY = { name: 'web-gateway', namespace: 'gateway-system' };

/**
 * The routes a flavour's objects emit, read back from the YAML as `host pathType path -> service:port`
 * (sorted), and the hosts served over HTTPS.
 */
function emittedRoutes(docs: any[]): { routes: string[]; https: string[] } {
  const routes = new Set<string>();
  const https = new Set<string>();
  for (const doc of docs) {
    if (doc.kind === 'Ingress') {
      for (const rule of doc.spec.rules) {
        for (const p of rule.http.paths) routes.add(`${rule.host} ${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`);
      }
      for (const block of doc.spec.tls ?? []) block.hosts.forEach((h: string) => https.add(h));
    } else if (doc.kind === 'IngressRoute') {
      for (const r of doc.spec.routes) {
        const wildcard = /HostRegexp\(`\^\[a-z0-9-\]\+(.*)\$`\)/.exec(r.match)?.[1]?.replace(/\\/g, '');
        const host = /Host\(`([^`]*)`\)/.exec(r.match)?.[1] ?? (wildcard ? `*${wildcard}` : '(any)');
        const exact = /^(?:.* && )?Path\(`([^`]*)`\)$/.exec(r.match)?.[1];
        const prefix = /PathPrefix\(`([^`]*)`\)/.exec(r.match)?.[1];
        const path = exact ?? (prefix === '/' ? '/' : prefix!.replace(/\/$/, ''));
        routes.add(`${host} ${exact ? 'Exact' : 'Prefix'} ${path} -> ${r.services[0].name}:${r.services[0].port}`);
        if (doc.spec.entryPoints.includes('websecure')) https.add(host);
      }
    } else if (doc.kind === 'HTTPRoute') {
      // The redirect route sends its hosts to the Gateway's HTTPS listener.
      if (doc.spec.rules.some((rule: any) => rule.filters?.some((f: any) => f.type === 'RequestRedirect'))) {
        doc.spec.hostnames.forEach((h: string) => https.add(h));
        continue;
      }
      for (const rule of doc.spec.rules) {
        for (const m of rule.matches) {
          routes.add(`${doc.spec.hostnames[0]} ${m.path.type === 'PathPrefix' ? 'Prefix' : m.path.type} ${m.path.value} -> ${rule.backendRefs[0].name}:${rule.backendRefs[0].port}`);
        }
      }
    }
  }
  return { routes: [...routes].sort(), https: [...https].sort() };
}

describe('IngressRoute', () => {
  test('defaults: networking.k8s.io/v1 Ingress, path "/" Prefix, default IngressClass, plain HTTP', () => {
    const { chart, r } = route();
    expect(DEFAULT_ROUTE_FLAVOUR.kind).toBe('Ingress');
    expect(DEFAULT_INGRESS_PATH).toBe('/');
    expect(DEFAULT_PATH_TYPE).toBe(PathType.PREFIX);
    expect(r.flavour).toBe(DEFAULT_ROUTE_FLAVOUR);
    expect(r.httpsRedirect).toBe(false);
    expect(r.tls).toEqual([]);
    expect(r.rules).toEqual([expect.objectContaining({ host: HOST, path: '/', pathType: PathType.PREFIX, port: 80 })]);
    expect(r.namespace).toBe('default');
    expect(r.patternName).toBe('Ingress');
    expect(r.routeObjects).toEqual([r.resource]);
    expect(r.redirectMiddleware).toBeUndefined();
    expect(r.sourceRanges).toBeUndefined();
    expect(r.allowListMiddleware).toBeUndefined();
    expect(r.referenceGrants).toEqual([]);

    const docs = synthChart(chart);
    const ingress = find(docs, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata).toStrictEqual({ name: r.resource.name });
    expect(ingress.spec).toStrictEqual({
      rules: [{
        host: HOST,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'nginx', port: { number: 80 } } } }] },
      }],
    });
    expect(r.accessPoints).toStrictEqual([{
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.INGRESS,
      host: HOST,
      port: 80,
      protocol: kplus.Protocol.TCP,
      scheme: 'http',
      path: '/',
      backend: 'Service default/nginx',
      description: `HTTP to the ingress controller for ${HOST} (its DNS name must resolve to the controller), every path, through Ingress ${r.resource.name}, to Service nginx port 80.`,
    }]);
    expect(r.prerequisites).toStrictEqual([
      'an ingress controller serving the cluster\'s default IngressClass; the controller reachable from outside the cluster (hostPort or hostNetwork, or a NodePort / LoadBalancer Service in front of its pods)',
      `DNS records (or /etc/hosts entries) for ${HOST} resolving to the controller's address`,
    ]);
  });

  test('pins generated names and construct ids', () => {
    const { chart, nginx } = setup();
    const ingress = new IngressRoute(chart, 'Web', { rules: [{ host: HOST, backend: nginx, port: 80 }] });
    expect(ingress.resource.node.id).toBe('Resource');
    expect(ingress.resource.name).toBe('test-web-c854d28f');

    const tr = new IngressRoute(chart, 'Traefik', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: 'a.example.com', path: '/t', backend: nginx, port: 80 }],
      tls: [{ hosts: ['a.example.com'], secretName: 'a-tls' }],
      httpsRedirect: true,
    });
    expect(tr.routeObjects.map((o) => [o.node.id, o.name])).toEqual([
      ['Resource', 'test-traefik-c807bbf8'], ['Tls', 'test-traefik-tls-c851422d'],
    ]);
    expect([tr.redirectMiddleware!.node.id, tr.redirectMiddleware!.name]).toEqual(['HttpsRedirect', 'test-traefik-httpsredirect-c84bd59a']);

    const gw = new IngressRoute(chart, 'Gateway', {
      flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }),
      rules: [
        { host: 'b.example.com', path: '/g', backend: nginx, port: 80 },
        { host: '*.b.example.com', path: '/g', backend: nginx, port: 80 },
        { path: '/g', backend: external('api', 'shop'), port: 8080 },
      ],
    });
    expect(gw.routeObjects.map((o) => [o.node.id, o.name])).toEqual([
      ['Resource', 'test-gateway-c82ff89b'],
      ['Host-wildcard-b-example-com', 'test-gateway-host-wildcard-b-example-com-c8b7a9f0'],
      ['Host-any', 'test-gateway-host-any-c82eed3a'],
    ]);
    expect(gw.referenceGrants.map((o) => [o.node.id, o.name])).toEqual([['ReferenceGrant-shop-api', 'test-gateway-referencegrant-shop-api-c877e42a']]);
    synthChart(chart);
  });

  test('reproduces the seed as a networking.k8s.io/v1 Ingress (extensions/v1beta1 was removed in 1.22)', () => {
    const { chart, r } = route({ name: 'nginx' });
    const ingress = find(synthChart(chart), 'Ingress', 'nginx');
    expect(r.resource.name).toBe('nginx');
    expect(ingress.spec.rules).toStrictEqual([{
      host: 'nginx.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'nginx', port: { number: 80 } } } }] },
    }]);
  });

  test('INGRESS: groups paths by host, sets the class, TLS from an existing Secret', () => {
    const { chart, nginx } = setup();
    const api = external('api');
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.ingress({ className: 'nginx' }),
      namespace: 'default',
      rules: [
        { host: HOST, backend: nginx, port: 80 },
        { host: 'api.example.com', path: '/v1', pathType: PathType.EXACT, backend: api, port: 8080 },
        { host: HOST, path: '/api', backend: api, port: 8080 },
        { path: '/healthz', pathType: PathType.IMPLEMENTATION_SPECIFIC, backend: nginx, port: 80 },
      ],
      tls: [{ hosts: [HOST], secretName: 'nginx-tls' }],
    });
    const ingress = find(synthChart(chart), 'Ingress');
    expect(ingress.metadata).toStrictEqual({ name: r.resource.name, namespace: 'default' });
    const backend = (name: string, number: number) => ({ service: { name, port: { number } } });
    expect(ingress.spec).toStrictEqual({
      ingressClassName: 'nginx',
      rules: [
        {
          host: HOST,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: backend('nginx', 80) },
              { path: '/api', pathType: 'Prefix', backend: backend('api', 8080) },
            ],
          },
        },
        { host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Exact', backend: backend('api', 8080) }] } },
        { http: { paths: [{ path: '/healthz', pathType: 'ImplementationSpecific', backend: backend('nginx', 80) }] } },
      ],
      tls: [{ hosts: [HOST], secretName: 'nginx-tls' }],
    });
    expect(r.accessPoints.map((p) => `${p.scheme}://${p.host}:${p.port}${p.path}`)).toEqual([
      'http://nginx.example.com:80/', 'https://nginx.example.com:443/',
      'http://api.example.com:80/v1',
      'http://nginx.example.com:80/api', 'https://nginx.example.com:443/api',
      'http://<ingress-address>:80/healthz',
    ]);
    expect(r.accessPoints[5].hostLookupCommand)
      .toBe(`kubectl -n default get ingress ${r.resource.name} -o jsonpath='{.status.loadBalancer.ingress[*].ip}'`);
    expect(r.prerequisites).toContain('kubernetes.io/tls Secret "nginx-tls" in namespace "default"');
    expect(r.prerequisites[0]).toMatch(/^an ingress controller serving IngressClass "nginx"; /);
  });

  test('INGRESS: a cert-manager ClusterIssuer annotates the Ingress and names the Secrets', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      name: 'shop',
      rules: [{ host: HOST, backend: nginx, port: 80 }, { host: 'a.example.com', backend: nginx, port: 80 }],
      tls: [{ hosts: [HOST], clusterIssuer: 'letsencrypt' }, { hosts: ['a.example.com'], clusterIssuer: 'letsencrypt', secretName: 'a-cert' }],
    });
    const ingress = find(synthChart(chart), 'Ingress', 'shop');
    expect(ingress.metadata.annotations).toStrictEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress.spec.tls).toStrictEqual([
      { hosts: [HOST], secretName: 'shop-tls' },
      { hosts: ['a.example.com'], secretName: 'a-cert' },
    ]);
    expect(r.tls.map((t) => t.secretName)).toEqual(['shop-tls', 'a-cert']);
    expect(r.prerequisites).toContain('cert-manager with ClusterIssuer "letsencrypt"');
  });

  test('INGRESS: a namespaced cert-manager Issuer uses cert-manager.io/issuer', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      rules: [{ host: HOST, backend: nginx, port: 80 }, { host: 'b.example.com', backend: nginx, port: 80 }],
      tls: [{ hosts: [HOST], issuer: 'ca' }, { hosts: ['b.example.com'], issuer: 'ca' }],
    });
    const ingress = find(synthChart(chart), 'Ingress');
    expect(ingress.metadata.annotations).toStrictEqual({ 'cert-manager.io/issuer': 'ca' });
    expect(ingress.spec.tls.map((t: any) => t.secretName)).toEqual([`${r.resource.name}-tls`, `${r.resource.name}-tls-1`]);
    expect(r.prerequisites).toContain('cert-manager with Issuer "ca" in namespace "default"');
  });

  test('TRAEFIK: an IngressRoute on the web entry point, Prefix matched element by element', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: HOST, backend: nginx, port: 80 }, { host: HOST, path: '/api/', backend: external('api'), port: 8080 }],
    });
    expect(r.patternName).toBe('Traefik IngressRoute');
    const docs = synthChart(chart);
    expect(findAll(docs, 'IngressRoute')).toHaveLength(1);
    const ir = find(docs, 'IngressRoute');
    expect(ir.apiVersion).toBe('traefik.io/v1alpha1');
    expect(ir.metadata).toStrictEqual({ name: r.resource.name });
    expect(ir.spec).toStrictEqual({
      entryPoints: ['web'],
      routes: [
        { match: 'Host(`nginx.example.com`) && PathPrefix(`/`)', services: [{ name: 'nginx', port: 80 }] },
        { match: 'Host(`nginx.example.com`) && (Path(`/api`) || PathPrefix(`/api/`))', services: [{ name: 'api', port: 8080 }] },
      ],
    });
    expect(r.prerequisites[0]).toBe('Traefik v3 with the Kubernetes CRD provider (traefik.io/v1alpha1 CRDs) and entry points "web" (:80); '
      + 'the controller reachable from outside the cluster (hostPort or hostNetwork, or a NodePort / LoadBalancer Service in front of its pods)');
    expect(r.accessPoints[0].description).toContain(`through Traefik IngressRoute ${r.resource.name}`);
  });

  test('TRAEFIK: TLS on websecure per certificate, HTTPS redirect Middleware on web', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik({ className: 'traefik-public' }),
      rules: [
        { host: HOST, backend: nginx, port: 80 },
        { host: 'a.example.com', backend: nginx, port: 80 },
        { host: 'b.example.com', backend: nginx, port: 80 },
      ],
      tls: [{ hosts: [HOST, '*.example.com'], secretName: 'wildcard-tls' }, { hosts: ['b.example.com'] }],
      httpsRedirect: true,
    });
    const docs = synthChart(chart);
    const classAnnotation = { 'kubernetes.io/ingress.class': 'traefik-public' };
    const middleware = find(docs, 'Middleware');
    expect(middleware.metadata).toStrictEqual({ name: r.redirectMiddleware!.name, annotations: classAnnotation });
    expect(middleware.spec).toStrictEqual({ redirectScheme: { scheme: 'https', permanent: true } });
    const service = [{ name: 'nginx', port: 80 }];
    const web = find(docs, 'IngressRoute', r.resource.name);
    expect(web.metadata.annotations).toStrictEqual(classAnnotation);
    expect(web.spec).toStrictEqual({
      entryPoints: ['web'],
      ingressClassName: 'traefik-public',
      routes: [
        { match: 'Host(`nginx.example.com`) && PathPrefix(`/`)', middlewares: [{ name: r.redirectMiddleware!.name }], services: service },
        { match: 'Host(`a.example.com`) && PathPrefix(`/`)', middlewares: [{ name: r.redirectMiddleware!.name }], services: service },
        { match: 'Host(`b.example.com`) && PathPrefix(`/`)', middlewares: [{ name: r.redirectMiddleware!.name }], services: service },
      ],
    });
    const [, first, second] = r.routeObjects;
    expect(find(docs, 'IngressRoute', first.name).spec).toStrictEqual({
      entryPoints: ['websecure'],
      ingressClassName: 'traefik-public',
      routes: [
        { match: 'Host(`nginx.example.com`) && PathPrefix(`/`)', services: service },
        { match: 'Host(`a.example.com`) && PathPrefix(`/`)', services: service },
      ],
      tls: { secretName: 'wildcard-tls' },
    });
    expect(find(docs, 'IngressRoute', second.name).spec).toStrictEqual({
      entryPoints: ['websecure'],
      ingressClassName: 'traefik-public',
      routes: [{ match: 'Host(`b.example.com`) && PathPrefix(`/`)', services: service }],
      tls: {},
    });
    expect(r.accessPoints.map((p) => `${p.scheme}://${p.host}:${p.port}`)).toEqual([
      'https://nginx.example.com:443', 'https://a.example.com:443', 'https://b.example.com:443',
    ]);
    expect(r.prerequisites[0]).toContain('entry points "web" (:80) and "websecure" (:443), providers.kubernetesCRD.ingressClass "traefik-public"');
  });

  test('TRAEFIK: allowFrom becomes one ipAllowList Middleware on every route, ahead of the redirect', () => {
    const chart = Testing.chart();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik({ className: 'traefik-public' }),
      namespace: 'web',
      rules: [{ host: HOST, backend: external('nginx', 'web', 80), port: 80 }],
      tls: [{ hosts: [HOST], secretName: 'nginx-tls' }],
      httpsRedirect: true,
      allowFrom: [
        kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24'),
        kplus.NetworkPolicyIpBlock.ipv6(chart, 'OfficeV6', '2001:db8:10::/48'),
      ],
    });
    expect(r.sourceRanges).toEqual(['203.0.113.0/24', '2001:db8:10::/48']);
    expect(r.allowListMiddleware!.node.id).toBe('AllowFrom');
    const docs = synthChart(chart); // validates the Middleware against the Traefik CRD
    const classAnnotation = { 'kubernetes.io/ingress.class': 'traefik-public' };
    const allowList = find(docs, 'Middleware', r.allowListMiddleware!.name);
    expect(allowList.apiVersion).toBe('traefik.io/v1alpha1');
    expect(allowList.metadata).toStrictEqual({ name: r.allowListMiddleware!.name, namespace: 'web', annotations: classAnnotation });
    expect(allowList.spec).toStrictEqual({ ipAllowList: { sourceRange: ['203.0.113.0/24', '2001:db8:10::/48'] } });
    const allowed = { name: r.allowListMiddleware!.name };
    expect(find(docs, 'IngressRoute', r.resource.name).spec.routes[0].middlewares).toStrictEqual([allowed, { name: r.redirectMiddleware!.name }]);
    expect(find(docs, 'IngressRoute', r.routeObjects[1].name).spec.routes[0].middlewares).toStrictEqual([allowed]);
    // No NetworkPolicy: the backends see the controller's pods, not the clients.
    expect(findAll(docs, 'NetworkPolicy')).toEqual([]);
    expect(r.accessPoints.map((p) => p.description)).toEqual([
      `HTTPS to the ingress controller for ${HOST} (its DNS name must resolve to the controller), every path, through Traefik IngressRoute ${r.resource.name}, `
      + 'to Service nginx port 80 (plain HTTP is redirected here); only from 203.0.113.0/24, 2001:db8:10::/48.',
    ]);
    expect(r.prerequisites).toContain('Traefik seeing the clients\' own addresses, for the allow list 203.0.113.0/24, 2001:db8:10::/48: '
      + 'externalTrafficPolicy Local on the Service in front of it, hostNetwork or hostPort, or the PROXY protocol on its entry points '
      + '(entryPoints.<name>.proxyProtocol.trustedIPs); otherwise it compares node addresses');
  });

  test('TRAEFIK: an allow list without redirect is the only middleware of each route', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: HOST, backend: nginx, port: 80 }, { host: HOST, path: '/api', backend: external('api'), port: 8080 }],
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '192.168.0.0/16')],
    });
    const docs = synthChart(chart);
    expect(findAll(docs, 'Middleware')).toHaveLength(1);
    expect(find(docs, 'IngressRoute').spec.routes.map((x: any) => x.middlewares)).toStrictEqual([
      [{ name: r.allowListMiddleware!.name }], [{ name: r.allowListMiddleware!.name }],
    ]);
  });

  test('TRAEFIK: priorities let the named host, the longer path and Exact win, as in Ingress', () => {
    const { chart, nginx } = setup();
    const api = external('api');
    new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik(),
      rules: [
        { host: 'a.example.com', path: '/api', pathType: PathType.EXACT, backend: api, port: 8080 },
        { host: 'a.example.com', path: '/api', backend: nginx, port: 80 },
        { host: '*.example.com', path: '/api', backend: api, port: 8080 },
        { path: '/', backend: nginx, port: 80 },
      ],
    });
    const routes = find(synthChart(chart), 'IngressRoute').spec.routes;
    const priority = (r: any) => r.priority ?? r.match.length;
    const [exact, prefix, wildcard, any] = routes.map(priority);
    expect(routes[3]).toStrictEqual({ match: 'PathPrefix(`/`)', services: [{ name: 'nginx', port: 80 }] });
    expect(routes[2].match).toBe('HostRegexp(`^[a-z0-9-]+\\.example\\.com$`) && (Path(`/api`) || PathPrefix(`/api/`))');
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(wildcard);
    expect(wildcard).toBeGreaterThan(any);
    // Traefik's default (the rule's length) is kept wherever it already gives that order.
    expect(routes[2].priority).toBeUndefined();
  });

  test('TRAEFIK: a backend in another namespace needs allowCrossNamespace', () => {
    const { chart } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: HOST, backend: external('api', 'shop'), port: 8080 }],
    });
    expect(find(synthChart(chart), 'IngressRoute').spec.routes[0].services).toStrictEqual([{ name: 'api', namespace: 'shop', port: 8080 }]);
    expect(r.prerequisites).toContain('Traefik with providers.kubernetesCRD.allowCrossNamespace=true (backends in shop)');
  });

  test('GATEWAY_API: an HTTPRoute per host with one rule per backend, attached to the Gateway', () => {
    const { chart, nginx } = setup();
    const api = external('api');
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }),
      rules: [
        { host: HOST, backend: nginx, port: 80 },
        { host: HOST, path: '/api', backend: api, port: 8080 },
        { host: HOST, path: '/status', pathType: PathType.EXACT, backend: nginx, port: 80 },
        { host: 'api.example.com', backend: api, port: 8080 },
      ],
    });
    expect(r.patternName).toBe('Gateway API HTTPRoute');
    const docs = synthChart(chart);
    expect(findAll(docs, 'HTTPRoute')).toHaveLength(2);
    const main = find(docs, 'HTTPRoute', r.resource.name);
    expect(main.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(main.metadata).toStrictEqual({ name: r.resource.name });
    expect(main.spec).toStrictEqual({
      parentRefs: [{ name: 'web-gateway', namespace: 'gateway-system' }],
      hostnames: [HOST],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'Exact', value: '/status' } }],
          backendRefs: [{ name: 'nginx', port: 80 }],
        },
        { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 8080 }] },
      ],
    });
    expect(find(docs, 'HTTPRoute', r.routeObjects[1].name).spec).toStrictEqual({
      parentRefs: [{ name: 'web-gateway', namespace: 'gateway-system' }],
      hostnames: ['api.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'api', port: 8080 }] }],
    });
    expect(r.prerequisites.slice(0, 2)).toStrictEqual([
      'Gateway API v1 CRDs (HTTPRoute) and a Gateway controller',
      'a Gateway "web-gateway" in namespace "gateway-system" whose listeners allow routes from namespace "default"; '
      + 'the controller reachable from outside the cluster (hostPort or hostNetwork, or a NodePort / LoadBalancer Service in front of its pods)',
    ]);
  });

  test('GATEWAY_API: httpsRedirect attaches the routes to the HTTPS listener and redirects on the HTTP listener', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web-gateway' } }),
      rules: [{ host: HOST, backend: nginx, port: 80 }, { host: 'a.example.com', backend: nginx, port: 80 }],
      tls: [{ hosts: [HOST, 'a.example.com'] }],
      httpsRedirect: true,
    });
    expect(DEFAULT_GATEWAY_HTTPS_LISTENER).toBe('https');
    expect(DEFAULT_GATEWAY_HTTP_LISTENER).toBe('http');
    const docs = synthChart(chart);
    expect(find(docs, 'HTTPRoute', r.resource.name).spec.parentRefs).toStrictEqual([{ name: 'web-gateway', sectionName: 'https' }]);
    const redirect = r.routeObjects[r.routeObjects.length - 1];
    expect(redirect.node.id).toBe('HttpsRedirect');
    expect(find(docs, 'HTTPRoute', redirect.name).spec).toStrictEqual({
      parentRefs: [{ name: 'web-gateway', sectionName: 'http' }],
      hostnames: [HOST, 'a.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
    expect(r.accessPoints.map((p) => `${p.scheme}://${p.host}`)).toEqual(['https://nginx.example.com', 'https://a.example.com']);
    expect(r.prerequisites[1]).toMatch(/^a Gateway "web-gateway" in namespace "default" whose listeners "https" \(HTTPS\) and "http" \(HTTP\) allow routes from namespace "default", with the certificates of the TLS hosts; /);
  });

  test('GATEWAY_API: a backend in another namespace gets a ReferenceGrant for that Service only', () => {
    const { chart, nginx } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web-gateway', sectionName: 'public' } }),
      rules: [
        { host: HOST, backend: nginx, port: 80 },
        { host: HOST, path: '/api', backend: external('api', 'shop'), port: 8080 },
        { host: HOST, path: '/v2', backend: external('api', 'shop'), port: 8080 },
      ],
    });
    const docs = synthChart(chart);
    const httpRoute = find(docs, 'HTTPRoute');
    // The grant names the route's namespace: the route states it instead of following kubectl -n.
    expect(httpRoute.metadata).toStrictEqual({ name: r.resource.name, namespace: 'default' });
    expect(httpRoute.spec.parentRefs).toStrictEqual([{ name: 'web-gateway', sectionName: 'public' }]);
    expect(httpRoute.spec.rules[1].backendRefs).toStrictEqual([{ name: 'api', namespace: 'shop', port: 8080 }]);
    const grant = find(docs, 'ReferenceGrant');
    expect(grant.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
    expect(grant.metadata).toStrictEqual({ name: r.referenceGrants[0].name, namespace: 'shop' });
    expect(grant.spec).toStrictEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }],
      to: [{ group: '', kind: 'Service', name: 'api' }],
    });
    expect(r.prerequisites[0]).toBe('Gateway API v1 CRDs (HTTPRoute, ReferenceGrant v1beta1) and a Gateway controller');
  });

  test('the same routes in every flavour: the same hosts, paths, backends and HTTPS hosts', () => {
    const flavours = { ingress: RouteFlavour.ingress(), traefik: RouteFlavour.traefik(), gateway: RouteFlavour.gatewayApi({ gateway: GATEWAY }) };
    const synthesized = Object.entries(flavours).map(([id, flavour]) => {
      const app = Testing.app();
      const { chart, nginx } = setup(new Chart(app, id));
      const gatewayApi = flavour.kind === 'HTTPRoute';
      new IngressRoute(chart, 'Web', {
        flavour,
        rules: [
          { host: HOST, backend: nginx, port: 80 },
          { host: HOST, path: '/docs', pathType: PathType.EXACT, backend: nginx, port: 80 },
          { host: '*.example.com', path: '/api', backend: external('api'), port: 8080 },
        ],
        tls: [{ hosts: [HOST, '*.example.com'], secretName: gatewayApi ? undefined : 'nginx-tls' }],
        httpsRedirect: flavour.kind !== 'Ingress',
      });
      return synthApp(app);
    });
    const [ingress, traefik, gateway] = synthesized.map(emittedRoutes);
    const expected = [
      `${HOST} Prefix / -> nginx:80`,
      `${HOST} Exact /docs -> nginx:80`,
      '*.example.com Prefix /api -> api:8080',
    ].sort();
    expect(ingress.routes).toEqual(expected);
    expect(traefik.routes).toEqual(expected);
    expect(gateway.routes).toEqual(expected);
    const httpsHosts = ['*.example.com', HOST];
    expect([ingress.https, traefik.https, gateway.https]).toEqual([httpsHosts, httpsHosts, httpsHosts]);
    expect(toYaml(synthesized.flat())).toMatchSnapshot();
  });

  test('accepts a cdk8s-plus Service through ExposedService.fromService', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'Web', {
      containers: [{ image: 'nginx', portNumber: 80, securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }],
    });
    const service = deployment.exposeViaService({ ports: [{ port: 8080, targetPort: 80 }] });
    const r = new IngressRoute(chart, 'Route', { rules: [{ host: HOST, backend: ExposedService.fromService(service), port: 8080 }] });
    const ingress = find(synthChart(chart), 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].backend).toStrictEqual({ service: { name: service.name, port: { number: 8080 } } });
    expect(r.accessPoints[0].backend).toBe(`Service default/${service.name}`);
  });

  test('two constructs may route the same host and path to the same backend', () => {
    const { chart, nginx } = setup();
    new IngressRoute(chart, 'A', { rules: [{ host: HOST, backend: nginx, port: 80 }] });
    new IngressRoute(chart, 'B', { flavour: RouteFlavour.traefik(), rules: [{ host: HOST, path: '/', backend: nginx, port: 80 }] });
    expect(findAll(synthChart(chart), 'Ingress')).toHaveLength(1);
  });

  test('Exact and Prefix on the same path, and /api vs /api/ with different path types, are different routes', () => {
    expect(withRules([
      { host: HOST, path: '/api', pathType: PathType.EXACT },
      { host: HOST, path: '/api/', backend: external('api'), port: 8080 },
    ])).not.toThrow();
  });

  test('the path checks are at least as strict as Kubernetes\' Ingress rules and the HTTPRoute CEL rules', () => {
    const gatewayCel = (v: string) => v.startsWith('/') && !['//', '/./', '/../', '%2f', '%2F', '#'].some((s) => v.includes(s))
      && !v.endsWith('/..') && !v.endsWith('/.') && /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/.test(v) && v.length <= 1024;
    const kubernetes = (v: string) => v.startsWith('/') && !['//', '/./', '/../', '%2f', '%2F'].some((s) => v.includes(s))
      && !v.endsWith('/..') && !v.endsWith('/.');
    const chars = fc.constantFrom('/', '.', 'a', 'Z', '0', '%', '2', 'f', 'F', '#', '*', '-', '~', ' ', '?', '`', ':');
    fc.assert(fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), fc.constantFrom('Prefix', 'Exact'), (path, type) => {
      if (pathProblem(path, type as any) === undefined) {
        expect(gatewayCel(path)).toBe(true);
        expect(kubernetes(path)).toBe(true);
      }
    }), { numRuns: 2000, seed: 4 });
  });

  test('a wildcard TLS name covers exactly one label (RFC 6125)', () => {
    expect(tlsHostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(tlsHostCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', 'example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', '*.example.com')).toBe(true);
    expect(tlsHostCovers('a.example.com', '*.example.com')).toBe(false);
  });
});

describe('IngressRoute bad input', () => {
  test('fails if there are no rules', () => {
    const { chart } = setup();
    expect(() => new IngressRoute(chart, 'Web', { rules: [] })).toThrow(
      '[test/Web] IngressRoute: rules must list at least one rule; got []. Add a route, e.g. [{ host: "nginx.example.com", backend: service, port: 80 }].');
  });

  test('fails if a host is an IP address', () => {
    expect(withRules([{ host: '192.168.9.0' }])).toThrow(
      '[test/Web] IngressRoute: rules[0].host must be a DNS name, not an IP address; got "192.168.9.0". Routes match the HTTP Host header by name: '
      + 'omit host to match requests to any address, or use a DNS name that resolves to the ingress controller.');
    expect(withRules([{ host: '010.001.2.3' }])).toThrow(/rules\[0\]\.host must be a DNS name, not an IP address/);
    expect(withRules([{ host: '2001:db8::1' }])).toThrow(/rules\[0\]\.host must be a DNS name, not an IP address/);
  });

  test.each([
    ['nginx_example.com', 'must be a DNS-1123 subdomain'],
    ['-nginx.example.com', 'must be a DNS-1123 subdomain'],
    ['nginx..example.com', 'must be a DNS-1123 subdomain'],
    ['Nginx.Example.com', 'must be lowercase'],
    [`${'a'.repeat(64)}.example.com`, 'must have labels of at most 63 characters'],
    [`${'abcdefg.'.repeat(32)}com`, 'must be at most 253 characters'],
  ])('fails if a host is not a DNS-1123 subdomain: %s', (host, problem) => {
    expect(withRules([{ host }])).toThrow(new RegExp(`^\\[test/Web\\] IngressRoute: rules\\[0\\]\\.host ${problem}.*; got "${host.slice(0, 150)}`));
  });

  test.each(['a.*.example.com', '*example.com', '*', '*.*.example.com', 'www.example.*'])('fails if a wildcard is not a leading "*.": %s', (host) => {
    expect(withRules([{ host }])).toThrow(
      `[test/Web] IngressRoute: rules[0].host may only contain a wildcard as its whole first label ("*."); got "${host}". `
      + 'Use "*.example.com" to match one label under example.com, or list the hosts one by one.');
  });

  test('fails if a path does not start with "/"', () => {
    expect(withRules([{ host: HOST, path: 'api' }])).toThrow(
      '[test/Web] IngressRoute: rules[0].path must be an absolute path starting with \'/\'; got "api". Use e.g. "/" or "/api".');
    expect(withRules([{ host: HOST, path: '' }])).toThrow(/rules\[0\]\.path must be an absolute path/);
  });

  test.each([
    ['/a//b', '//'], ['/a/./b', '/./'], ['/a/../b', '/../'], ['/a%2fb', '%2F'], ['/a%2Fb', '%2F'], ['/a#top', '#'],
  ])('fails if a path contains a forbidden sequence: %s', (path, sequence) => {
    expect(withRules([{ host: HOST, path }])).toThrow(`[test/Web] IngressRoute: rules[0].path must not contain '${sequence}' (case-insensitive); got "${path}".`);
  });

  test.each(['/a/..', '/a/.'])('fails if a path ends with a dot segment: %s', (path) => {
    expect(withRules([{ host: HOST, path }])).toThrow(/rules\[0\]\.path must not end with '\/\.\.?'/);
  });

  test('fails if an Exact path ends in a wildcard "*"', () => {
    expect(withRules([{ host: HOST, path: '/api/*', pathType: PathType.EXACT }])).toThrow(
      '[test/Web] IngressRoute: rules[0].path ends with \'*\', which an Exact path matches literally, not as a wildcard; got "/api/*". '
      + 'Use pathType PathType.PREFIX with "/api" to match every path below it.');
  });

  test('fails if a Prefix path ends in a wildcard "*"', () => {
    expect(withRules([{ host: HOST, path: '/*' }])).toThrow(
      '[test/Web] IngressRoute: rules[0].path ends with \'*\', which a Prefix path matches literally, not as a wildcard; got "/*". '
      + 'Use "/": a Prefix path already matches every path below it.');
  });

  test('fails if a path has characters outside RFC 3986 or is longer than the HTTPRoute schema allows', () => {
    expect(withRules([{ host: HOST, path: '/a?b=c' }])).toThrow(/rules\[0\]\.path must only contain URL path characters .*; got "\/a\?b=c"/);
    expect(withRules([{ host: HOST, path: '/a b' }])).toThrow(/rules\[0\]\.path must not contain whitespace, control characters or backticks/);
    expect(withRules([{ host: HOST, path: '/a`b' }])).toThrow(/rules\[0\]\.path must not contain whitespace, control characters or backticks/);
    expect(withRules([{ host: HOST, path: `/${'a'.repeat(1024)}` }])).toThrow(/rules\[0\]\.path must be at most 1024 characters \(Gateway API limit\)/);
  });

  test('ImplementationSpecific keeps Kubernetes\' rules only, and only for INGRESS', () => {
    expect(withRules([{ host: HOST, path: '/api/(v1|v2)', pathType: PathType.IMPLEMENTATION_SPECIFIC }])).not.toThrow();
    expect(withRules([{ host: HOST, path: '/a/../b', pathType: PathType.IMPLEMENTATION_SPECIFIC }])).toThrow(/rules\[0\]\.path must not contain '\/\.\.\/'/);
    expect(withRules([{ host: HOST, pathType: PathType.IMPLEMENTATION_SPECIFIC }], { flavour: RouteFlavour.traefik() })).toThrow(
      '[test/Web] IngressRoute: rules[0].pathType ImplementationSpecific is not supported by the TRAEFIK flavour; got "ImplementationSpecific". '
      + 'Use PathType.PREFIX or EXACT (ImplementationSpecific exists in networking.k8s.io/v1 Ingress only).');
    expect(withRules([{ host: HOST, pathType: PathType.IMPLEMENTATION_SPECIFIC }], { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) }))
      .toThrow(/rules\[0\]\.pathType ImplementationSpecific is not supported by the GATEWAY_API flavour/);
  });

  test('fails if the backend Service does not expose the port', () => {
    expect(withRules([{ host: HOST, port: 8080 }])).toThrow(
      '[test/Web] IngressRoute: rules[0].port is not a port of Service "nginx" (it exposes 80/TCP, 9000/UDP); got 8080. '
      + 'Use the Service port (not the container port) the backend listens on.');
  });

  test('fails if the backend port is not a port number', () => {
    expect(withRules([{ host: HOST, backend: ExposedService.fromAttributes('api', 'default', [{ port: 70000 }]), port: 70000 }])).toThrow(
      '[test/Web] IngressRoute: rules[0].port must be an integer within 1-65535; got 70000. Use a valid TCP/UDP port number.');
  });

  test('fails if the backend port is not a TCP port', () => {
    expect(withRules([{ host: HOST, port: 9000 }])).toThrow(
      '[test/Web] IngressRoute: rules[0].port is not a TCP port of Service "nginx" (it exposes 80/TCP, 9000/UDP); HTTP needs TCP; got 9000. Route to a TCP port of the Service.');
  });

  test('fails if the backend is not a Service', () => {
    expect(withRules([{ host: HOST, backend: {} as any }])).toThrow(/rules\[0\]\.backend must be a Service \(IExposedService\)/);
    expect(withRules([{ host: HOST, backend: external('Api') }])).toThrow(/rules\[0\]\.backend has a Service name that must be a DNS-1035 label/);
  });

  test('fails if the same host and path go to two different backends in the App', () => {
    const app = Testing.app();
    const a = setup(new Chart(app, 'a', { namespace: 'shop' }));
    const b = new Chart(app, 'b', { namespace: 'blog' });
    new IngressRoute(a.chart, 'Web', { rules: [{ host: HOST, path: '/api', backend: a.nginx, port: 80 }] });
    expect(() => new IngressRoute(b, 'Api', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: HOST, path: '/api/', backend: external('api', 'blog'), port: 8080 }],
    })).toThrow(
      '[b/Api] IngressRoute: rules[0] routes nginx.example.com /api/ (Prefix), which [a/Web] already routes to Service shop/nginx:80; '
      + 'got "Service blog/api:8080". Route each host and path to one backend in the App: remove one of the rules, or change its host or path.');
  });

  test('fails if one construct routes the same host and path twice', () => {
    expect(withRules([{ host: HOST, path: '/a' }, { host: HOST, path: '/a', backend: external('api'), port: 8080 }])).toThrow(
      '[test/Web] IngressRoute: rules[1] routes the same host and path as rules[0] (nginx.example.com /a (Prefix)); got "nginx.example.com /a (Prefix)". '
      + 'Route each host and path once: remove one rule, or change its host, path or pathType.');
    expect(withRules([{ path: '/a' }, { path: '/a' }])).toThrow(/rules\[1\] duplicates rules\[0\] \(\(any host\) \/a \(Prefix\)\)/);
  });

  test('fails if a TLS host is not routed by the rules', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: ['other.example.com'], secretName: 'x' }] })).toThrow(
      '[test/Web] IngressRoute: tls[0].hosts[0] is not routed by any rule (rule hosts: nginx.example.com); got "other.example.com". '
      + 'Add a rule for the host, or remove it from tls; "*.example.com" covers exactly one label under example.com, and a wildcard rule needs the same wildcard in tls.');
  });

  test('fails if a wildcard TLS host would have to cover more than one label', () => {
    expect(withRules([{ host: 'a.b.example.com' }], { tls: [{ hosts: ['*.example.com'] }] }))
      .toThrow(/tls\[0\]\.hosts\[0\] is not routed by any rule \(rule hosts: a\.b\.example\.com\); got "\*\.example\.com"/);
    expect(withRules([{ host: '*.example.com' }], { tls: [{ hosts: ['a.example.com'] }] }))
      .toThrow(/tls\[0\]\.hosts\[0\] is not routed by any rule \(rule hosts: \*\.example\.com\); got "a\.example\.com"/);
    expect(withRules([{ host: 'a.example.com' }], { tls: [{ hosts: ['*.example.com'] }] })).not.toThrow();
  });

  test('fails if a TLS block is malformed', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [] }] })).toThrow(
      '[test/Web] IngressRoute: tls[0].hosts must list at least one host; got []. List the routed hosts the certificate is for.');
    expect(withRules([{ host: HOST }], { tls: [{ hosts: ['10.0.0.1'] }] })).toThrow(/tls\[0\]\.hosts\[0\] must be a DNS name, not an IP address/);
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST] }, { hosts: [HOST] }] })).toThrow(
      '[test/Web] IngressRoute: tls[1].hosts[0] is already listed in tls[0].hosts[0]; got "nginx.example.com". List each host in one TLS block: a host can only be served with one certificate.');
  });

  test('fails if a TLS secretName is not a DNS subdomain', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], secretName: 'Nginx_TLS' }] })).toThrow(
      /^\[test\/Web\] IngressRoute: tls\[0\]\.secretName must be a DNS-1123 subdomain .*; got "Nginx_TLS"\. Use the name of a kubernetes\.io\/tls Secret/);
  });

  test('fails if a TLS block names two issuers, or blocks mix issuers', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], issuer: 'a', clusterIssuer: 'b' }] })).toThrow(
      '[test/Web] IngressRoute: tls[0].issuer cannot be combined with clusterIssuer; got "a". Use either clusterIssuer or issuer.');
    expect(withRules([{ host: HOST }, { host: 'a.example.com' }], {
      tls: [{ hosts: [HOST], clusterIssuer: 'letsencrypt' }, { hosts: ['a.example.com'], secretName: 'mine' }],
    })).toThrow(/^\[test\/Web\] IngressRoute: tls\[1\] uses no issuer but tls\[0\] uses ClusterIssuer "letsencrypt"; cert-manager applies one issuer to every TLS block of an Ingress; got /);
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], clusterIssuer: 'Lets Encrypt' }] })).toThrow(/tls\[0\]\.clusterIssuer must be a DNS-1123 subdomain/);
  });

  test('fails if RouteFlavour.gatewayApi() has no gateway, or a malformed one (a JavaScript caller)', () => {
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({} as any) })).toThrow(
      '[test/Web] IngressRoute: flavour.gateway is required by RouteFlavour.gatewayApi(); got undefined. '
      + 'Name the Gateway the HTTPRoutes attach to, e.g. RouteFlavour.gatewayApi({ gateway: { name: "web", namespace: "gateway-system" } }).');
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi(undefined as any) }))
      .toThrow(/^\[test\/Web\] IngressRoute: flavour was made by RouteFlavour\.gatewayApi\(\) with options that are not an object; got undefined\. /);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: { name: 'Web' } }) })).toThrow(/^\[test\/Web\] IngressRoute: flavour\.gateway\.name must be a DNS-1123 subdomain/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web', namespace: 'a.b' } }) })).toThrow(/flavour\.gateway\.namespace must be a DNS-1123 label/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web', sectionName: 'HTTPS' } }) })).toThrow(/flavour\.gateway\.sectionName must be a DNS-1123 subdomain/);
  });

  test('fails if a host routes to more backends than an HTTPRoute has rules (16)', () => {
    const rules = Array.from({ length: 17 }, (_, i) => ({ host: HOST, path: `/s${i}`, backend: external(`s${i}`), port: 8080 }));
    expect(withRules(rules, { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) })).toThrow(
      /^\[test\/Web\] IngressRoute: rules route host nginx\.example\.com to 17 backends, but an HTTPRoute holds at most 16 rules \(one per backend\); got \["default\/s0:8080",.*\. Split the routes of this host across IngressRoute constructs\.$/);
    expect(withRules(rules.slice(0, 16), { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) })).not.toThrow();
  });

  test('fails if an HTTPRoute would hold more matches than its schema allows (64 per rule, 128 in all)', () => {
    const paths = (n: number, backend?: IExposedService, prefix = 'p') => Array.from({ length: n }, (_, i) => ({
      host: HOST, path: `/${prefix}${i}`, backend, port: backend ? 8080 : 80,
    }));
    expect(withRules(paths(65), { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) })).toThrow(
      '[test/Web] IngressRoute: rules route 65 paths of host nginx.example.com to default/nginx:80, but an HTTPRoute rule holds at most 64 matches; got 65. '
      + 'Route a common path prefix instead, or split the routes across IngressRoute constructs.');
    const many = [...paths(64), ...paths(64, external('api'), 'q'), ...paths(1, external('other'), 'r')];
    expect(withRules(many, { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) })).toThrow(
      /rules route 129 paths of host nginx\.example\.com, but an HTTPRoute holds at most 128 matches in all; got 129\./);
  });

  test('fails if the HTTPS redirect route would hold more than 16 hostnames', () => {
    const hosts = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`);
    const rules = hosts.map((host) => ({ host }));
    expect(withRules(rules, { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }), tls: [{ hosts: ['*.example.com'] }], httpsRedirect: true })).toThrow(
      /^\[test\/Web\] IngressRoute: rules route 17 hosts, but the HTTPS redirect HTTPRoute holds at most 16 hostnames; got \["h0\.example\.com",/);
    expect(withRules(rules.slice(0, 16), { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }), tls: [{ hosts: ['*.example.com'] }], httpsRedirect: true }))
      .not.toThrow();
  });

  test('fails if a JavaScript caller passes the removed top-level gateway or className, naming the RouteFlavour that takes it', () => {
    expect(withRules([{ host: HOST }], { gateway: GATEWAY } as any)).toThrow(
      '[test/Web] IngressRoute: gateway is not a prop of IngressRoute (it moved into the flavour); got {"name":"web-gateway","namespace":"gateway-system"}. '
      + 'Pass flavour: RouteFlavour.gatewayApi({ gateway: {"name":"web-gateway","namespace":"gateway-system"} }).');
    expect(withRules([{ host: HOST }], { className: 'nginx' } as any)).toThrow(
      '[test/Web] IngressRoute: className is not a prop of IngressRoute (it moved into the flavour); got "nginx". '
      + 'Pass flavour: RouteFlavour.ingress({ className: "nginx" }).');
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), className: 'traefik' } as any))
      .toThrow(/; got "traefik"\. Pass flavour: RouteFlavour\.traefik\(\{ className: "traefik" \}\)\.$/);
  });

  test('fails if a flavour\'s className is not an IngressClass name', () => {
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.ingress({ className: 'Nginx Public' }) }))
      .toThrow(/^\[test\/Web\] IngressRoute: flavour\.className must be a DNS-1123 subdomain.*; got "Nginx Public"\. Use the name of an IngressClass/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik({ className: 'Traefik!' }) })).toThrow(/flavour\.className must be a DNS-1123 subdomain/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.ingress('nginx' as any) }))
      .toThrow(/^\[test\/Web\] IngressRoute: flavour was made by RouteFlavour\.ingress\(\) with options that are not an object; got "nginx"\. /);
  });

  test('fails if TLS certificates are set where the flavour cannot use them', () => {
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }), tls: [{ hosts: [HOST], secretName: 'nginx-tls' }] })).toThrow(
      /^\[test\/Web\] IngressRoute: tls\[0\]\.secretName is not used by the GATEWAY_API flavour: the Gateway's HTTPS listener holds the certificate; got "nginx-tls"\. /);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), tls: [{ hosts: [HOST], clusterIssuer: 'letsencrypt' }] })).toThrow(
      '[test/Web] IngressRoute: tls[0].clusterIssuer is not used by the TRAEFIK flavour: cert-manager reads issuer annotations from Ingress and Gateway objects only; '
      + 'got "letsencrypt". Create a cert-manager Certificate and pass its secretName, or use RouteFlavour.ingress() (Traefik serves Ingress objects too).');
  });

  test('fails if httpsRedirect is used with INGRESS', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], secretName: 'x' }], httpsRedirect: true })).toThrow(
      /^\[test\/Web\] IngressRoute: httpsRedirect is not supported by the INGRESS flavour: networking\.k8s\.io\/v1 has no redirect field, only controller-specific annotations; got true\. Use RouteFlavour\.traefik\(\) or RouteFlavour\.gatewayApi\(\)/);
  });

  test('fails if httpsRedirect has no TLS, or a host without TLS', () => {
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), httpsRedirect: true })).toThrow(
      '[test/Web] IngressRoute: httpsRedirect needs tls: there is no HTTPS route to redirect to; got true. Add tls blocks for the hosts, or remove httpsRedirect.');
    expect(withRules([{ host: HOST }, { host: 'a.example.com' }], { flavour: RouteFlavour.traefik(), tls: [{ hosts: [HOST] }], httpsRedirect: true }))
      .toThrow(/^\[test\/Web\] IngressRoute: rules\[1\]\.host is not covered by a tls block, so httpsRedirect would redirect it to HTTPS that is not served; got "a\.example\.com"/);
    expect(withRules([{ host: HOST }, { path: '/x' }], { flavour: RouteFlavour.traefik(), tls: [{ hosts: [HOST] }], httpsRedirect: true }))
      .toThrow(/rules\[1\]\.host is not covered by a tls block.*; got undefined/);
  });

  test('fails if gateway listeners for httpsRedirect are unused or the same', () => {
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web', httpSectionName: 'http' } }) })).toThrow(
      '[test/Web] IngressRoute: flavour.gateway.httpSectionName is only used with httpsRedirect; got "http". '
      + 'Remove httpSectionName, or set httpsRedirect: true; use sectionName for the listener of the routes.');
    expect(withRules([{ host: HOST }], {
      flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web', sectionName: 'http' } }), tls: [{ hosts: [HOST] }], httpsRedirect: true,
    })).toThrow(/flavour\.gateway\.httpSectionName must differ from the HTTPS listener "http"; got "http"\./);
  });

  test('fails if an Ingress backend lives in another namespace', () => {
    expect(withRules([{ host: HOST, backend: external('api', 'shop'), port: 8080 }])).toThrow(
      '[test/Web] IngressRoute: rules[0].backend is in namespace "shop" but an Ingress only routes to Services of its own namespace "default"; '
      + 'got "Service shop/api". Create the IngressRoute in namespace "shop", or use RouteFlavour.gatewayApi() (ReferenceGrant) or RouteFlavour.traefik().');
  });

  test('fails if a host is empty, a pathType is unknown, or tls is not a list', () => {
    expect(withRules([{ host: '' }])).toThrow(
      '[test/Web] IngressRoute: rules[0].host must be a non-empty DNS name; got "". Use a DNS name such as "nginx.example.com" or a wildcard such as "*.example.com". Omit host to match every host.');
    expect(withRules([{ host: HOST, pathType: 'Regex' as any }])).toThrow(
      '[test/Web] IngressRoute: rules[0].pathType must be a PathType; got "Regex". Use PathType.PREFIX, EXACT or IMPLEMENTATION_SPECIFIC.');
    expect(withRules([{ host: HOST }], { tls: { hosts: [HOST] } as any })).toThrow(/^\[test\/Web\] IngressRoute: tls must be a list of TLS blocks; got \{"hosts":\["nginx\.example\.com"\]\}\./);
  });

  test('fails if the Secret name generated for cert-manager is too long', () => {
    expect(withRules([{ host: HOST }], { name: 'a'.repeat(250), tls: [{ hosts: [HOST], clusterIssuer: 'letsencrypt' }] })).toThrow(
      /^\[test\/Web\] IngressRoute: tls\[0\]\.secretName \(generated from the route's name\) must be at most 253 characters .*\. Pass secretName, or a shorter name\.$/);
  });

  test('fails if allowFrom is used with INGRESS or GATEWAY_API, which have no field for client addresses', () => {
    const chart = Testing.chart();
    const office = kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24');
    expect(withRules([{ host: HOST }], { allowFrom: [office] })).toThrow(
      '[test/Web] IngressRoute: allowFrom is not supported by the INGRESS flavour: a networking.k8s.io/v1 Ingress has no field for client addresses, '
      + 'and a NetworkPolicy on the backends would see the controller\'s pods, not the clients; got ["ipBlock 203.0.113.0/24"]. '
      + 'Use RouteFlavour.traefik() (an ipAllowList Middleware on the routes), or restrict the clients where they reach the controller: '
      + 'loadBalancerSourceRanges, or allowFrom with externalTrafficPolicy LOCAL, on the MetalLbLoadBalancer or NodePortService in front of it.');
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }), allowFrom: [office] })).toThrow(
      /^\[test\/Web\] IngressRoute: allowFrom is not supported by the GATEWAY_API flavour: a Gateway API HTTPRoute has no field for client addresses, .*; got \["ipBlock 203\.0\.113\.0\/24"\]\. Use RouteFlavour\.traefik\(\)/);
  });

  test('fails if allowFrom names pods or namespaces (TRAEFIK): the controller sees addresses, not pods', () => {
    const chart = Testing.chart();
    const clients = kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } });
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '10.0.0.0/8'), clients] })).toThrow(
      '[test/Web] IngressRoute: allowFrom[1] selects pods, which the ingress controller cannot match: it sees client addresses, '
      + 'and every request reaches the backends from the controller\'s own pods; got "pods role=client of the policy\'s namespace". '
      + 'Pass the clients\' address ranges as ipBlocks; to limit which pods reach the backends, give the backends a NetworkPolicy that admits the controller\'s pods.');
    const shop = kplus.Namespaces.select(chart, 'Shop', { names: ['shop'] });
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), allowFrom: [shop] }))
      .toThrow(/^\[test\/Web\] IngressRoute: allowFrom\[0\] selects pods, .*; got "every pod in namespace shop"\./);
  });

  test('fails if an allowFrom ipBlock has except (TRAEFIK), naming the ranges to pass instead', () => {
    const chart = Testing.chart();
    expect(withRules([{ host: HOST }], {
      flavour: RouteFlavour.traefik(),
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24', ['203.0.113.128/25', '203.0.113.0/28'])],
    })).toThrow('[test/Web] IngressRoute: allowFrom[0].except cannot be expressed by Traefik\'s ipAllowList, which only lists admitted ranges; '
      + 'got ["203.0.113.128/25","203.0.113.0/28"]. Pass the remaining ranges as ipBlocks without except: '
      + '203.0.113.16/28, 203.0.113.32/27, 203.0.113.64/26.');
  });

  test('fails if allowFrom is empty or an ipBlock is not a network CIDR (TRAEFIK)', () => {
    const chart = Testing.chart();
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), allowFrom: [] }))
      .toThrow(/^\[test\/Web\] IngressRoute: allowFrom must list at least one peer \(an empty list would deny every source\); got \[\]\./);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), allowFrom: [kplus.NetworkPolicyIpBlock.ipv6(chart, 'V6', '2001:db8::1/64')] }))
      .toThrow('[test/Web] IngressRoute: allowFrom[0] has host bits set beyond the prefix length; got "2001:db8::1/64". Use the network address "2001:db8::/64".');
  });

  test('fails if name or flavour is invalid', () => {
    expect(withRules([{ host: HOST }], { name: 'Web_Route' })).toThrow(/^\[test\/Web\] IngressRoute: name must be a DNS-1123 subdomain/);
    expect(withRules([{ host: HOST }], { flavour: 'nginx' as any })).toThrow(
      '[test/Web] IngressRoute: flavour must be a RouteFlavour; got "nginx". Pass RouteFlavour.ingress(), RouteFlavour.traefik() or RouteFlavour.gatewayApi({ gateway }).');
    expect(withRules([{ host: HOST }], { flavour: { kind: 'Ingress' } as any })).toThrow(/flavour must be a RouteFlavour; got \{"kind":"Ingress"\}\./);
  });

  test('fails if a JavaScript caller passes a value of the removed IngressFlavour enum, naming its factory', () => {
    for (const [old, factory] of [['Ingress', 'RouteFlavour.ingress()'], ['IngressRoute', 'RouteFlavour.traefik()'], ['HTTPRoute', 'RouteFlavour.gatewayApi({ gateway })']]) {
      expect(withRules([{ host: HOST }], { flavour: old as any })).toThrow(
        `[test/Web] IngressRoute: flavour must be a RouteFlavour; got "${old}". The IngressFlavour enum was replaced by factories: pass flavour: ${factory}.`);
    }
  });

  test('fails if another IngressRoute of the App has the name in the namespace (every flavour)', () => {
    const { chart, nginx } = setup();
    const rules = (host: string) => [{ host, backend: nginx, port: 80 }];
    new IngressRoute(chart, 'A', { name: 'web', rules: rules('a.example.com') });
    expect(() => new IngressRoute(chart, 'B', { name: 'web', rules: rules('b.example.com') })).toThrow(
      '[test/B] IngressRoute: name is already the name of the Ingress of [test/A] in namespace "default"; got "web". '
      + 'Give each Ingress of a namespace its own name (kubectl apply would let the second overwrite the first): '
      + 'pick another name, or omit it to let cdk8s derive one from the construct path.');
    new IngressRoute(chart, 'C', { name: 'web', flavour: RouteFlavour.traefik(), rules: rules('c.example.com') });
    expect(() => new IngressRoute(chart, 'D', { name: 'web', flavour: RouteFlavour.traefik(), rules: rules('d.example.com') }))
      .toThrow(/^\[test\/D\] IngressRoute: name is already the name of the IngressRoute of \[test\/C\] in namespace "default"; got "web"\. /);
    const gateway = { name: 'public' };
    new IngressRoute(chart, 'E', { name: 'web', flavour: RouteFlavour.gatewayApi({ gateway }), rules: rules('e.example.com') });
    expect(() => new IngressRoute(chart, 'F', { name: 'web', flavour: RouteFlavour.gatewayApi({ gateway }), rules: rules('f.example.com') }))
      .toThrow(/^\[test\/F\] IngressRoute: name is already the name of the HTTPRoute of \[test\/E\] in namespace "default"; got "web"\. /);
  });

  test('accepts one route name in two namespaces', () => {
    const app = Testing.app();
    for (const [id, namespace] of [['a', undefined], ['b', 'web']] as const) {
      const { chart, nginx } = setup(new Chart(app, id, { namespace }));
      new IngressRoute(chart, 'Web', { name: 'web', rules: [{ host: `${id}.example.com`, backend: nginx, port: 80 }] });
    }
    expect(findAll(synthApp(app), 'Ingress').map((d) => `${d.metadata.namespace ?? 'default'}/${d.metadata.name}`)).toEqual(['default/web', 'web/web']);
  });
});
