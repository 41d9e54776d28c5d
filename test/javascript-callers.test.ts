/**
 * What JavaScript (and jsii languages' loosely typed values) let through ends in the library's
 * error, never a TypeError or a silently ignored prop: for every pattern, a missing props object,
 * a misspelt prop, `null` entries in its lists, strings for its booleans, and plain objects or
 * strings where a construct or a selector is expected (issue 14, class 1).
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { errorOf, synthChart } from './util';
import { PodIpReachability } from '../src/calico/pod-ip-reachability';
import { ExposedService } from '../src/core/exposure';
import { HostNetworkApp } from '../src/host/host-network';
import { HostPortApp } from '../src/host/host-port';
import { IngressRoute } from '../src/ingress/ingress-route';
import { RouteFlavour } from '../src/ingress/route-flavour';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';
import { ApiProxyAccess } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';
import { HeadlessService } from '../src/service/headless';
import { LoadBalancerService } from '../src/service/load-balancer';
import { LoadBalancerProvider } from '../src/service/load-balancer-provider';
import { NodePortService } from '../src/service/node-port';

/** One pattern: how to build it from props, a valid props object, and its lists and booleans. */
interface Pattern {
  readonly className: string;
  readonly struct: string;
  /** A misspelt prop and the prop it stands for. */
  readonly typo: [string, string];
  /** Props that hold lists: each gets a null entry. */
  readonly lists: string[];
  readonly booleans: string[];
  build(scope: Construct, props: any): Construct;
  valid(chart: Chart): any;
}

const pods = (chart: Chart) => kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
const office = (chart: Chart) => kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24');

const PATTERNS: Pattern[] = [
  {
    className: 'NodePortService',
    struct: 'NodePortServiceProps',
    build: (s, p) => new NodePortService(s, 'Web', p),
    valid: (chart) => ({ selector: pods(chart), ports: [{ port: 80 }], externalTrafficPolicy: 'Local', allowFrom: [office(chart)] }),
    typo: ['allowfrom', 'allowFrom'],
    lists: ['ports', 'allowFrom'],
    booleans: [],
  },
  {
    className: 'ClusterIpService',
    struct: 'ClusterIpServiceProps',
    build: (s, p) => new ClusterIpService(s, 'Web', p),
    valid: (chart) => ({ selector: pods(chart), ports: [{ port: 80 }] }),
    typo: ['clusterIp', 'clusterIP'],
    lists: ['ports'],
    booleans: [],
  },
  {
    className: 'HeadlessService',
    struct: 'HeadlessServiceProps',
    build: (s, p) => new HeadlessService(s, 'Web', p),
    valid: (chart) => ({ selector: pods(chart), ports: [{ port: 80 }], publishNotReadyAddresses: true }),
    typo: ['publishNotReadyAddress', 'publishNotReadyAddresses'],
    lists: ['ports'],
    booleans: ['publishNotReadyAddresses'],
  },
  {
    className: 'MetalLbLoadBalancer',
    struct: 'MetalLbLoadBalancerProps',
    build: (s, p) => new MetalLbLoadBalancer(s, 'Web', p),
    valid: (chart) => ({
      selector: pods(chart),
      ports: [{ port: 80 }],
      loadBalancerIPs: ['192.168.9.10'],
      loadBalancerSourceRanges: ['192.168.0.0/16'],
      ipFamilies: ['IPv4'],
      allocateLoadBalancerNodePorts: false,
    }),
    typo: ['loadBalancerSourceRange', 'loadBalancerSourceRanges'],
    lists: ['ports', 'loadBalancerIPs', 'loadBalancerSourceRanges', 'ipFamilies'],
    booleans: ['allocateLoadBalancerNodePorts'],
  },
  {
    className: 'LoadBalancerService',
    struct: 'LoadBalancerServiceProps',
    build: (s, p) => new LoadBalancerService(s, 'Web', p),
    valid: (chart) => ({
      selector: pods(chart),
      ports: [{ port: 80 }],
      provider: LoadBalancerProvider.AWS,
      internetFacing: false,
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      ipFamilies: ['IPv4'],
      allocateLoadBalancerNodePorts: false,
    }),
    typo: ['internetfacing', 'internetFacing'],
    lists: ['ports', 'loadBalancerSourceRanges', 'ipFamilies'],
    booleans: ['allocateLoadBalancerNodePorts', 'internetFacing'],
  },
  {
    className: 'MetalLbAddressPool',
    struct: 'MetalLbAddressPoolProps',
    build: (s, p) => new MetalLbAddressPool(s, 'Pool', p),
    valid: () => ({ addresses: ['192.168.9.0/24'], autoAssign: false, avoidBuggyIPs: true }),
    typo: ['autoassign', 'autoAssign'],
    lists: ['addresses'],
    booleans: ['autoAssign', 'avoidBuggyIPs'],
  },
  {
    className: 'HostNetworkApp',
    struct: 'HostNetworkAppProps',
    build: (s, p) => new HostNetworkApp(s, 'App', p),
    valid: () => ({ image: 'nginx:1.25', ports: [{ port: 8080 }], createNamespace: false }),
    typo: ['dnspolicy', 'dnsPolicy'],
    lists: ['ports'],
    booleans: ['createNamespace'],
  },
  {
    className: 'HostPortApp',
    struct: 'HostPortAppProps',
    build: (s, p) => new HostPortApp(s, 'App', p),
    valid: (chart) => ({ image: 'influxdb:2.7', ports: [{ containerPort: 8086, hostPort: 8086 }], allowFrom: [office(chart)], createNamespace: false }),
    typo: ['allowFrom_', 'allowFrom'],
    lists: ['ports', 'allowFrom'],
    booleans: ['createNamespace'],
  },
  {
    className: 'ApiProxyAccess',
    struct: 'ApiProxyAccessProps',
    build: (s, p) => new ApiProxyAccess(s, 'Proxy', p),
    valid: (chart) => ({
      services: [ExposedService.fromAttributes('web', 'default', [{ port: 80 }])],
      subjects: [kplus.User.fromName(chart, 'Alice', 'alice')],
      includePods: false,
    }),
    typo: ['subject', 'subjects'],
    lists: ['services', 'subjects'],
    booleans: ['includePods'],
  },
  {
    className: 'IngressRoute',
    struct: 'IngressRouteProps',
    build: (s, p) => new IngressRoute(s, 'Route', p),
    valid: (chart) => ({
      flavour: RouteFlavour.traefik(),
      rules: [{ host: 'web.example.com', backend: ExposedService.fromAttributes('web', 'default', [{ port: 80 }]), port: 80 }],
      tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
      httpsRedirect: true,
      allowFrom: [office(chart)],
    }),
    typo: ['flavor', 'flavour'],
    lists: ['rules', 'tls', 'allowFrom'],
    booleans: ['httpsRedirect'],
  },
  {
    className: 'PodIpReachability',
    struct: 'PodIpReachabilityProps',
    build: (s, p) => new PodIpReachability(s, 'PodIp', p),
    valid: () => ({ podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }], nodeToNodeMesh: true, advertiseServiceClusterIPs: ['10.96.0.0/12'] }),
    typo: ['nodeToNodeMeshEnabled', 'nodeToNodeMesh'],
    lists: ['peers', 'advertiseServiceClusterIPs'],
    booleans: ['nodeToNodeMesh'],
  },
];

describe.each(PATTERNS.map((p) => [p.className, p]))('%s', (className, pattern) => {
  test('the valid props build and synthesize (the cases below break one prop of them)', () => {
    const chart = Testing.chart();
    pattern.build(chart, pattern.valid(chart));
    expect(synthChart(chart).length).toBeGreaterThan(0);
  });

  test('fails if the props object is missing', () => {
    const chart = Testing.chart();
    const error = errorOf(() => pattern.build(chart, undefined));
    const id = chart.node.children[0].node.id;
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(new RegExp(`^\\[test/${id}\\] ${className}: props must be an? ${pattern.struct} object; got undefined\\. `));
  });

  test(`fails if a prop is misspelt (${pattern.typo[0]}), saying which prop was meant`, () => {
    const chart = Testing.chart();
    const [typo, meant] = pattern.typo;
    const props = pattern.valid(chart);
    const error = errorOf(() => pattern.build(chart, { ...props, [typo]: props[meant] ?? true }));
    expect(error.message).toContain(`${className}: ${typo} is not a property of ${pattern.struct}; got `);
    expect(error.message).toContain(`Did you mean ${meant}? A misspelt property is refused rather than ignored`);
  });

  test.each(pattern.lists)('fails if %s holds a null entry, naming its index', (list) => {
    const chart = Testing.chart();
    const props = pattern.valid(chart);
    const error = errorOf(() => pattern.build(chart, { ...props, [list]: [...props[list], null] }));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(new RegExp(`${className}: ${list}\\[${props[list].length}\\] must be an? [\\w ]+, not null; got null\\. Remove the empty entry from ${list}\\.$`));
  });

  test.each(pattern.lists)('fails if %s is not a list', (list) => {
    const chart = Testing.chart();
    const error = errorOf(() => pattern.build(chart, { ...pattern.valid(chart), [list]: 'x' }));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(new RegExp(`${className}: ${list} must be a list of [\\w ]+; got "x"\\. `));
  });

  if (pattern.booleans.length > 0) {
    test.each(pattern.booleans)('fails if %s is the string "true"', (flag) => {
      const chart = Testing.chart();
      expect(() => pattern.build(chart, { ...pattern.valid(chart), [flag]: 'true' }))
        .toThrow(new RegExp(`${className}: ${flag} must be a boolean; got "true"\\. Pass true or false, or omit ${flag}\\.$`));
    });
  }
});

describe('plain objects and strings where a construct or selector is expected', () => {
  test.each([
    ['a label map', { app: 'web' }],
    ['a string', 'app=web'],
    ['a number', 80],
  ])('fails if a Service selector is %s', (_, selector) => {
    const chart = Testing.chart();
    expect(() => new NodePortService(chart, 'Web', { selector: selector as any, ports: [{ port: 80 }] }))
      .toThrow(/^\[test\/Web\] NodePortService: selector must be a kplus\.IPodSelector; got .*\. Pass the workload/);
  });

  test('fails if a MetalLB pool is a plain object with its name', () => {
    const chart = Testing.chart();
    expect(() => new MetalLbLoadBalancer(chart, 'Web', { selector: pods(chart), ports: [{ port: 80 }], pool: { poolName: 'lan' } as any }))
      .toThrow('[test/Web] MetalLbLoadBalancer: pool must be a MetalLbAddressPool; got {"poolName":"lan"}. Pass a MetalLbAddressPool, or poolName for a pool managed elsewhere.');
  });

  test('fails if a proxied Service is a string', () => {
    const chart = Testing.chart();
    expect(() => new ApiProxyAccess(chart, 'Proxy', { services: ['web' as any], subjects: [kplus.User.fromName(chart, 'Alice', 'alice')] }))
      .toThrow(/^\[test\/Proxy\] ApiProxyAccess: services\[0\] must be an IExposedService; got "web"\. /);
  });

  test('fails if a subject is a plain object', () => {
    const chart = Testing.chart();
    expect(() => new ApiProxyAccess(chart, 'Proxy', { services: [ExposedService.fromAttributes('web', 'default', [{ port: 80 }])], subjects: [{ kind: 'User', name: 'alice' } as any] }))
      .toThrow(/^\[test\/Proxy\] ApiProxyAccess: subjects\[0\] must be a kplus\.ISubject; got \{"kind":"User","name":"alice"\}\. /);
  });

  test('fails if a MetalLB node selector is a plain label map', () => {
    const chart = Testing.chart();
    expect(() => new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'], advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [{ zone: 'a' } as any] }) }))
      .toThrow(/^\[test\/Pool\] MetalLbAddressPool: advertisement\.nodeSelectors\[0\] must be a kplus\.LabelSelector; got \{"zone":"a"\}\. /);
  });
});

describe('numbers where strings are expected, and the reverse', () => {
  test('fails if a Service name is a number', () => {
    const chart = Testing.chart();
    expect(() => new ClusterIpService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80 }], name: 80 as any }))
      .toThrow('[test/Web] ClusterIpService: name must be a string; got 80. Service names start with a letter, e.g. "web".');
  });

  test('fails if a port is a string', () => {
    const chart = Testing.chart();
    expect(() => new ClusterIpService(chart, 'Web', { selector: pods(chart), ports: [{ port: '80' as any }] }))
      .toThrow('[test/Web] ClusterIpService: ports[0].port must be an integer within 1-65535; got "80". Use a valid TCP/UDP port number.');
  });

  test('fails if a port spec carries a misspelt key (a typo must not leave a port allocated at random)', () => {
    const chart = Testing.chart();
    expect(() => new NodePortService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80, nodeport: 30080 } as any] }))
      .toThrow(/^\[test\/Web\] NodePortService: ports\[0\]\.nodeport is not a property of ServicePortSpec; got 30080\. Did you mean nodePort\? /);
  });

  test('fails if an appProtocol is a number', () => {
    const chart = Testing.chart();
    expect(() => new ClusterIpService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80, appProtocol: 80 as any }] }))
      .toThrow(/ClusterIpService: ports\[0\]\.appProtocol must be a string; got 80\. /);
  });

  test('fails if a node selector value is a number', () => {
    const chart = Testing.chart();
    expect(() => new HostPortApp(chart, 'App', { image: 'influxdb:2.7', ports: [{ containerPort: 8086, hostPort: 8086 }], nodeSelector: { zone: 1 as any } }))
      .toThrow('[test/App] HostPortApp: nodeSelector["zone"] must be a string; got 1. ');
  });
});
