/**
 * Refusals that no pattern's own tests reached: a search of every `check.fail` and
 * `check.problem` text in src/ against test/ found these. Each test triggers one and pins its
 * whole message (`[<path>] <Class>: <prop> <problem>; got <value>. <fix>`).
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { setup } from './ingress-route-helpers';
import { errorOf } from './util';
import { IpFamily } from '../src';
import { PodIpReachability } from '../src/calico/pod-ip-reachability';
import { ExposedService } from '../src/core/exposure';
import { IngressRoute } from '../src/ingress/ingress-route';
import { MetalLbAdvertisement, MetalLbAddressPool } from '../src/metallb/metallb-pool';
import { ApiProxyAccess } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';
import { LoadBalancerService } from '../src/service/load-balancer';
import { NodePortService } from '../src/service/node-port';

const pods = (chart: Chart) => kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } });
const messageOf = (build: () => unknown) => errorOf(build).message;

describe('Service refusals', () => {
  test('a selector of pods in several namespaces', () => {
    const chart = Testing.chart();
    const namespaces = kplus.Namespaces.select(chart, 'Two', { names: ['a', 'b'] });
    const selector = kplus.Pods.select(chart, 'Spread', { labels: { app: 'web' }, namespaces });
    expect(messageOf(() => new NodePortService(chart, 'Web', { selector, ports: [{ port: 80 }] }))).toBe(
      '[test/Web] NodePortService: selector selects pods in other namespaces, which a Service cannot do; got "test/Spread". '
      + 'Select pods of this namespace only; create the Service in the namespace of the pods.');
  });

  test('one nodePort twice in one Service, for the same protocol', () => {
    const chart = Testing.chart();
    expect(messageOf(() => new NodePortService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80, name: 'http', nodePort: 30080 }, { port: 81, name: 'alt', nodePort: 30080 }] }))).toBe(
      '[test/Web] NodePortService: ports[1].nodePort duplicates ports[0].nodePort; got 30080. '
      + 'Give each port its own nodePort, or omit nodePort to let Kubernetes allocate one.');
  });

  test('an empty loadBalancerClass or annotation key: the qualified-name rule, named for what it checks', () => {
    const withProps = (extra: object) => () => {
      const chart = Testing.chart();
      return new LoadBalancerService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80 }], ...extra });
    };
    expect(messageOf(withProps({ loadBalancerClass: '' }))).toBe(
      '[test/Web] LoadBalancerService: loadBalancerClass must be a non-empty load balancer class (qualified name); got "". '
      + 'Use the class your load balancer implementation serves, e.g. "service.k8s.aws/nlb" (AWS Load Balancer Controller).');
    expect(messageOf(withProps({ annotations: { '': 'x' } }))).toBe(
      '[test/Web] LoadBalancerService: annotations[""] must be a non-empty annotation key; got "". '
      + 'Use a qualified name, e.g. "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path".');
  });

  test('a nodePortRange that is not { min, max } within 1-65535', () => {
    const chart = Testing.chart();
    expect(messageOf(() => new NodePortService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80 }], nodePortRange: { min: 32767, max: 30000 } }))).toBe(
      '[test/Web] NodePortService: nodePortRange must be { min, max } with integers 1 <= min <= max <= 65535; got {"min":32767,"max":30000}. '
      + 'Use the cluster\'s --service-node-port-range (default 30000-32767), or omit it.');
  });

  test('more than two IP families', () => {
    const chart = Testing.chart();
    expect(messageOf(() => new LoadBalancerService(chart, 'Web', {
      selector: pods(chart), ports: [{ port: 80 }], ipFamilies: [IpFamily.IPV4, IpFamily.IPV6, IpFamily.IPV4],
    }))).toBe('[test/Web] LoadBalancerService: ipFamilies must list one or two families; got ["IPv4","IPv6","IPv4"]. '
      + 'Use [IpFamily.IPV4], [IpFamily.IPV6], or both for a dual-stack Service.');
  });
});

describe('MetalLB node selector expressions and communities', () => {
  const poolWith = (expression: kplus.LabelExpression | kplus.LabelExpression[]) => {
    const expressions = ([] as kplus.LabelExpression[]).concat(expression);
    return messageOf(() => new MetalLbAddressPool(Testing.chart(), 'Pool', {
      addresses: ['192.168.9.0/24'],
      advertisement: MetalLbAdvertisement.l2({ nodeSelectors: [kplus.LabelSelector.of({ expressions })] }),
    }));
  };

  test('values with Exists', () => {
    const exists = kplus.LabelExpression.exists('rack');
    (exists as any).values = ['a'];
    expect(poolWith(exists)).toBe('[test/Pool] MetalLbAddressPool: advertisement.nodeSelectors[0].expressions[0].values must be empty for operator Exists; got ["a"]. Remove the values.');
  });

  test('a value listed twice', () => {
    expect(poolWith(kplus.LabelExpression.in('rack', ['a', 'a']))).toBe(
      '[test/Pool] MetalLbAddressPool: advertisement.nodeSelectors[0].expressions[0].values[1] duplicates advertisement.nodeSelectors[0].expressions[0].values[0], which MetalLB refuses; got "a". '
      + 'List each value once.');
  });

  test('a value that is not a label value', () => {
    expect(poolWith(kplus.LabelExpression.in('rack', ['a b']))).toMatch(
      /^\[test\/Pool\] MetalLbAddressPool: advertisement\.nodeSelectors\[0\]\.expressions\[0\]\.values has a value that .*; got "a b"\. Use valid label values\.$/);
  });

  test('the same expression twice', () => {
    expect(poolWith([kplus.LabelExpression.in('rack', ['a', 'b']), kplus.LabelExpression.in('rack', ['b', 'a'])])).toMatch(
      /^\[test\/Pool\] MetalLbAddressPool: advertisement\.nodeSelectors\[0\]\.expressions\[1\] duplicates advertisement\.nodeSelectors\[0\]\.expressions\[0\], which MetalLB refuses; got .*\. List each expression once\.$/);
  });

  test('an empty community', () => {
    expect(messageOf(() => new MetalLbAddressPool(Testing.chart(), 'Pool', {
      addresses: ['192.168.9.0/24'],
      advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '192.168.0.1', peerASN: 64500, myASN: 64501 }], communities: [''] }),
    }))).toBe('[test/Pool] MetalLbAddressPool: advertisement.communities[0] must be a BGP community; got "". '
      + 'Use "<0-65535>:<0-65535>", "large:<uint32>:<uint32>:<uint32>", or the name of an alias from a MetalLB Community resource.');
  });
});

describe('MetalLbAdvertisement.bgp() from JavaScript', () => {
  test.each([undefined, null, 'bgp'])('bgp(%p): no options is refused, not a TypeError', (options) => {
    expect(messageOf(() => new MetalLbAddressPool(Testing.chart(), 'Pool', {
      addresses: ['192.168.9.0/24'], advertisement: MetalLbAdvertisement.bgp(options as any),
    }))).toBe(`[test/Pool] MetalLbAddressPool: advertisement must be a MetalLbBgpOptions object; got ${JSON.stringify(options) ?? 'undefined'}. `
      + 'Pass an object with the MetalLbBgpOptions properties: peers, nodeSelectors, communities, localPref.');
  });
});

describe('Calico, route and RBAC refusals', () => {
  test('a peer nodeSelector that is not a label map', () => {
    expect(messageOf(() => new PodIpReachability(Testing.chart(), 'PodIp', {
      podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.1.1', asNumber: 64501, nodeSelector: 'rack == a' as any }],
    }))).toBe('[test/PodIp] PodIpReachability: peers[0].nodeSelector must be a map of strings; got "rack == a". Pass e.g. { rack: "a" }.');
  });

  test('a route backend in a namespace that is not a DNS label', () => {
    const { chart } = setup();
    const backend = ExposedService.fromAttributes('web', 'Shop_Front', [{ port: 80 }]);
    expect(messageOf(() => new IngressRoute(chart, 'Web', { rules: [{ host: 'a.example.com', backend, port: 80 }] }))).toMatch(
      /^\[test\/Web\] IngressRoute: rules\[0\]\.backend has a namespace that .*; got "Shop_Front"\. Use the Service's namespace\.$/);
  });

  test('a ServiceAccount subject with an API group', () => {
    const chart = Testing.chart();
    const web = new ClusterIpService(chart, 'Svc', { selector: pods(chart), ports: [{ port: 80, name: 'http' }], name: 'web' });
    const robot = { toSubjectConfiguration: () => ({ kind: 'ServiceAccount', name: 'robot', namespace: 'default', apiGroup: 'rbac.authorization.k8s.io' }) };
    expect(messageOf(() => new ApiProxyAccess(chart, 'Access', { services: [web], subjects: [robot as any] }))).toBe(
      '[test/Access] ApiProxyAccess: subjects[0].apiGroup must be empty for a ServiceAccount; got "rbac.authorization.k8s.io". Use a kplus.ServiceAccount.');
  });
});
