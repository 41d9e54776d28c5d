import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { external, GATEWAY, HOST, setup } from './ingress-route-helpers';
import { find, findAll, synthChart } from './util';
import { IngressRoute } from '../src/ingress/ingress-route';
import { DEFAULT_GATEWAY_HTTP_LISTENER, DEFAULT_GATEWAY_HTTPS_LISTENER, RouteFlavour } from '../src/ingress/route-flavour';
import { PathType } from '../src/ingress/rules';

describe('IngressRoute flavours', () => {
  test('RouteFlavour.ingress(): groups paths by host, sets the class, TLS from an existing Secret', () => {
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

  test('RouteFlavour.ingress(): a cert-manager ClusterIssuer annotates the Ingress and names the Secrets', () => {
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

  test('RouteFlavour.ingress(): a namespaced cert-manager Issuer uses cert-manager.io/issuer', () => {
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

  test('RouteFlavour.traefik(): an IngressRoute on the web entry point, Prefix matched element by element', () => {
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

  test('RouteFlavour.traefik(): TLS on websecure per certificate, HTTPS redirect Middleware on web', () => {
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

  test('RouteFlavour.traefik(): allowFrom becomes one ipAllowList Middleware on every route, ahead of the redirect', () => {
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

  test('RouteFlavour.traefik(): an allow list without redirect is the only middleware of each route', () => {
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

  test('RouteFlavour.traefik(): priorities let the named host, the longer path and Exact win, as in Ingress', () => {
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

  test('RouteFlavour.traefik(): a backend in another namespace needs allowCrossNamespace', () => {
    const { chart } = setup();
    const r = new IngressRoute(chart, 'Web', {
      flavour: RouteFlavour.traefik(),
      rules: [{ host: HOST, backend: external('api', 'shop'), port: 8080 }],
    });
    expect(find(synthChart(chart), 'IngressRoute').spec.routes[0].services).toStrictEqual([{ name: 'api', namespace: 'shop', port: 8080 }]);
    expect(r.prerequisites).toContain('Traefik with providers.kubernetesCRD.allowCrossNamespace=true (backends in shop)');
  });

  test('RouteFlavour.gatewayApi(): an HTTPRoute per host with one rule per backend, attached to the Gateway', () => {
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

  test('RouteFlavour.gatewayApi(): httpsRedirect attaches the routes to the HTTPS listener and redirects on the HTTP listener', () => {
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

  test('RouteFlavour.gatewayApi(): a backend in another namespace gets a ReferenceGrant for that Service only', () => {
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
});
