import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { external, GATEWAY, HOST, setup, withRules } from './ingress-route-helpers';
import { ExposedService, IExposedService } from '../src/core/exposure';
import { IngressRoute } from '../src/ingress/ingress-route';
import { RouteFlavour } from '../src/ingress/route-flavour';
import { PathType } from '../src/ingress/rules';

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
      '[test/Web] IngressRoute: rules[0].pathType ImplementationSpecific is not supported by RouteFlavour.traefik(); got "ImplementationSpecific". '
      + 'Use PathType.PREFIX or EXACT (ImplementationSpecific exists in networking.k8s.io/v1 Ingress only).');
    expect(withRules([{ host: HOST, pathType: PathType.IMPLEMENTATION_SPECIFIC }], { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }) }))
      .toThrow(/rules\[0\]\.pathType ImplementationSpecific is not supported by RouteFlavour\.gatewayApi\(\)/);
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
    expect(withRules([{ host: HOST, backend: {} as any }])).toThrow(/^\[test\/Web\] IngressRoute: rules\[0\]\.backend must be an IExposedService; got \{\}\. Wrap a kplus\.Service/);
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
      '[test/Web] IngressRoute: tls[1].hosts[0] duplicates tls[0].hosts[0]; got "nginx.example.com". List each host in one TLS block: a host can only be served with one certificate.');
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
      /^\[test\/Web\] IngressRoute: tls\[0\]\.secretName is not used by RouteFlavour\.gatewayApi\(\): the Gateway's HTTPS listener holds the certificate; got "nginx-tls"\. /);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), tls: [{ hosts: [HOST], clusterIssuer: 'letsencrypt' }] })).toThrow(
      '[test/Web] IngressRoute: tls[0].clusterIssuer is not used by RouteFlavour.traefik(): cert-manager reads issuer annotations from Ingress and Gateway objects only; '
      + 'got "letsencrypt". Create a cert-manager Certificate and pass its secretName, or use RouteFlavour.ingress() (Traefik serves Ingress objects too).');
  });

  test('fails if httpsRedirect is used with INGRESS', () => {
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], secretName: 'x' }], httpsRedirect: true })).toThrow(
      /^\[test\/Web\] IngressRoute: httpsRedirect is not supported by RouteFlavour\.ingress\(\): networking\.k8s\.io\/v1 has no redirect field, only controller-specific annotations; got true\. Use RouteFlavour\.traefik\(\) or RouteFlavour\.gatewayApi\(\)/);
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
      '[test/Web] IngressRoute: rules[0].pathType must be a PathType; got "Regex". Use PathType.PREFIX, PathType.EXACT or PathType.IMPLEMENTATION_SPECIFIC.');
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
      '[test/Web] IngressRoute: allowFrom is not supported by RouteFlavour.ingress(): a networking.k8s.io/v1 Ingress has no field for client addresses, '
      + 'and a NetworkPolicy on the backends would see the controller\'s pods, not the clients; got ["ipBlock 203.0.113.0/24"]. '
      + 'Use RouteFlavour.traefik() (an ipAllowList Middleware on the routes), or restrict the clients where they reach the controller: '
      + 'loadBalancerSourceRanges, or allowFrom with externalTrafficPolicy LOCAL, on the MetalLbLoadBalancer or NodePortService in front of it.');
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: GATEWAY }), allowFrom: [office] })).toThrow(
      /^\[test\/Web\] IngressRoute: allowFrom is not supported by RouteFlavour\.gatewayApi\(\): a Gateway API HTTPRoute has no field for client addresses, .*; got \["ipBlock 203\.0\.113\.0\/24"\]\. Use RouteFlavour\.traefik\(\)/);
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

  test('fails if a JavaScript caller misspells a prop of IngressRoute, a rule, a TLS block, a flavour or a Gateway (did you mean)', () => {
    expect(withRules([{ host: HOST }], { flavor: RouteFlavour.traefik() } as any)).toThrow(
      /^\[test\/Web\] IngressRoute: flavor is not a property of IngressRouteProps; got .*\. Did you mean flavour\? A misspelt property is refused rather than ignored/);
    expect(withRules([{ host: HOST, pathtype: PathType.EXACT } as any])).toThrow(/^\[test\/Web\] IngressRoute: rules\[0\]\.pathtype is not a property of IngressRule; got "Exact"\. Did you mean pathType\?/);
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST], secret: 'x' } as any] })).toThrow(/tls\[0\]\.secret is not a property of IngressTls; got "x"\. Did you mean secretName\?/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik({ classname: 'traefik' } as any) }))
      .toThrow(/^\[test\/Web\] IngressRoute: flavour\.classname is not a property of TraefikRouteFlavourOptions; got "traefik"\. Did you mean className\?/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.ingress({ gateway: GATEWAY } as any) }))
      .toThrow(/flavour\.gateway is not a property of IngressRouteFlavourOptions/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web', sectionname: 'https' } as any }) }))
      .toThrow(/flavour\.gateway\.sectionname is not a property of GatewayReference; got "https"\. Did you mean sectionName\?/);
  });

  test('fails if a JavaScript caller passes null entries, a string boolean, or a number as a name', () => {
    const { chart, nginx } = setup();
    expect(() => new IngressRoute(chart, 'Web', { rules: [{ host: HOST, backend: nginx, port: 80 }, null as any] }))
      .toThrow('[test/Web] IngressRoute: rules[1] must be a rule, not null; got null. Remove the empty entry from rules.');
    expect(withRules([{ host: HOST }], { tls: [undefined as any] })).toThrow(/^\[test\/Web\] IngressRoute: tls\[0\] must be a TLS block, not undefined/);
    expect(withRules([{ host: HOST }], { tls: [{ hosts: [HOST, null as any] }] })).toThrow(/tls\[0\]\.hosts\[1\] must be a host, not null/);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.traefik(), tls: [{ hosts: [HOST] }], httpsRedirect: 'yes' as any }))
      .toThrow('[test/Web] IngressRoute: httpsRedirect must be a boolean; got "yes". Pass true or false, or omit httpsRedirect.');
    expect(withRules([{ host: HOST }], { name: 7 as any })).toThrow(/^\[test\/Web\] IngressRoute: name must be a string; got 7\./);
    expect(withRules([{ host: HOST }], { flavour: RouteFlavour.ingress({ className: 7 as any }) })).toThrow(/flavour\.className must be a string; got 7\./);
    expect(() => new IngressRoute(chart, 'NoProps', undefined as any)).toThrow(/^\[test\/NoProps\] IngressRoute: props must be an IngressRouteProps object; got undefined\./);
  });
});
