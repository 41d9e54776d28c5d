import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, findAll, synthApp, synthChart } from './util';
import { metallbBgpExample } from '../examples/metallb-bgp';
import { metallbL2Example } from '../examples/metallb-l2';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';
import {
  DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS, DEFAULT_METALLB_ANNOTATION_STYLE, IpFamily, MetalLbAnnotationStyle,
  MetalLbLoadBalancer, MetalLbLoadBalancerProps,
} from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool, MetalLbAddressPoolProps } from '../src/metallb/metallb-pool';
import { DEFAULT_NODE_PORT_RANGE, ExternalTrafficPolicy } from '../src/service/service-vocabulary';

function setup(chart: Chart = Testing.chart()) {
  const nginx = kplus.Pods.select(chart, 'NginxPods', { labels: { name: 'nginx' } });
  return { chart, nginx };
}

function lanPool(chart: Chart, props: Partial<MetalLbAddressPoolProps> = {}, id = 'Pool') {
  return new MetalLbAddressPool(chart, id, { name: 'lan', addresses: ['192.168.9.0/24', '2001:db8:9::/120'], ...props });
}

function lb(props: Partial<MetalLbLoadBalancerProps> = {}, chart?: Chart, id = 'Web') {
  const s = setup(chart);
  return new MetalLbLoadBalancer(s.chart, id, { selector: s.nginx, ports: [{ port: 80, name: 'nginx' }], ...props });
}

/** The construct call must fail with exactly `[test/Web] MetalLbLoadBalancer: <rest>`. */
function expectLbError(props: (chart: Chart) => Partial<MetalLbLoadBalancerProps>, rest: string | RegExp) {
  const chart = Testing.chart();
  const call = () => lb(props(chart), chart);
  if (typeof rest === 'string') {
    expect(call).toThrow(`[test/Web] MetalLbLoadBalancer: ${rest}`);
  } else {
    expect(call).toThrow(rest);
  }
}

describe('MetalLbLoadBalancer', () => {
  test('defaults: LoadBalancer without node ports, no annotations, any auto-assign pool, address looked up on the cluster', () => {
    const chart = Testing.chart();
    const svc = lb({}, chart);
    expect(DEFAULT_ALLOCATE_LOAD_BALANCER_NODE_PORTS).toBe(false);
    expect(DEFAULT_METALLB_ANNOTATION_STYLE).toBe(MetalLbAnnotationStyle.CURRENT);
    expect(MetalLbAnnotationStyle.CURRENT).toBe('metallb.io');
    expect(svc.allocateLoadBalancerNodePorts).toBe(false);
    expect(svc.annotationStyle).toBe(MetalLbAnnotationStyle.CURRENT);
    expect(svc.nodePortRange).toEqual(DEFAULT_NODE_PORT_RANGE);
    expect(svc.namespace).toBe('default');
    for (const unset of [svc.pool, svc.poolName, svc.loadBalancerIPs, svc.ipFamilies, svc.sharedIpKey, svc.externalTrafficPolicy,
      svc.loadBalancerSourceRanges, svc.loadBalancerClass]) {
      expect(unset).toBeUndefined();
    }
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata.annotations).toBeUndefined();
    expect(service.spec).toStrictEqual({
      type: 'LoadBalancer',
      selector: { name: 'nginx' },
      ports: [{ name: 'nginx', port: 80 }],
      allocateLoadBalancerNodePorts: false,
    });
    expect(svc.accessPoints).toEqual([{
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.LOAD_BALANCER,
      host: '<load-balancer-ip>',
      port: 80,
      protocol: kplus.Protocol.TCP,
      portName: 'nginx',
      scheme: undefined,
      backend: `Service default/${svc.serviceName}`,
      serviceName: svc.serviceName,
      hostLookupCommand: `kubectl -n default get service ${svc.serviceName} -o jsonpath='{.status.loadBalancer.ingress[*].ip}'`,
      description: 'The load balancer IP (assigned by MetalLB from an auto-assign pool), port 80/TCP, forwarded to the pods\' port 80.',
    }]);
    expect(svc.prerequisites).toEqual([
      'MetalLB installed (controller and speakers) in namespace "metallb-system": https://metallb.io/installation/',
      'An IPAddressPool with autoAssign: true and an L2Advertisement or BGPAdvertisement announcing it (MetalLB picks the pool)',
    ]);
    expect(svc.patternName).toBe('MetalLB LoadBalancer Service');
  });

  test('pins generated names', () => {
    const svc = lb();
    expect(svc.serviceName).toBe('test-web-c854d28f');
    expect(svc.service.node.id).toBe('Resource');
  });

  test('reproduces the seed: Service nginx, port 80 named nginx, 192.168.9.0 from the pool, never spec.loadBalancerIP', () => {
    const chart = Testing.chart();
    const pool = lanPool(chart, { addresses: ['192.168.9.0/24'] });
    const svc = lb({ name: 'nginx', pool, loadBalancerIPs: ['192.168.9.0'] }, chart);
    const service = find(synthChart(chart), 'Service', 'nginx');
    expect(service.metadata.annotations).toStrictEqual({
      'metallb.io/address-pool': 'lan',
      'metallb.io/loadBalancerIPs': '192.168.9.0',
    });
    expect(service.spec).toStrictEqual({
      type: 'LoadBalancer',
      selector: { name: 'nginx' },
      ports: [{ name: 'nginx', port: 80 }],
      allocateLoadBalancerNodePorts: false,
      ipFamilies: ['IPv4'],
    });
    expect(service.spec.loadBalancerIP).toBeUndefined();
    expect(svc.pool).toBe(pool);
    expect(svc.poolName).toBe('lan');
    expect(svc.loadBalancerIPs).toEqual(['192.168.9.0']);
    expect(svc.ipFamilies).toEqual([IpFamily.IPV4]);
    expect(svc.accessPoints).toEqual([expect.objectContaining({
      host: '192.168.9.0',
      port: 80,
      hostLookupCommand: undefined,
      description: 'The load balancer IP 192.168.9.0 (pinned, from pool "lan"; announced in L2 mode), port 80/TCP, forwarded to the pods\' port 80.',
    })]);
    expect(svc.prerequisites).toContain('MetalLB v0.14.9 or later (reads the metallb.io/* Service annotations; use annotationStyle LEGACY for older releases)');
  });

  test('writes the legacy metallb.universe.tf annotations', () => {
    const chart = Testing.chart();
    const svc = lb({ poolName: 'office', loadBalancerIPs: ['10.0.0.10'], sharedIpKey: 'dns', annotationStyle: MetalLbAnnotationStyle.LEGACY }, chart);
    expect(find(synthChart(chart), 'Service').metadata.annotations).toStrictEqual({
      'metallb.universe.tf/address-pool': 'office',
      'metallb.universe.tf/loadBalancerIPs': '10.0.0.10',
      'metallb.universe.tf/allow-shared-ip': 'dns',
    });
    expect(svc.prerequisites).toEqual([
      'MetalLB installed (controller and speakers) in namespace "metallb-system": https://metallb.io/installation/',
      'A MetalLB release that reads the legacy metallb.universe.tf/* Service annotations (all releases with CRD configuration; v0.14.9 and later report them as deprecated)',
      'An IPAddressPool named "office" in MetalLB\'s namespace, announced by an L2Advertisement or BGPAdvertisement (managed outside this App)',
    ]);
    expect(svc.accessPoints[0].description).toBe('The load balancer IP 10.0.0.10 (pinned, from pool "office", managed elsewhere), port 80/TCP, forwarded to the pods\' port 80.');
  });

  test('dual stack: one address per family, RequireDualStack, canonical IPv6, one access point per address and port', () => {
    const chart = Testing.chart();
    const pool = lanPool(chart, { metallbNamespace: 'lb' });
    const svc = lb({
      pool,
      loadBalancerIPs: ['192.168.9.10', '2001:DB8:9:0::0:a'],
      ports: [{ port: 80, name: 'http' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
      loadBalancerSourceRanges: ['192.168.0.0/16', '2001:db8::/32'],
    }, chart);
    expect(svc.loadBalancerIPs).toEqual(['192.168.9.10', '2001:db8:9::a']);
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata.annotations['metallb.io/loadBalancerIPs']).toBe('192.168.9.10,2001:db8:9::a');
    expect(service.spec).toMatchObject({
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      loadBalancerSourceRanges: ['192.168.0.0/16', '2001:db8::/32'],
    });
    expect(svc.accessPoints.map((a) => `${a.host} ${a.port}/${a.protocol}`)).toEqual([
      '192.168.9.10 80/TCP', '192.168.9.10 53/UDP', '2001:db8:9::a 80/TCP', '2001:db8:9::a 53/UDP',
    ]);
    expect(svc.accessPoints[0].description).toContain('; only from 192.168.0.0/16, 2001:db8::/32.');
    expect(svc.prerequisites).toEqual([
      'MetalLB installed (controller and speakers) in namespace "lb": https://metallb.io/installation/',
      'MetalLB v0.14.9 or later (reads the metallb.io/* Service annotations; use annotationStyle LEGACY for older releases)',
      'A dual-stack cluster (IPv4 and IPv6 Service CIDRs)',
    ]);
  });

  test('a dual-stack Service without pinned addresses takes one of each family from the pool', () => {
    const chart = Testing.chart();
    const svc = lb({ pool: lanPool(chart), ipFamilies: [IpFamily.IPV6, IpFamily.IPV4] }, chart);
    expect(find(synthChart(chart), 'Service').spec).toMatchObject({ ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'RequireDualStack' });
    expect(svc.accessPoints[0].host).toBe('<load-balancer-ip>');
    expect(svc.accessPoints[0].description).toContain('(assigned from pool "lan"; announced in L2 mode)');
  });

  test('writes the traffic options: Local policy, class, node ports allocated', () => {
    const chart = Testing.chart();
    const svc = lb({
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      loadBalancerClass: 'example.com/metallb',
      allocateLoadBalancerNodePorts: true,
      ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https', nodePort: 30443 }],
    }, chart);
    expect(find(synthChart(chart), 'Service').spec).toStrictEqual({
      type: 'LoadBalancer',
      selector: { name: 'nginx' },
      ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 30443 }],
      externalTrafficPolicy: 'Local',
      loadBalancerClass: 'example.com/metallb',
    });
    expect(svc.accessPoints.filter((a) => a.method === AccessMethod.NODE_PORT).map((a) => a.port)).toEqual([undefined, 30443]);
    expect(svc.prerequisites).toContain('MetalLB started with --lb-class=example.com/metallb');
  });

  test('an explicit nodePort is kept (and reachable) without allocated node ports', () => {
    const svc = lb({ ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https', nodePort: 30443 }] });
    const nodePorts = svc.accessPoints.filter((a) => a.method === AccessMethod.NODE_PORT);
    expect(nodePorts).toEqual([expect.objectContaining({ host: '<node-ip>', port: 30443, portName: 'https' })]);
  });

  test('Services with one sharedIpKey share an address on distinct ports', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    lb({ loadBalancerIPs: ['192.168.9.53'], sharedIpKey: 'dns', ports: [{ port: 53, name: 'dns-udp', protocol: kplus.Protocol.UDP }] }, a, 'DnsUdp');
    lb({ loadBalancerIPs: ['192.168.9.53'], sharedIpKey: 'dns', ports: [{ port: 53, name: 'dns-tcp' }] }, b, 'DnsTcp');
    lb({
      loadBalancerIPs: ['192.168.9.53'], sharedIpKey: 'dns', ports: [{ port: 853, name: 'dot' }],
    }, new Chart(app, 'c'), 'Dot');
    const services = findAll(synthApp(app), 'Service');
    expect(services.map((s) => s.metadata.annotations['metallb.io/allow-shared-ip'])).toEqual(['dns', 'dns', 'dns']);
  });

  test('Local Services selecting the same pods may share an address', () => {
    const app = Testing.app();
    const local = { loadBalancerIPs: ['192.168.9.53'], sharedIpKey: 'dns', externalTrafficPolicy: ExternalTrafficPolicy.LOCAL };
    lb({ ...local, ports: [{ port: 53 }] }, new Chart(app, 'a'));
    expect(() => lb({ ...local, ports: [{ port: 853 }] }, new Chart(app, 'b'))).not.toThrow();
  });

  test('allowFrom adds a NetworkPolicy admitting only the given clients on the target ports', () => {
    const chart = Testing.chart();
    const svc = lb({
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      ports: [{ port: 80, targetPort: 8080, name: 'http' }],
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '192.168.0.0/16')],
    }, chart);
    expect(svc.networkPolicy!.node.id).toBe('AllowFrom');
    expect(find(synthChart(chart), 'NetworkPolicy').spec).toMatchObject({
      podSelector: { matchLabels: { name: 'nginx' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('an IPv6-only Service needs IPv6 on the cluster', () => {
    const svc = lb({ loadBalancerIPs: ['2001:db8:9::10'] });
    expect(svc.ipFamilies).toEqual([IpFamily.IPV6]);
    expect(svc.prerequisites).toContain('IPv6 Services enabled on the cluster (an IPv6 Service CIDR)');
  });

  test('the examples reproduce the seed (L2) and a BGP setup', () => {
    const l2App = Testing.app();
    metallbL2Example(l2App);
    const l2 = synthApp(l2App);
    expect(find(l2, 'Service', 'nginx').spec).toMatchObject({ type: 'LoadBalancer', selector: { name: 'nginx' }, ports: [{ name: 'nginx', port: 80 }] });
    expect(find(l2, 'IPAddressPool', 'lan-pool').spec.addresses).toEqual(['192.168.9.0/24']);
    expect(find(l2, 'Deployment', 'nginx').spec.template.metadata.labels).toMatchObject({ name: 'nginx' });
    const bgpApp = Testing.app();
    metallbBgpExample(bgpApp);
    const bgp = synthApp(bgpApp);
    expect(find(bgp, 'BGPAdvertisement').spec).toMatchObject({ ipAddressPools: ['public'], communities: ['64500:100'] });
    expect(find(bgp, 'Service', 'web').spec.externalTrafficPolicy).toBe('Local');
  });

  // --- bad input ---------------------------------------------------------------------------

  test('fails if both pool and poolName are given', () => {
    expectLbError((chart) => ({ pool: lanPool(chart), poolName: 'lan' }),
      'poolName cannot be combined with pool; got "lan". Pass pool for a MetalLbAddressPool of this App, or poolName for a pool managed elsewhere, not both.');
  });

  test('fails if poolName is not a valid object name', () => {
    expectLbError(() => ({ poolName: 'Lan Pool' }), /^\[test\/Web\] MetalLbLoadBalancer: poolName must be a DNS-1123 subdomain .*; got "Lan Pool"\. Use the metadata\.name of the IPAddressPool\.$/);
  });

  test('fails if loadBalancerIPs is empty or holds something else than an address', () => {
    expectLbError(() => ({ loadBalancerIPs: [] }), 'loadBalancerIPs must list at least one address; got []. Omit loadBalancerIPs to let MetalLB pick a free address.');
    expectLbError(() => ({ loadBalancerIPs: ['192.168.9.0/32'] }),
      'loadBalancerIPs[0] must be an IPv4 or IPv6 address; got "192.168.9.0/32". Use a single address such as "192.168.9.10" (no prefix length).');
    expectLbError(() => ({ loadBalancerIPs: ['192.168.9.010'] }), 'loadBalancerIPs[0] must be an IPv4 or IPv6 address; got "192.168.9.010". ');
  });

  test('fails if loadBalancerIPs has two addresses of one family', () => {
    expectLbError(() => ({ loadBalancerIPs: ['192.168.9.10', '192.168.9.11'] }),
      'loadBalancerIPs[1] is a second IPv4 address (after loadBalancerIPs[0]); a Service has at most one address per family; got "192.168.9.11". '
      + 'Give one IPv4 and/or one IPv6 address; to serve more addresses, create one Service per address.');
  });

  test('fails if a pinned address is outside the pool', () => {
    expectLbError((chart) => ({ pool: lanPool(chart), loadBalancerIPs: ['192.168.10.1'] }),
      'loadBalancerIPs[0] is not in the pool "lan" (192.168.9.0/24, 2001:db8:9::/120), so the Service would stay <pending>; got "192.168.10.1". Pin an address of the pool, or add the address to the pool.');
    expectLbError((chart) => ({ pool: lanPool(chart), loadBalancerIPs: ['2001:db8:9::1:0'] }), 'loadBalancerIPs[0] is not in the pool "lan"');
  });

  test('fails if a pinned address is one the pool skips (avoidBuggyIPs)', () => {
    expectLbError((chart) => ({ pool: lanPool(chart, { avoidBuggyIPs: true }), loadBalancerIPs: ['192.168.9.0'] }),
      'loadBalancerIPs[0] ends in .0 or .255, which the pool "lan" skips (avoidBuggyIPs), so the Service would stay <pending>; got "192.168.9.0". Pin another address, or create the pool with avoidBuggyIPs: false.');
    expectLbError((chart) => ({ pool: lanPool(chart, { avoidBuggyIPs: true }), loadBalancerIPs: ['192.168.9.255'] }), 'loadBalancerIPs[0] ends in .0 or .255');
  });

  test('fails if a pinned address does not match the Service\'s families', () => {
    expectLbError(() => ({ ipFamilies: [IpFamily.IPV4], loadBalancerIPs: ['2001:db8::10'] }),
      'loadBalancerIPs[0] is an IPv6 address but the Service\'s ipFamilies are IPv4; got "2001:db8::10". Give addresses of the Service\'s families only (MetalLB refuses the others), or change ipFamilies.');
    expectLbError(() => ({ ipFamilies: [IpFamily.IPV4, IpFamily.IPV6], loadBalancerIPs: ['192.168.9.10'] }),
      'loadBalancerIPs has no IPv6 address, but the Service has family IPv6; MetalLB needs one pinned address per family; got ["192.168.9.10"]. Add an IPv6 address, or remove IPv6 from ipFamilies.');
  });

  test('fails if ipFamilies is invalid or names a family the pool lacks', () => {
    expectLbError(() => ({ ipFamilies: [] }), 'ipFamilies must list at least one IP family; got []. ');
    expectLbError(() => ({ ipFamilies: [IpFamily.IPV4, IpFamily.IPV4] }), 'ipFamilies[1] duplicates ipFamilies[0]; got "IPv4". List each family once.');
    expectLbError((chart) => ({ pool: lanPool(chart, { addresses: ['192.168.9.0/24'] }), ipFamilies: [IpFamily.IPV6] }),
      'ipFamilies includes IPv6 but the pool "lan" has no IPv6 addresses, so the Service would stay <pending>; got ["IPv6"]. Add IPv6 addresses to the pool, or remove IPv6.');
  });

  test('fails if loadBalancerSourceRanges holds an invalid CIDR', () => {
    expectLbError(() => ({ loadBalancerSourceRanges: ['192.168.0.0'] }),
      'loadBalancerSourceRanges[0] is not a valid CIDR; got "192.168.0.0". Use an IPv4 or IPv6 CIDR such as "192.168.0.0/16" (a single client is "203.0.113.7/32").');
    expectLbError(() => ({ loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.1.0/16'] }),
      'loadBalancerSourceRanges[1] has host bits set beyond the prefix length; got "192.168.1.0/16". Use the network address "192.168.0.0/16".');
    expectLbError(() => ({ loadBalancerSourceRanges: [] }), 'loadBalancerSourceRanges must list at least one CIDR (an empty list allows every source); got []. ');
  });

  test('fails if loadBalancerSourceRanges leaves a family of the Service open or names another family', () => {
    expectLbError(() => ({ loadBalancerIPs: ['192.168.9.10'], loadBalancerSourceRanges: ['2001:db8::/32'] }),
      'loadBalancerSourceRanges[0] is an IPv6 range, but the Service has the families of its loadBalancerIPs (IPv4), so kube-proxy ignores it; got "2001:db8::/32". List ranges of the Service\'s families only.');
    expectLbError(() => ({ ipFamilies: [IpFamily.IPV4, IpFamily.IPV6], loadBalancerSourceRanges: ['192.168.0.0/16'] }),
      'loadBalancerSourceRanges has no IPv6 range, but the Service has ipFamilies IPv4, IPv6: kube-proxy would let every IPv6 source reach its IPv6 load balancer IP; got ["192.168.0.0/16"]. Add the allowed IPv6 client networks.');
  });

  test('fails if sharedIpKey or loadBalancerClass is invalid', () => {
    expectLbError(() => ({ sharedIpKey: ' ' }), 'sharedIpKey must be a non-empty string; got " ". ');
    expectLbError(() => ({ loadBalancerClass: 'metallb class' }), /^\[test\/Web\] MetalLbLoadBalancer: loadBalancerClass must have a name part .*; got "metallb class"\. Use the value MetalLB was started with/);
  });

  test('fails if allowFrom holds an ipBlock while the client IP is replaced (externalTrafficPolicy Cluster)', () => {
    expectLbError((chart) => ({ allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Lan', '192.168.0.0/16')] }),
      'allowFrom[0] is an ipBlock, but with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s; got "Cluster (default)". ');
  });

  test('fails if an enum-typed prop holds another value (JavaScript callers)', () => {
    expectLbError(() => ({ annotationStyle: 'metallb' as MetalLbAnnotationStyle }),
      'annotationStyle must be a MetalLbAnnotationStyle; got "metallb". Use MetalLbAnnotationStyle.CURRENT or MetalLbAnnotationStyle.LEGACY.');
    expectLbError(() => ({ externalTrafficPolicy: 'local' as ExternalTrafficPolicy }), 'externalTrafficPolicy must be an ExternalTrafficPolicy; got "local". ');
    expectLbError(() => ({ ipFamilies: ['IPv5' as IpFamily] }), 'ipFamilies[0] must be an IpFamily; got "IPv5". Use IpFamily.IPV4 or IpFamily.IPV6.');
    expectLbError(() => ({ allocateLoadBalancerNodePorts: 'no' as unknown as boolean }), 'allocateLoadBalancerNodePorts must be a boolean; got "no". ');
  });

  test('fails if an explicit nodePort is outside the node port range', () => {
    expectLbError(() => ({ ports: [{ port: 80, nodePort: 8080 }] }), 'ports[0].nodePort must be an integer within 30000-32767; got 8080. ');
  });

  describe('shared addresses (App-wide)', () => {
    function two(first: Partial<MetalLbLoadBalancerProps>, second: Partial<MetalLbLoadBalancerProps>) {
      const app = Testing.app();
      lb({ name: 'dns', loadBalancerIPs: ['192.168.9.53'], ...first }, new Chart(app, 'a'), 'Dns');
      const b = new Chart(app, 'b');
      return () => lb({ loadBalancerIPs: ['192.168.9.53'], ...second }, b, 'Dns');
    }

    test('fails if two Services pin one address without a sharedIpKey', () => {
      expect(two({}, { ports: [{ port: 853 }] })).toThrow(
        '[b/Dns] MetalLbLoadBalancer: loadBalancerIPs[0] is already used by [a/Dns] (Service "default/dns"); '
        + 'MetalLB only shares an address between Services with the same sharedIpKey; got "192.168.9.53". Give both Services the same sharedIpKey, or pin another address.');
      expect(two({ sharedIpKey: 'dns' }, { sharedIpKey: 'other', ports: [{ port: 853 }] })).toThrow(
        /^\[b\/Dns\] MetalLbLoadBalancer: loadBalancerIPs\[0\] is already used by \[a\/Dns\]/);
    });

    test('fails if Services sharing an address use one port and protocol', () => {
      expect(two({ sharedIpKey: 'dns', ports: [{ port: 53, protocol: kplus.Protocol.UDP }] }, { sharedIpKey: 'dns', ports: [{ port: 53, protocol: kplus.Protocol.UDP }] }))
        .toThrow('[b/Dns] MetalLbLoadBalancer: loadBalancerIPs[0] is shared with [a/Dns] (Service "default/dns"), which also uses port 53/UDP; '
          + 'MetalLB refuses two Services on one address and port; got "192.168.9.53". Use distinct ports on Services that share an address, or pin another address.');
    });

    test('fails if Local Services sharing an address select other pods, or Local meets Cluster', () => {
      const local = { sharedIpKey: 'dns', externalTrafficPolicy: ExternalTrafficPolicy.LOCAL };
      const otherPods = (chart: Chart) => kplus.Pods.select(chart, 'Other', { labels: { name: 'coredns' } });
      const app = Testing.app();
      lb({ ...local, name: 'dns', loadBalancerIPs: ['192.168.9.53'], ports: [{ port: 53 }] }, new Chart(app, 'a'), 'Dns');
      const b = new Chart(app, 'b');
      expect(() => new MetalLbLoadBalancer(b, 'Dns', { ...local, loadBalancerIPs: ['192.168.9.53'], selector: otherPods(b), ports: [{ port: 853 }] })).toThrow(
        '[b/Dns] MetalLbLoadBalancer: loadBalancerIPs[0] is shared with [a/Dns] (Service "default/dns"), but MetalLB only shares an address between '
        + 'Services with externalTrafficPolicy Local when both are Local and select the same pods; got "192.168.9.53". ');
      expect(two(local, { sharedIpKey: 'dns', ports: [{ port: 853 }] })).toThrow(/but MetalLB only shares an address between Services with externalTrafficPolicy Local/);
    });
  });

  test('fails if another Service of the App has the name in the namespace', () => {
    const app = Testing.app();
    lb({ name: 'web' }, new Chart(app, 'a'));
    expect(() => lb({ name: 'web' }, new Chart(app, 'b'))).toThrow(
      /^\[b\/Web\] MetalLbLoadBalancer: name is already the name of the Service of \[a\/Web\] in namespace "default"; got "web"\. /);
  });
});
