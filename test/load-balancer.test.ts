import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessGuide, AccessMethod, AccessOrigin, ClusterProfile, Cni, DEFAULT_LOAD_BALANCER_INTERNET_FACING, DEFAULT_LOAD_BALANCER_PROVIDER,
  DEFAULT_NODE_PORT_RANGE, ExternalTrafficPolicy, IpFamily, LoadBalancerProvider, LoadBalancerService, LoadBalancerServiceProps,
} from '../src';
import { find, synthChart, validateTree } from './util';

function web(chart: Chart = Testing.chart()) {
  const pods = kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } });
  return { chart, pods };
}

function lb(props: Partial<LoadBalancerServiceProps> = {}, chart?: Chart) {
  const { chart: c, pods } = web(chart);
  const svc = new LoadBalancerService(c, 'Web', { selector: pods, ports: [{ port: 80, appProtocol: 'http' }], ...props });
  return { chart: c, svc };
}

const AWS = 'service.beta.kubernetes.io/aws-load-balancer';

describe('LoadBalancerService', () => {
  test('defaults: GENERIC provider, no annotations, Kubernetes\' node-port allocation, no traffic policy', () => {
    const { chart, svc } = lb();
    expect(DEFAULT_LOAD_BALANCER_PROVIDER).toBe(LoadBalancerProvider.GENERIC);
    expect(DEFAULT_LOAD_BALANCER_INTERNET_FACING).toBe(false);
    expect(svc.provider).toBe(LoadBalancerProvider.GENERIC);
    expect(svc.internetFacing).toBeUndefined();
    expect(svc.allocateLoadBalancerNodePorts).toBe(true);
    expect(svc.nodePortRange).toEqual(DEFAULT_NODE_PORT_RANGE);
    expect(svc.externalTrafficPolicy).toBeUndefined();
    expect(svc.loadBalancerSourceRanges).toBeUndefined();
    expect(svc.ipFamilies).toBeUndefined();
    expect(svc.loadBalancerClass).toBeUndefined();
    expect(svc.networkPolicy).toBeUndefined();
    expect(svc.annotations).toEqual({});
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata.annotations).toBeUndefined();
    expect(service.spec).toStrictEqual({ type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, appProtocol: 'http' }] });
    expect(svc.accessPoints).toEqual([
      expect.objectContaining({
        origin: AccessOrigin.OUTSIDE_CLUSTER,
        method: AccessMethod.LOAD_BALANCER,
        host: '<load-balancer-address>',
        port: 80,
        hostLookupCommand: `kubectl -n default get service ${svc.serviceName} -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}'`,
      }),
      expect.objectContaining({ method: AccessMethod.NODE_PORT, host: '<node-ip>' }),
    ]);
    expect(svc.prerequisites).toEqual([expect.stringMatching(/^A load balancer implementation for Services of type LoadBalancer .*many clouds make it internet-facing/)]);
  });

  test('pins generated names', () => {
    const { svc } = lb();
    expect(svc.serviceName).toBe('test-web-c854d28f');
    expect(svc.service.node.id).toBe('Resource');
  });

  test('AWS: an internal NLB with IP targets, no node ports, the host name in the guide', () => {
    const { chart, svc } = lb({ provider: LoadBalancerProvider.AWS, name: 'web' });
    expect(svc.internetFacing).toBe(false);
    expect(svc.allocateLoadBalancerNodePorts).toBe(false);
    const service = find(synthChart(chart), 'Service', 'web');
    expect(service.metadata.annotations).toStrictEqual({
      [`${AWS}-type`]: 'external',
      [`${AWS}-nlb-target-type`]: 'ip',
      [`${AWS}-scheme`]: 'internal',
    });
    expect(service.spec.allocateLoadBalancerNodePorts).toBe(false);
    expect(svc.accessPoints).toEqual([expect.objectContaining({
      host: '<load-balancer-hostname>',
      hostLookupCommand: 'kubectl -n default get service web -o jsonpath=\'{.status.loadBalancer.ingress[0].hostname}\'',
      description: expect.stringContaining('reachable from the VPC and connected networks only'),
    })]);
    expect(svc.prerequisites).toEqual(expect.arrayContaining([
      expect.stringMatching(/^The AWS Load Balancer Controller v2\.2 or later installed/),
      expect.stringContaining('kubernetes.io/role/internal-elb'),
      'An internal load balancer: reachable from the cluster\'s VPC and the networks connected to it only',
    ]));
  });

  test('AWS internet-facing and dual stack', () => {
    const { chart, svc } = lb({
      provider: LoadBalancerProvider.AWS,
      internetFacing: true,
      ipFamilies: [IpFamily.IPV4, IpFamily.IPV6],
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/64'],
    });
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata.annotations).toMatchObject({ [`${AWS}-scheme`]: 'internet-facing', [`${AWS}-ip-address-type`]: 'dualstack' });
    expect(service.spec).toMatchObject({ ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' });
    expect(svc.prerequisites).toEqual(expect.arrayContaining([
      'An internet-facing load balancer: reachable from the internet (only from 203.0.113.0/24, 2001:db8::/64)',
      'A dual-stack cluster (IPv4 and IPv6 Service CIDRs)',
    ]));
  });

  test('GKE and AKS: internal unless internetFacing, the IP in the guide', () => {
    const gke = lb({ provider: LoadBalancerProvider.GKE });
    expect(find(synthChart(gke.chart), 'Service').metadata.annotations).toStrictEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
    expect(gke.svc.accessPoints[0]).toMatchObject({ host: '<load-balancer-ip>', hostLookupCommand: expect.stringContaining('ingress[0].ip') });
    const aks = lb({ provider: LoadBalancerProvider.AKS });
    expect(find(synthChart(aks.chart), 'Service').metadata.annotations).toStrictEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(aks.svc.prerequisites).toContain('An internal load balancer: reachable from the cluster\'s VNet and the networks connected to it only');
    const publicGke = lb({ provider: LoadBalancerProvider.GKE, internetFacing: true });
    expect(find(synthChart(publicGke.chart), 'Service').metadata.annotations).toBeUndefined();
    expect(publicGke.svc.accessPoints[0].description).toContain('reachable from the internet');
  });

  test('K3S_SERVICE_LB: every node\'s address, no node ports with Cluster, node ports with Local', () => {
    const { chart, svc } = lb({ provider: LoadBalancerProvider.K3S_SERVICE_LB, ports: [{ port: 8080 }] });
    expect(svc.internetFacing).toBeUndefined();
    expect(find(synthChart(chart), 'Service').spec.allocateLoadBalancerNodePorts).toBe(false);
    expect(svc.accessPoints).toEqual([expect.objectContaining({
      host: '<node-ip>',
      hostLookupCommand: `kubectl -n default get service ${svc.serviceName} -o jsonpath='{.status.loadBalancer.ingress[*].ip}'`,
      description: expect.stringContaining('ServiceLB binds the port as a host port on every node'),
    })]);
    expect(svc.prerequisites).toEqual([
      'k3s with ServiceLB enabled (the default; not started with --disable=servicelb)',
      expect.stringMatching(/^Ports 8080\/TCP free on the nodes/),
    ]);
    const local = lb({ provider: LoadBalancerProvider.K3S_SERVICE_LB, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });
    expect(local.svc.allocateLoadBalancerNodePorts).toBe(true);
    expect(find(synthChart(local.chart), 'Service').spec.allocateLoadBalancerNodePorts).toBeUndefined();
  });

  test('the annotations escape hatch adds provider annotations, and the L1 patch stays available', () => {
    const { chart, svc } = lb({
      provider: LoadBalancerProvider.AWS,
      annotations: { [`${AWS}-healthcheck-path`]: '/healthz' },
    });
    ApiObject.of(svc.service).addJsonPatch(JsonPatch.add('/metadata/annotations/example.com~1owner', 'web-team'));
    const annotations = find(synthChart(chart), 'Service').metadata.annotations;
    expect(annotations).toMatchObject({ [`${AWS}-healthcheck-path`]: '/healthz', [`${AWS}-scheme`]: 'internal', 'example.com/owner': 'web-team' });
    expect(svc.annotations[`${AWS}-healthcheck-path`]).toBe('/healthz');
  });

  test('fails if annotations override what the provider writes, or are not annotations', () => {
    expect(() => lb({ provider: LoadBalancerProvider.AWS, annotations: { [`${AWS}-scheme`]: 'internet-facing' } })).toThrow(
      `[test/Web] LoadBalancerService: annotations["${AWS}-scheme"] is written by the pattern itself (as "internal"); got "internet-facing". Use internetFacing (and the provider) instead of writing the annotation.`);
    expect(() => lb({ annotations: { 'not a key': 'x' } })).toThrow(/annotations\["not a key"\] must have a name part .*Use a qualified name/);
    expect(() => lb({ annotations: { 'example.com/n': 1 as any } })).toThrow(/annotations\["example.com\/n"\] must be a string/);
  });

  test('fails if internetFacing is given where the provider cannot make an internal load balancer', () => {
    expect(() => lb({ internetFacing: false })).toThrow(
      /^\[test\/Web\] LoadBalancerService: internetFacing has no effect with the generic provider, which cannot make an internal load balancer; got false\. Omit internetFacing/);
    expect(() => lb({ provider: LoadBalancerProvider.K3S_SERVICE_LB, internetFacing: true })).toThrow(/ServiceLB answers on every node's address/);
    expect(() => lb({ provider: LoadBalancerProvider.AWS, internetFacing: 'yes' as any })).toThrow(/internetFacing must be a boolean; got "yes"/);
  });

  test('fails if provider is not a LoadBalancerProvider, or a prop is misspelt', () => {
    expect(() => lb({ provider: 'aws-nlb' as any })).toThrow(/^\[test\/Web\] LoadBalancerService: provider must be a LoadBalancerProvider; got "aws-nlb"\. Use LoadBalancerProvider\.AWS/);
    expect(() => lb({ internetfacing: true } as any)).toThrow(/internetfacing is not a property of LoadBalancerServiceProps; got true\. Did you mean internetFacing\?/);
  });

  test('fails if ServiceLB with Local has no node ports (it forwards to them)', () => {
    expect(() => lb({
      provider: LoadBalancerProvider.K3S_SERVICE_LB, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allocateLoadBalancerNodePorts: false,
    }))
      .toThrow(/allocateLoadBalancerNodePorts must not be false with externalTrafficPolicy Local on ServiceLB/);
  });

  test('fails if allowFrom has ipBlocks behind an AWS NLB with IP targets', () => {
    const chart = Testing.chart();
    expect(() => lb({
      provider: LoadBalancerProvider.AWS,
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24')],
    }, chart)).toThrow(/allowFrom\[0\] is an ipBlock, but an NLB with IP targets sends the traffic to the pods from its own addresses.*Use loadBalancerSourceRanges/);
  });

  test('shares the LoadBalancer rules with MetalLbLoadBalancer: source ranges per family, class, families', () => {
    expect(() => lb({ ipFamilies: [IpFamily.IPV4, IpFamily.IPV6], loadBalancerSourceRanges: ['10.0.0.0/8'] })).toThrow(
      /loadBalancerSourceRanges has no IPv6 range, but the Service has ipFamilies IPv4, IPv6: kube-proxy would let every IPv6 source reach its IPv6 load balancer IP/);
    expect(() => lb({ loadBalancerSourceRanges: [] })).toThrow(/loadBalancerSourceRanges must list at least one CIDR/);
    expect(() => lb({ loadBalancerClass: 'not a class' })).toThrow(/loadBalancerClass must .*; got "not a class"\. Use the class your load balancer implementation serves/);
    expect(() => lb({ ipFamilies: [IpFamily.IPV4, IpFamily.IPV4] })).toThrow(/ipFamilies\[1\] duplicates ipFamilies\[0\]/);
    expect(() => lb({ allocateLoadBalancerNodePorts: 'no' as any })).toThrow(/allocateLoadBalancerNodePorts must be a boolean/);
    const { chart } = lb({ loadBalancerClass: 'service.k8s.aws/nlb', externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allocateLoadBalancerNodePorts: false });
    expect(find(synthChart(chart), 'Service').spec).toMatchObject({ loadBalancerClass: 'service.k8s.aws/nlb', externalTrafficPolicy: 'Local', allocateLoadBalancerNodePorts: false });
  });

  test('fails if allowFrom selects pods behind an AWS NLB with IP targets (its own addresses reach the pods, which no pod peer matches)', () => {
    const chart = Testing.chart();
    expect(() => lb({ provider: LoadBalancerProvider.AWS, ports: [{ port: 80, targetPort: 8080 }], allowFrom: [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })] }, chart))
      .toThrow('[test/Web] LoadBalancerService: allowFrom[0] selects pods role=client of the policy\'s namespace, but an NLB with IP targets sends the traffic to the pods from its own addresses '
        + '(client IP preservation is off for IP targets by default), which no pod or namespace peer matches: every client, and the NLB\'s health checks, would be refused; got "LoadBalancerProvider.AWS". '
        + 'Use loadBalancerSourceRanges (the AWS Load Balancer Controller turns them into security group rules) and remove allowFrom.');
  });

  test('allowFrom with pods emits the NetworkPolicy on the target ports (externalTrafficPolicy Local keeps the client address)', () => {
    const chart = Testing.chart();
    const { svc } = lb({
      ports: [{ port: 80, targetPort: 8080 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allowFrom: [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })],
    }, chart);
    expect(svc.networkPolicy).toBeDefined();
    const policy = find(synthChart(chart), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([expect.objectContaining({ ports: [{ port: 8080, protocol: 'TCP' }] })]);
  });

  describe('with a cluster profile', () => {
    test('the provider defaults to the profile\'s', () => {
      const cases: [ClusterProfile, LoadBalancerProvider][] = [
        [ClusterProfile.eks(), LoadBalancerProvider.AWS],
        [ClusterProfile.gke(), LoadBalancerProvider.GKE],
        [ClusterProfile.aks(), LoadBalancerProvider.AKS],
        [ClusterProfile.k3s(), LoadBalancerProvider.K3S_SERVICE_LB],
        [ClusterProfile.k3d({ clusterName: 'test' }), LoadBalancerProvider.K3S_SERVICE_LB],
      ];
      for (const [profile, provider] of cases) {
        const app = Testing.app();
        profile.applyTo(app);
        const { chart, svc } = lb({ ports: [{ port: 8080 }] }, new Chart(app, 'test'));
        expect(svc.provider).toBe(provider);
        synthChart(chart);
      }
    });

    test('fails if the provider contradicts the profile', () => {
      const app = Testing.app();
      ClusterProfile.gke().applyTo(app);
      lb({ provider: LoadBalancerProvider.AWS }, new Chart(app, 'test'));
      expect(() => validateTree(app)).toThrow(
        '[test/Web] LoadBalancerService: provider is aws, but the gke profile\'s load balancers are gke; got "aws". Omit provider to take the profile\'s (gke), or correct the profile.');
    });

    test('fails if the profile was attached after the Service picked GENERIC', () => {
      const app = Testing.app();
      lb({}, new Chart(app, 'test'));
      ClusterProfile.eks().applyTo(app);
      expect(() => validateTree(app)).toThrow(/provider is generic, but the eks profile's load balancers are aws \(the profile was attached after the Service was created.*Attach the profile/);
    });

    test('fails if nothing answers LoadBalancer Services on the profile\'s cluster', () => {
      const app = Testing.app();
      ClusterProfile.kubeadm({ cni: Cni.CALICO }).applyTo(app);
      lb({}, new Chart(app, 'test'));
      expect(() => validateTree(app)).toThrow(/provider has nothing to answer it: the kubeadm profile says no load balancer implementation runs, so the Service would stay <pending>/);
    });

    test('a loadBalancerClass leaves the provider to that class\'s controller', () => {
      const app = Testing.app();
      ClusterProfile.kubeadm({ cni: Cni.CALICO }).applyTo(app);
      const { chart } = lb({ loadBalancerClass: 'example.com/kube-vip' }, new Chart(app, 'test'));
      expect(() => synthChart(chart)).not.toThrow();
    });

    test('the access guide of a k3d profile maps the ServiceLB port to localhost', () => {
      const app = Testing.app();
      ClusterProfile.k3d({ clusterName: 'test' }).applyTo(app);
      lb({ ports: [{ port: 8080, appProtocol: 'http' }] }, new Chart(app, 'test'));
      const [entry] = AccessGuide.of(app).entries;
      expect(entry.accessPoints).toEqual([expect.objectContaining({ host: 'localhost', port: 8080, testCommand: 'curl -v http://localhost:8080' })]);
      expect(entry.prerequisites).toContain(
        'k3d port mappings (k3d nodes are containers: only mapped ports reach them from the host): k3d cluster create test -p "8080:8080@loadbalancer"; '
        + 'for an existing cluster: k3d node edit k3d-test-serverlb --port-add 8080:8080');
    });
  });
});
