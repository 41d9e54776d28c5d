import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { emittedRoutes, external, GATEWAY, HOST, route, setup, withRules } from './ingress-route-helpers';
import { find, findAll, synthApp, synthChart, toYaml } from './util';
import { AccessMethod, AccessOrigin, ExposedService } from '../src/core/exposure';
import { pathProblem, tlsHostCovers } from '../src/ingress/http';
import { IngressRoute } from '../src/ingress/ingress-route';
import { DEFAULT_ROUTE_FLAVOUR, RouteFlavour } from '../src/ingress/route-flavour';
import { DEFAULT_INGRESS_PATH, DEFAULT_PATH_TYPE, PathType } from '../src/ingress/rules';

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
    let accepted = 0;
    // Half the paths start with '/' (every valid path does), so that both sides get tested.
    const paths = fc.tuple(fc.boolean(), fc.array(chars, { maxLength: 12 })).map(([slash, a]) => (slash ? '/' : '') + a.join(''));
    fc.assert(fc.property(paths, fc.constantFrom('Prefix', 'Exact'), (path, type) => {
      if (pathProblem(path, type as any) === undefined) {
        accepted++;
        expect(gatewayCel(path)).toBe(true);
        expect(kubernetes(path)).toBe(true);
      }
    }), { numRuns: 2000, seed: 4 });
    // The property compares something: a fair share of the generated paths is accepted.
    expect(accepted).toBeGreaterThan(200);
  });

  test('a wildcard TLS name covers exactly one label (RFC 6125)', () => {
    expect(tlsHostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(tlsHostCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', 'example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', '*.example.com')).toBe(true);
    expect(tlsHostCovers('a.example.com', '*.example.com')).toBe(false);
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
