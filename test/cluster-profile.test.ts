import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AccessGuide, ClusterDistribution, ClusterIpService, ClusterProfile, Cni, DEFAULT_NODE_PORT_RANGE, ExternalTrafficPolicy, HostNetworkApp,
  HostPortApp, IngressController, IngressRoute, IpFamily, LoadBalancerImplementation, LoadBalancerProvider, LoadBalancerService, MetalLbAddressPool,
  MetalLbLoadBalancer, NodeAddressAccess, NodePortService, RouteFlavour,
} from '../src';
import { synthApp, validateTree } from './util';
import { attachedProfile, describeProfile, ownProfile, PROFILE_ATTACHMENT_ID } from '../src/profile/attached-profile';
import { nodePortsOf, profileNodePortRange } from '../src/profile/node-port-rules';

/** An App with `profile` on it (when given) and one chart `test`. */
function cluster(profile?: ClusterProfile): { app: App; chart: Chart; pods: kplus.Pods } {
  const app = Testing.app();
  profile?.applyTo(app);
  const chart = new Chart(app, 'test');
  return { app, chart, pods: kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } }) };
}

const K3D = () => ClusterProfile.k3d({ clusterName: 'test' });

describe('ClusterProfile', () => {
  describe('stock facts of each distribution', () => {
    test.each([
      ['k3s', ClusterProfile.k3s(), ClusterDistribution.K3S, LoadBalancerImplementation.SERVICE_LB, true, IngressController.TRAEFIK, 'traefik', NodeAddressAccess.DIRECT, LoadBalancerProvider.K3S_SERVICE_LB],
      ['k3d', K3D(), ClusterDistribution.K3D, LoadBalancerImplementation.SERVICE_LB, true, IngressController.TRAEFIK, 'traefik', NodeAddressAccess.K3D_PORT_MAPPINGS, LoadBalancerProvider.K3S_SERVICE_LB],
      ['kubeadm flannel', ClusterProfile.kubeadm({ cni: Cni.FLANNEL }), ClusterDistribution.KUBEADM, LoadBalancerImplementation.NONE, false, IngressController.NONE, undefined, NodeAddressAccess.DIRECT, LoadBalancerProvider.GENERIC],
      ['kubeadm calico', ClusterProfile.kubeadm({ cni: Cni.CALICO }), ClusterDistribution.KUBEADM, LoadBalancerImplementation.NONE, true, IngressController.NONE, undefined, NodeAddressAccess.DIRECT, LoadBalancerProvider.GENERIC],
      ['kubeadm cilium', ClusterProfile.kubeadm({ cni: Cni.CILIUM }), ClusterDistribution.KUBEADM, LoadBalancerImplementation.NONE, true, IngressController.NONE, undefined, NodeAddressAccess.DIRECT, LoadBalancerProvider.GENERIC],
      ['eks', ClusterProfile.eks(), ClusterDistribution.EKS, LoadBalancerImplementation.CLOUD, false, IngressController.NONE, undefined, NodeAddressAccess.DIRECT, LoadBalancerProvider.AWS],
      ['gke', ClusterProfile.gke(), ClusterDistribution.GKE, LoadBalancerImplementation.CLOUD, false, IngressController.GCE, 'gce', NodeAddressAccess.DIRECT, LoadBalancerProvider.GKE],
      ['aks', ClusterProfile.aks(), ClusterDistribution.AKS, LoadBalancerImplementation.CLOUD, false, IngressController.NONE, undefined, NodeAddressAccess.DIRECT, LoadBalancerProvider.AKS],
    ])('%s', (_name, profile, distribution, loadBalancer, enforced, ingress, ingressClass, access, provider) => {
      expect(profile).toMatchObject({
        distribution, loadBalancer, networkPoliciesEnforced: enforced, ingressController: ingress, nodeAddressAccess: access,
      });
      expect(profile.ingressClassName).toBe(ingressClass);
      expect(profile.nodePortRange).toEqual(DEFAULT_NODE_PORT_RANGE);
      expect(profile.loadBalancerProvider).toBe(provider);
    });

    test('every fact can be overridden', () => {
      const profile = ClusterProfile.k3s({
        nodePortRange: { min: 20000, max: 22767 },
        loadBalancer: LoadBalancerImplementation.METALLB,
        networkPoliciesEnforced: false,
        ingressController: IngressController.INGRESS_NGINX,
        nodeAddressAccess: NodeAddressAccess.DIRECT,
      });
      expect(profile).toMatchObject({
        nodePortRange: { min: 20000, max: 22767 },
        loadBalancer: LoadBalancerImplementation.METALLB,
        networkPoliciesEnforced: false,
        ingressController: IngressController.INGRESS_NGINX,
        ingressClassName: 'nginx',
        loadBalancerProvider: LoadBalancerProvider.GENERIC,
      });
      expect(ClusterProfile.eks({ networkPoliciesEnforced: true, ingressClassName: 'alb', ingressController: IngressController.INGRESS_NGINX }))
        .toMatchObject({ networkPoliciesEnforced: true, ingressClassName: 'alb' });
    });
  });

  describe('attaching and reading', () => {
    test('without a profile, of() is undefined', () => {
      const { chart } = cluster();
      expect(ClusterProfile.of(chart)).toBeUndefined();
    });

    test('the nearest scope wins', () => {
      const app = Testing.app();
      const eks = ClusterProfile.eks();
      const k3s = ClusterProfile.k3s();
      eks.applyTo(app);
      const cloud = new Chart(app, 'cloud');
      const edge = new Chart(app, 'edge');
      k3s.applyTo(edge);
      expect(ClusterProfile.of(new kplus.Pods(cloud, 'A'))).toBe(eks);
      expect(ClusterProfile.of(new kplus.Pods(edge, 'B'))).toBe(k3s);
      expect(ClusterProfile.of(app)).toBe(eks);
    });

    test('fails if applied twice to one scope', () => {
      const app = Testing.app();
      ClusterProfile.k3s().applyTo(app);
      expect(() => ClusterProfile.eks().applyTo(app)).toThrow(
        '[] ClusterProfile: applyTo was already called on this scope (with the k3s profile); got "eks". Attach one profile per scope: the profile of an App applies to all its charts, and a chart\'s own profile overrides it.');
    });

    test('fails if an option is invalid', () => {
      const attach = (profile: ClusterProfile) => () => profile.applyTo(new Chart(Testing.app(), 'test'));
      expect(attach(ClusterProfile.k3d({ clusterName: 'My_Cluster' }))).toThrow(/^\[test\] ClusterProfile: clusterName .*; got "My_Cluster"\. Pass the name given to k3d cluster create/);
      expect(attach(ClusterProfile.kubeadm({} as any))).toThrow(/cni must be a Cni \(it decides whether NetworkPolicies are enforced\); got undefined/);
      expect(attach(ClusterProfile.kubeadm({ cni: 'weave' as any }))).toThrow(/cni must be a Cni .*; got "weave"/);
      expect(attach(ClusterProfile.k3s({ loadBalancer: 'klipper' as any }))).toThrow(/loadBalancer must be a LoadBalancerImplementation; got "klipper"/);
      expect(attach(ClusterProfile.k3s({ networkPoliciesEnforced: 'yes' as any }))).toThrow(/networkPoliciesEnforced must be a boolean/);
      expect(attach(ClusterProfile.k3s({ nodePortRange: { min: 32767, max: 30000 } }))).toThrow(/nodePortRange must be \{ min, max \}/);
      expect(attach(ClusterProfile.eks({ loadBalancer: LoadBalancerImplementation.SERVICE_LB }))).toThrow(/loadBalancer is ServiceLB, which only k3s \(and k3d\) run/);
      expect(attach(ClusterProfile.kubeadm({ cni: Cni.CALICO, loadBalancer: LoadBalancerImplementation.CLOUD }))).toThrow(/loadBalancer is CLOUD, but kubeadm has no cloud load balancer/);
      expect(attach(ClusterProfile.eks({ ingressClassName: 'alb' }))).toThrow(/ingressClassName needs an ingress controller, but ingressController is NONE/);
      expect(attach(ClusterProfile.k3s({ nodeportRange: { min: 1, max: 2 } } as any))).toThrow(/options\.nodeportRange is not a property of ClusterProfileOptions.*Did you mean nodePortRange\?/);
    });
  });

  describe('without a profile nothing changes', () => {
    test('a k3s-only clash is not refused without a profile', () => {
      const { app, chart, pods } = cluster();
      new LoadBalancerService(chart, 'A', { selector: pods, ports: [{ port: 80 }] });
      new HostPortApp(chart, 'Host', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 80 }] });
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allowFrom: [kplus.Pods.select(chart, 'C', { labels: { a: 'b' } })] });
      expect(() => synthApp(app)).not.toThrow();
      const guide = AccessGuide.of(app);
      expect(guide.entries.length).toBe(3);
      for (const entry of guide.entries) {
        const pattern = app.node.findAll().find((c) => c.node.path === entry.path) as unknown as { accessPoints: unknown; prerequisites: unknown };
        expect(entry.accessPoints).toEqual(pattern.accessPoints);
        expect(entry.prerequisites).toEqual(pattern.prerequisites);
      }
    });
  });

  describe('k3s ServiceLB: ports bound on every node', () => {
    test('fails if a LoadBalancer port is already bound by another LoadBalancer Service (reported once, naming both)', () => {
      const { app, chart, pods } = cluster(ClusterProfile.k3s());
      new LoadBalancerService(chart, 'A', { selector: pods, ports: [{ port: 8080 }] });
      new LoadBalancerService(chart, 'B', { selector: pods, ports: [{ port: 8080 }] });
      expect(() => validateTree(app)).toThrow(new RegExp(
        '^Validation failed with the following errors:\\n  \\[test/B\\] LoadBalancerService: ports\\[0\\]\\.port is 8080/TCP, which \\[test/A\\] \\(LoadBalancerService\\) already binds on the nodes; '
        + 'ServiceLB \\(the k3s profile\\) binds every LoadBalancer port as a host port on every node.*; got 8080\\. Give each LoadBalancer Service served by ServiceLB its own port.*$'));
    });

    test('fails if a LoadBalancer port is already bound by a HostPortApp or a HostNetworkApp', () => {
      const { app, chart, pods } = cluster(ClusterProfile.k3s());
      new HostPortApp(chart, 'Influx', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] });
      new HostNetworkApp(chart, 'Dns', { image: 'coredns', ports: [{ port: 5353, protocol: kplus.Protocol.UDP }] });
      new LoadBalancerService(chart, 'Lb', { selector: pods, ports: [{ name: 'http', port: 8086 }, { name: 'dns', port: 5353, protocol: kplus.Protocol.UDP }] });
      expect(() => validateTree(app)).toThrow(/\[test\/Lb\] LoadBalancerService: ports\[0\]\.port is 8086\/TCP, which \[test\/Influx\] \(HostPortApp\) already binds on the nodes.*Pick another port for one of them/);
      expect(() => validateTree(app)).toThrow(/\[test\/Lb\] LoadBalancerService: ports\[1\]\.port is 5353\/UDP, which \[test\/Dns\] \(HostNetworkApp\) already binds/);
    });

    test('fails if a LoadBalancer Service or a host-level app takes Traefik\'s 80 or 443', () => {
      const { app, chart, pods } = cluster(K3D());
      new LoadBalancerService(chart, 'Lb', { selector: pods, ports: [{ port: 443 }] });
      new HostPortApp(chart, 'Host', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 80 }] });
      expect(() => validateTree(app)).toThrow(/\[test\/Lb\] LoadBalancerService: ports\[0\]\.port is 443\/TCP, which k3s' packaged Traefik already binds on every node through ServiceLB/);
      expect(() => validateTree(app)).toThrow(/\[test\/Host\] HostPortApp: ports\[0\]\.hostPort is 80\/TCP, which k3s' packaged Traefik already binds on every node.*--disable=traefik/);
    });

    test('the same Services are fine with another protocol, a loadBalancerClass, without Traefik, or without ServiceLB', () => {
      const ok = (profile: ClusterProfile, build: (chart: Chart, pods: kplus.Pods) => void) => {
        const { app, chart, pods } = cluster(profile);
        build(chart, pods);
        expect(() => synthApp(app)).not.toThrow();
      };
      ok(ClusterProfile.k3s(), (chart, pods) => {
        new LoadBalancerService(chart, 'A', { selector: pods, ports: [{ port: 8080 }] });
        new LoadBalancerService(chart, 'B', { selector: pods, ports: [{ port: 8080, protocol: kplus.Protocol.UDP }] });
        new LoadBalancerService(chart, 'C', { selector: pods, ports: [{ port: 8080 }], loadBalancerClass: 'example.com/other' });
      });
      ok(ClusterProfile.k3s({ ingressController: IngressController.NONE }), (chart) => {
        new HostPortApp(chart, 'Host', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 80 }] });
      });
      ok(ClusterProfile.k3s({ loadBalancer: LoadBalancerImplementation.METALLB }), (chart, pods) => {
        new MetalLbLoadBalancer(chart, 'A', { selector: pods, ports: [{ port: 80 }] });
        new MetalLbLoadBalancer(chart, 'B', { selector: pods, ports: [{ port: 80 }] });
        new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'] });
      });
    });
  });

  describe('MetalLB beside ServiceLB', () => {
    test('fails if a MetalLbLoadBalancer has no loadBalancerClass on a k3s profile with ServiceLB', () => {
      const { app, chart, pods } = cluster(ClusterProfile.k3s());
      new MetalLbLoadBalancer(chart, 'Lb', { selector: pods, ports: [{ port: 8080 }] });
      expect(() => validateTree(app)).toThrow(
        '[test/Lb] MetalLbLoadBalancer: loadBalancerClass is not set, and on the k3s profile ServiceLB serves every LoadBalancer Service without a class, so ServiceLB and MetalLB would both serve this one; got undefined. '
        + 'Start k3s with --disable=servicelb and say loadBalancer: LoadBalancerImplementation.METALLB in the profile, or run MetalLB with --lb-class and give the MetalLbLoadBalancer that loadBalancerClass (ServiceLB ignores Services of another class).');
    });

    test('fails if a MetalLbAddressPool runs beside ServiceLB unless every MetalLB Service has a class', () => {
      const bare = cluster(ClusterProfile.k3s());
      new MetalLbAddressPool(bare.chart, 'Pool', { addresses: ['192.168.9.0/24'] });
      expect(() => validateTree(bare.app)).toThrow(/\[test\/Pool\] MetalLbAddressPool: addresses would be handed out by MetalLB beside ServiceLB \(the k3s profile\).*; got \["192\.168\.9\.0\/24"\]/);
      const classed = cluster(ClusterProfile.k3s());
      const pool = new MetalLbAddressPool(classed.chart, 'Pool', { addresses: ['192.168.9.0/24'] });
      new MetalLbLoadBalancer(classed.chart, 'Lb', { selector: classed.pods, ports: [{ port: 8080 }], pool, loadBalancerClass: 'example.com/metallb' });
      expect(() => synthApp(classed.app)).not.toThrow();
    });
  });

  describe('NetworkPolicy enforcement', () => {
    const allowFrom = (chart: Chart) => [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })];

    test('fails if allowFrom is used where the profile says NetworkPolicies are not enforced', () => {
      const { app, chart, pods } = cluster(ClusterProfile.kubeadm({ cni: Cni.FLANNEL }));
      new NodePortService(chart, 'Web', { selector: pods, ports: [{ port: 80 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allowFrom: allowFrom(chart) });
      expect(() => validateTree(app)).toThrow(
        '[test/Web] NodePortService: allowFrom emits a NetworkPolicy, but the kubeadm (flannel) profile says NetworkPolicies are not enforced, so every source that reaches the entry point would still reach the pods; '
        + 'got ["pods role=client of the policy\'s namespace"]. Run a CNI that enforces NetworkPolicies (Calico, Cilium, or Canal: flannel with Calico\'s policy engine) and say so with networkPoliciesEnforced: true in the profile; '
        + 'or restrict the sources before the cluster (loadBalancerSourceRanges, a firewall or security group) and remove allowFrom.');
    });

    test.each([
      ['eks', ClusterProfile.eks(), /Enable the Amazon VPC CNI's network policy agent/],
      ['gke', ClusterProfile.gke(), /Enable GKE Dataplane V2/],
      ['aks', ClusterProfile.aks(), /az aks create --network-policy/],
    ])('fails on %s unless enforcement is enabled', (_name, profile, fix) => {
      const { app, chart } = cluster(profile);
      new HostPortApp(chart, 'Host', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }], allowFrom: allowFrom(chart) });
      expect(() => validateTree(app)).toThrow(fix);
    });

    test('is fine where NetworkPolicies are enforced', () => {
      const profiles = [ClusterProfile.k3s(), ClusterProfile.kubeadm({ cni: Cni.CALICO }), ClusterProfile.eks({ networkPoliciesEnforced: true })];
      for (const profile of profiles) {
        const { app, chart, pods } = cluster(profile);
        new NodePortService(chart, 'Web', { selector: pods, ports: [{ port: 80 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allowFrom: allowFrom(chart) });
        expect(synthApp(app).map((d) => d.kind).sort()).toEqual(['NetworkPolicy', 'Service']);
      }
    });
  });

  describe('the ingress class', () => {
    const route = (profile?: ClusterProfile, flavour?: RouteFlavour) => {
      const { app, chart, pods } = cluster(profile);
      const backend = new ClusterIpService(chart, 'Backend', { selector: pods, ports: [{ port: 80 }] });
      new IngressRoute(chart, 'Route', { rules: [{ host: 'web.example.com', backend, port: 80 }], flavour });
      return synthApp(app).filter((d) => d.apiVersion === 'networking.k8s.io/v1' && d.kind === 'Ingress');
    };

    test('an IngressRoute without a flavour is an Ingress of the profile\'s class (traefik on k3s and k3d, gce on GKE)', () => {
      expect(route(ClusterProfile.k3s())[0].spec.ingressClassName).toBe('traefik');
      expect(route(K3D())[0].spec.ingressClassName).toBe('traefik');
      expect(route(ClusterProfile.gke())[0].spec.ingressClassName).toBe('gce');
      expect(route(ClusterProfile.kubeadm({ cni: Cni.CALICO, ingressController: IngressController.INGRESS_NGINX }))[0].spec.ingressClassName).toBe('nginx');
    });

    test('without a profile, or with one that names no controller, the cluster\'s default IngressClass serves it (no class written)', () => {
      expect(route()[0].spec).not.toHaveProperty('ingressClassName');
      expect(route(ClusterProfile.eks())[0].spec).not.toHaveProperty('ingressClassName');
    });

    test('an explicit flavour wins over the profile', () => {
      expect(route(ClusterProfile.k3s(), RouteFlavour.ingress({ className: 'nginx' }))[0].spec.ingressClassName).toBe('nginx');
      expect(route(ClusterProfile.k3s(), RouteFlavour.ingress())[0].spec).not.toHaveProperty('ingressClassName');
      expect(route(ClusterProfile.k3s(), RouteFlavour.traefik())).toEqual([]);
    });
  });

  describe('node port range', () => {
    const narrow = () => ClusterProfile.kubeadm({ cni: Cni.CALICO, nodePortRange: { min: 30000, max: 30100 } });

    test('the profile\'s range is the default of NodePortService and the load balancers', () => {
      const { chart, pods } = cluster(narrow());
      expect(new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80 }] }).nodePortRange).toEqual({ min: 30000, max: 30100 });
      expect(new MetalLbLoadBalancer(chart, 'Lb', { selector: pods, ports: [{ port: 80 }] }).nodePortRange).toEqual({ min: 30000, max: 30100 });
    });

    test('fails if a node port is outside the profile\'s range', () => {
      const { chart, pods } = cluster(narrow());
      expect(() => new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30500 }] })).toThrow(/ports\[0\]\.nodePort must be an integer within 30000-30100; got 30500/);
    });

    test('fails at synth if the profile came after the Service', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      const pods = kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } });
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30500 }] });
      new MetalLbLoadBalancer(chart, 'Lb', { selector: pods, ports: [{ port: 80, nodePort: 30600 }] });
      narrow().applyTo(app);
      expect(() => validateTree(app)).toThrow(
        '[test/Np] NodePortService: ports[0].nodePort must be an integer within 30000-30100, the node port range of the kubeadm (calico) profile; got 30500. '
        + 'Omit nodePort to let Kubernetes allocate one, pick one in the range, or correct the profile\'s nodePortRange.');
      expect(() => validateTree(app)).toThrow(/\[test\/Lb\] MetalLbLoadBalancer: ports\[0\]\.nodePort must be an integer within 30000-30100/);
    });

    test('an explicit nodePortRange wins over the profile\'s', () => {
      const { app, chart, pods } = cluster(narrow());
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30500 }], nodePortRange: DEFAULT_NODE_PORT_RANGE });
      expect(() => synthApp(app)).not.toThrow();
    });
  });

  describe('access guide on k3d', () => {
    test('node ports and host ports through @server:0, ServiceLB and Traefik through @loadbalancer, at localhost', () => {
      const { app, chart, pods } = cluster(K3D());
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30018, appProtocol: 'http' }] });
      new HostPortApp(chart, 'Influx', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] });
      const backend = new ClusterIpService(chart, 'Backend', { selector: pods, ports: [{ port: 80 }] });
      new IngressRoute(chart, 'Route', { rules: [{ host: 'nginx.example.com', backend, port: 80 }] });
      const entries = AccessGuide.of(app).entries;
      const byPath = (path: string) => entries.find((e) => e.path === path)!;
      expect(byPath('test/Np').accessPoints).toEqual([expect.objectContaining({ host: 'localhost', port: 30018, testCommand: 'curl -v http://localhost:30018' })]);
      expect(byPath('test/Np').prerequisites).toContain(
        'k3d port mappings (k3d nodes are containers: only mapped ports reach them from the host): k3d cluster create test -p "30018:30018@server:0"; '
        + 'for an existing cluster: k3d node edit k3d-test-serverlb --port-add 30018:30018');
      expect(byPath('test/Influx').accessPoints[0]).toMatchObject({ host: 'localhost', port: 8086 });
      expect(byPath('test/Route').accessPoints).toEqual([expect.objectContaining({
        host: 'nginx.example.com', port: 8080, testCommand: 'curl -v --resolve nginx.example.com:8080:127.0.0.1 http://nginx.example.com:8080/',
      })]);
      expect(byPath('test/Route').prerequisites).toContain(
        'k3d port mappings (k3d nodes are containers: only mapped ports reach them from the host): k3d cluster create test -p "8080:80@loadbalancer"; '
        + 'for an existing cluster: k3d node edit k3d-test-serverlb --port-add 8080:80');
      const markdown = AccessGuide.of(app).toMarkdown();
      expect(markdown).toContain('curl -v --resolve nginx.example.com:8080:127.0.0.1 http://nginx.example.com:8080/');
      // One command with every mapping of the App, before the sections.
      expect(markdown.indexOf('k3d cluster create test -p "30018:30018@server:0" -p "8086:8086@server:0" -p "8080:80@loadbalancer"\n')).toBeLessThan(markdown.indexOf('## '));
    });

    test('an allocated node port cannot be mapped: the guide asks for a fixed one', () => {
      const { app, chart, pods } = cluster(K3D());
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ name: 'web', port: 80 }] });
      const [entry] = AccessGuide.of(app).entries;
      expect(entry.prerequisites).toEqual([expect.stringMatching(/^A fixed nodePort for web \(TCP\): k3d maps ports when the cluster is created/)]);
    });

    test('a k3s profile leaves the node addresses as they are', () => {
      const { app, chart, pods } = cluster(ClusterProfile.k3s());
      const np = new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30018 }] });
      expect(AccessGuide.of(app).entries[0].accessPoints).toEqual(np.accessPoints);
    });
  });

  describe('every profile\'s manifests pass the schema harness', () => {
    test.each([
      ['k3s', () => ClusterProfile.k3s()],
      ['k3d', K3D],
      ['kubeadm', () => ClusterProfile.kubeadm({ cni: Cni.CALICO, loadBalancer: LoadBalancerImplementation.METALLB })],
      ['eks', () => ClusterProfile.eks({ networkPoliciesEnforced: true })],
      ['gke', () => ClusterProfile.gke({ networkPoliciesEnforced: true })],
      ['aks', () => ClusterProfile.aks({ networkPoliciesEnforced: true })],
    ])('%s', (name, make) => {
      const { app, chart, pods } = cluster(make());
      const clients = kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } });
      new NodePortService(chart, 'Np', { selector: pods, ports: [{ port: 80, nodePort: 30080 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, allowFrom: [clients] });
      new LoadBalancerService(chart, 'Lb', {
        selector: pods,
        ports: [{ port: 8443 }],
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
        // An NLB with IP targets reaches the pods from its own addresses: no pod peer can admit it.
        allowFrom: name === 'eks' ? undefined : [clients],
        ipFamilies: [IpFamily.IPV4],
        loadBalancerSourceRanges: ['10.0.0.0/8'],
      });
      const docs = synthApp(app);
      expect(docs.map((d) => d.kind).sort()).toEqual([...(name === 'eks' ? [] : ['NetworkPolicy']), 'NetworkPolicy', 'Service', 'Service']);
    });
  });
});

describe('the profile lookup without the profile module (profile/attached-profile.ts, profile/node-port-rules.ts)', () => {
  test('the nearest scope\'s profile wins, and a scope without one finds none', () => {
    const app = Testing.app();
    const k3s = ClusterProfile.k3s();
    k3s.applyTo(app);
    const chart = new Chart(app, 'test');
    const gke = ClusterProfile.gke();
    const own = new Chart(app, 'own');
    gke.applyTo(own);
    expect(attachedProfile(chart)).toBe(k3s);
    expect(attachedProfile(own)).toBe(gke);
    expect(ownProfile(chart)).toBeUndefined();
    expect(ownProfile(own)).toBe(gke);
    expect(attachedProfile(new Chart(Testing.app(), 'bare'))).toBeUndefined();
    expect(describeProfile(ClusterProfile.kubeadm({ cni: Cni.FLANNEL }))).toBe('the kubeadm (flannel) profile');
  });

  test('a construct with the attachment id that is not a profile attachment is not taken for one', () => {
    const chart = new Chart(Testing.app(), 'test');
    new Construct(chart, PROFILE_ATTACHMENT_ID);
    expect(attachedProfile(chart)).toBeUndefined();
  });

  test('nodePortsOf lists the explicit node ports with their props, and shares one empty list', () => {
    expect(nodePortsOf([{ nodePort: 30080 }, {}, { nodePort: 30443 }])).toEqual([
      { prop: 'ports[0].nodePort', nodePort: 30080 }, { prop: 'ports[2].nodePort', nodePort: 30443 },
    ]);
    expect(nodePortsOf([{}])).toBe(nodePortsOf([]));
    expect(nodePortsOf([])).toEqual([]);
  });

  test('profileNodePortRange: the given range, else the profile\'s, else Kubernetes\' default', () => {
    const { chart } = cluster(ClusterProfile.k3s({ nodePortRange: { min: 20000, max: 20999 } }));
    expect(profileNodePortRange(chart, { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
    expect(profileNodePortRange(chart, undefined)).toEqual({ min: 20000, max: 20999 });
    expect(profileNodePortRange(cluster().chart, undefined)).toBe(DEFAULT_NODE_PORT_RANGE);
  });
});
