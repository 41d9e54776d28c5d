import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, synthChart, toYaml } from './util';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';
import { DEFAULT_HOST_APP_REPLICAS, DEFAULT_WORKLOAD_KIND, WorkloadKind } from '../src/host/host-app';
import { DEFAULT_HOST_NETWORK_DNS_POLICY, HostNetworkApp, HostNetworkAppProps } from '../src/host/host-network';
import { NodePortService } from '../src/service/node-port';

const NGINX: HostNetworkAppProps = { image: 'nginx', ports: [{ port: 8080 }] };

/** cdk8s-plus's container hardening, which the constructs keep unless told otherwise. */
const HARDENED = { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true };
/** DEFAULT_HOST_APP_RESOURCES: a per-node agent's share, not cdk8s-plus' whole CPU per pod. */
const HOST_APP_RESOURCES = { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } };

function newApp(props: Partial<HostNetworkAppProps> = {}, chart: Chart = Testing.chart(), id = 'Nginx') {
  const app = new HostNetworkApp(chart, id, { ...NGINX, ...props });
  return { chart, app };
}

describe('HostNetworkApp', () => {
  test('defaults: a hardened DaemonSet on the node network with ClusterFirstWithHostNet and hostPort = containerPort', () => {
    const { chart, app } = newApp();
    expect(DEFAULT_WORKLOAD_KIND).toBe(WorkloadKind.DAEMON_SET);
    expect(DEFAULT_HOST_NETWORK_DNS_POLICY).toBe(kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET);
    expect(app.workloadKind).toBe(WorkloadKind.DAEMON_SET);
    expect(app.workload).toBeInstanceOf(kplus.DaemonSet);
    expect(app.replicas).toBeUndefined();
    expect(app.nodeSelector).toBeUndefined();
    expect(app.dnsPolicy).toBe(kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET);
    expect(app.ports).toEqual([{ port: 8080, name: undefined, protocol: kplus.Protocol.TCP }]);
    expect(app.namespace).toBe('default');
    expect(app.container.name).toBe('main');
    expect(app.patternName).toBe('hostNetwork workload');
    const label = app.workload.matchLabels['cdk8s.io/metadata.addr'];
    expect(app.accessPoints).toStrictEqual([{
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.HOST_NETWORK,
      host: '<node-ip>',
      port: 8080,
      protocol: kplus.Protocol.TCP,
      portName: undefined,
      hostLookupCommand: `kubectl -n default get pods -l cdk8s.io/metadata.addr=${label} -o jsonpath='{.items[*].status.hostIP}'`,
      podSelector: { 'cdk8s.io/metadata.addr': label },
      description: 'The address of any node (the DaemonSet runs one pod on each), port 8080/TCP; the pod shares the node\'s network (container port 8080).',
    }]);
    expect(app.createdNamespace).toBeUndefined();
    expect(app.prerequisites).toEqual([
      'Namespace "default" must allow Pod Security level "privileged" (label pod-security.kubernetes.io/enforce=privileged): the "baseline" and "restricted" levels forbid hostNetwork and hostPort, and pods are refused without saying why in the workload.',
      'The nodes\' firewalls must admit 8080/TCP from the clients.',
    ]);

    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['DaemonSet']);
    expect(find(docs, 'DaemonSet').spec).toStrictEqual({
      minReadySeconds: 0,
      selector: { matchLabels: { 'cdk8s.io/metadata.addr': label } },
      template: {
        metadata: { labels: { 'cdk8s.io/metadata.addr': label } },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            image: 'nginx',
            imagePullPolicy: 'Always',
            name: 'main',
            ports: [{ containerPort: 8080, hostPort: 8080 }],
            resources: HOST_APP_RESOURCES,
            securityContext: HARDENED,
          }],
          dnsPolicy: 'ClusterFirstWithHostNet',
          hostNetwork: true,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
        },
      },
    });
  });

  test('as a Deployment: one replica, one pod per node, no surge', () => {
    const { chart, app } = newApp({ workloadKind: WorkloadKind.DEPLOYMENT });
    expect(DEFAULT_HOST_APP_REPLICAS).toBe(1);
    expect(app.replicas).toBe(1);
    expect(app.workload).toBeInstanceOf(kplus.Deployment);
    const label = app.workload.matchLabels['cdk8s.io/metadata.addr'];
    const spec = find(synthChart(chart), 'Deployment').spec;
    expect(spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        spec: {
          hostNetwork: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          containers: [{ ports: [{ containerPort: 8080, hostPort: 8080 }] }],
        },
      },
    });
    expect(spec.template.spec.affinity).toStrictEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: { 'cdk8s.io/metadata.addr': label } },
          topologyKey: 'kubernetes.io/hostname',
        }],
      },
    });
    expect(app.accessPoints[0].description).toBe(
      'The address of a node that runs one of the pods (a pod may move to another such node when rescheduled), port 8080/TCP; the pod shares the node\'s network (container port 8080).');
  });

  test('reproduces the seed: nginx on the node network, port 80', () => {
    const chart = Testing.chart();
    new HostNetworkApp(chart, 'Nginx', {
      name: 'nginx',
      image: 'nginx',
      ports: [{ port: 80, name: 'http' }],
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
    });
    const ds = find(synthChart(chart), 'DaemonSet', 'nginx');
    expect(ds.spec.template.spec).toMatchObject({
      hostNetwork: true,
      containers: [{
        name: 'nginx',
        image: 'nginx',
        ports: [{ containerPort: 80, hostPort: 80, name: 'http' }],
        securityContext: { runAsNonRoot: false, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false },
      }],
    });
  });

  test('pins generated names', () => {
    const { chart, app } = newApp();
    expect(app.workload.node.id).toBe('Resource');
    expect(app.workload.name).toBe('test-nginx-c8265c1c');
    expect(app.workload.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'test-Nginx-c819a92e' });
    expect(find(synthChart(chart), 'DaemonSet').metadata).toStrictEqual({ name: 'test-nginx-c8265c1c' });
  });

  test('every port is bound on the node as itself; protocol only emitted when not TCP', () => {
    // A DNS server binds 53 as root (or with NET_BIND_SERVICE).
    const { chart, app } = newApp({
      ports: [{ port: 53, name: 'dns', protocol: kplus.Protocol.UDP }, { port: 53, name: 'dns-tcp' }, { port: 9153, name: 'metrics' }],
      securityContext: { ensureNonRoot: false },
    });
    expect(find(synthChart(chart), 'DaemonSet').spec.template.spec.containers[0].ports).toStrictEqual([
      { containerPort: 53, hostPort: 53, name: 'dns', protocol: 'UDP' },
      { containerPort: 53, hostPort: 53, name: 'dns-tcp' },
      { containerPort: 9153, hostPort: 9153, name: 'metrics' },
    ]);
    expect(app.accessPoints.map((a) => [a.port, a.protocol, a.portName])).toEqual([[53, 'UDP', 'dns'], [53, 'TCP', 'dns-tcp'], [9153, 'TCP', 'metrics']]);
  });

  test('nodeSelector pins the pods with a required node affinity', () => {
    const nodeSelector = { 'kubernetes.io/hostname': 'optiplex-2', 'example.com/edge': 'true' };
    const { chart, app } = newApp({ nodeSelector });
    expect(app.nodeSelector).toEqual(nodeSelector);
    expect(find(synthChart(chart), 'DaemonSet').spec.template.spec.affinity).toStrictEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{
            matchExpressions: [
              { key: 'kubernetes.io/hostname', operator: 'In', values: ['optiplex-2'] },
              { key: 'example.com/edge', operator: 'In', values: ['true'] },
            ],
          }],
        },
      },
    });
    expect(app.prerequisites).toContain(
      'At least one node must carry the labels kubernetes.io/hostname=optiplex-2,example.com/edge=true (kubectl label node <node> kubernetes.io/hostname=optiplex-2 example.com/edge=true).');
    expect(app.accessPoints[0].description).toContain('any node labelled kubernetes.io/hostname=optiplex-2,example.com/edge=true');
  });

  test('namespace, resources and dnsPolicy DEFAULT are passed through', () => {
    const { chart, app } = newApp({
      namespace: 'edge',
      dnsPolicy: kplus.DnsPolicy.DEFAULT,
      resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { limit: Size.mebibytes(64) } },
    });
    expect(app.namespace).toBe('edge');
    expect(app.accessPoints[0].hostLookupCommand).toMatch(/^kubectl -n edge get pods -l /);
    const ds = find(synthChart(chart), 'DaemonSet');
    expect(ds.metadata.namespace).toBe('edge');
    expect(ds.spec.template.spec.dnsPolicy).toBe('Default');
    expect(ds.spec.template.spec.containers[0].resources).toStrictEqual({ requests: { cpu: '50m' }, limits: { memory: '64Mi' } });
  });

  test('createNamespace creates the namespace with Pod Security privileged, applied before the workload', () => {
    const { chart, app } = newApp({ namespace: 'edge', createNamespace: true });
    expect(app.createdNamespace?.node.id).toBe('Namespace');
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'DaemonSet']);
    expect(find(docs, 'Namespace', 'edge').metadata.labels).toStrictEqual({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'baseline',
      'pod-security.kubernetes.io/audit': 'baseline',
    });
    expect(app.prerequisites[0]).toMatch(/^Namespace "edge" is created by this app with Pod Security level "privileged" enforced/);
  });

  test('is a pod selector for a Service pattern', () => {
    const { chart, app } = newApp({ namespace: 'edge' });
    new NodePortService(chart, 'Web', { namespace: 'edge', selector: app, ports: [{ port: 8080 }] });
    expect(find(synthChart(chart), 'Service').spec.selector).toStrictEqual(app.workload.matchLabels);
    expect(() => new NodePortService(chart, 'Other', { selector: app, ports: [{ port: 8080 }] }))
      .toThrow(/selects pods in namespace "edge" but the Service is in "default"/);
  });

  test('two apps may share a port on provably disjoint nodes, or on different protocols', () => {
    const chart = Testing.chart();
    new HostNetworkApp(chart, 'A', { ...NGINX, nodeSelector: { 'kubernetes.io/hostname': 'a' } });
    new HostNetworkApp(chart, 'B', { ...NGINX, nodeSelector: { 'kubernetes.io/hostname': 'b' } });
    new HostNetworkApp(chart, 'C', { image: 'coredns/coredns', ports: [{ port: 8080, protocol: kplus.Protocol.UDP }] });
    expect(synthChart(chart).length).toBe(3);
  });

  test('a Deployment in the node\'s network namespace, on the selected nodes, one pod per node, and nothing else (and its whole manifest)', () => {
    const { chart } = newApp({ workloadKind: WorkloadKind.DEPLOYMENT, replicas: 2, nodeSelector: { 'node-role.example.com/edge': 'true' } });
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment']);
    expect(docs[0].spec.replicas).toBe(2);
    const pod = docs[0].spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    // Cluster DNS still first for a pod in the node's network namespace.
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node-role.example.com/edge', operator: 'In', values: ['true'] }] },
    ]);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.containers[0].ports).toEqual([{ containerPort: 8080, hostPort: 8080 }]);
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false });
    expect(toYaml(docs)).toMatchSnapshot();
  });

  describe('fails if', () => {
    test('fails if allowFrom is set: NetworkPolicy does not apply to hostNetwork pods', () => {
      const chart = Testing.chart();
      expect(() => newApp({ allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24')] }, chart)).toThrow(
        '[test/Nginx] HostNetworkApp: allowFrom cannot be enforced on hostNetwork pods: Kubernetes leaves NetworkPolicy undefined for pods on the node\'s network '
        + 'and most CNIs do not apply it; got ["ipBlock 203.0.113.0/24"]. Use a HostPortApp (its pods keep their own network namespace, where the policy applies), '
        + 'or run the app as normal pods behind a NodePortService or MetalLbLoadBalancer with externalTrafficPolicy LOCAL and allowFrom, '
        + 'or restrict the port with a firewall on the nodes.');
      // Pod peers and an empty list are refused the same way: no policy can hold on the node's network.
      expect(() => newApp({ allowFrom: [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })] }, chart, 'Pods'))
        .toThrow(/^\[test\/Pods\] HostNetworkApp: allowFrom cannot be enforced on hostNetwork pods: .*; got \["pods role=client of the policy's namespace"\]\. Use a HostPortApp/);
      expect(() => newApp({ allowFrom: [] }, chart, 'Empty')).toThrow(/^\[test\/Empty\] HostNetworkApp: allowFrom cannot be enforced on hostNetwork pods: .*; got \[\]\./);
      expect(chart.node.tryFindChild('Nginx')!.node.findAll().some((c) => c instanceof kplus.NetworkPolicy)).toBe(false);
    });

    test('fails if a Service pattern puts allowFrom in front of hostNetwork pods', () => {
      const { chart, app } = newApp();
      expect(() => new NodePortService(chart, 'Web', {
        selector: app,
        ports: [{ port: 8080 }],
        allowFrom: [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })],
      })).toThrow('[test/Web] NodePortService: allowFrom cannot protect the selected pods: they run on the node\'s network (hostNetwork), '
        + 'and most CNIs do not apply NetworkPolicy to such pods; got ["pods role=client of the policy\'s namespace"]. Use a HostPortApp');
    });

    test('fails if a port is outside 1-65535 (full message format)', () => {
      expect(() => newApp({ ports: [{ port: 0 }] })).toThrow(
        '[test/Nginx] HostNetworkApp: ports[0].port must be an integer within 1-65535; got 0. Use a valid TCP/UDP port number.');
      expect(() => newApp({ ports: [{ port: 65536 }] })).toThrow('ports[0].port must be an integer within 1-65535; got 65536.');
    });

    test('fails if a port is not an integer', () => {
      expect(() => newApp({ ports: [{ port: 80.5 }] })).toThrow('HostNetworkApp: ports[0].port must be an integer within 1-65535; got 80.5.');
    });

    test('fails if a protocol is not TCP, UDP or SCTP', () => {
      expect(() => newApp({ ports: [{ port: 8080, protocol: 'HTTP' as kplus.Protocol }] }))
        .toThrow('HostNetworkApp: ports[0].protocol must be a kplus.Protocol; got "HTTP". Use kplus.Protocol.TCP, kplus.Protocol.UDP or kplus.Protocol.SCTP.');
    });

    test('fails if ports is empty', () => {
      expect(() => newApp({ ports: [] })).toThrow('[test/Nginx] HostNetworkApp: ports must list at least one port; got [].');
    });

    test('fails if there is more than one port and one has no name', () => {
      expect(() => newApp({ ports: [{ port: 8080, name: 'http' }, { port: 443 }] }))
        .toThrow('HostNetworkApp: ports[1].name must be set when there is more than one port; got undefined.');
    });

    test('fails if a port name is not an IANA service name', () => {
      expect(() => newApp({ ports: [{ port: 8080, name: 'HTTP_80' }] })).toThrow(/HostNetworkApp: ports\[0\]\.name must be an IANA service name .*; got "HTTP_80"\./);
      expect(() => newApp({ ports: [{ port: 8080, name: 'a-very-long-port-name' }] })).toThrow('ports[0].name must be at most 15 characters (IANA service name)');
    });

    test('fails if two ports have the same name', () => {
      expect(() => newApp({ ports: [{ port: 8080, name: 'http' }, { port: 8080, name: 'http' }] }))
        .toThrow('HostNetworkApp: ports[1].name duplicates ports[0].name; got "http".');
    });

    test('fails if two ports have the same number and protocol', () => {
      expect(() => newApp({ ports: [{ port: 8080, name: 'http' }, { port: 8080, name: 'web' }] }))
        .toThrow('HostNetworkApp: ports[1].port duplicates ports[0] (8080/TCP); got 8080.');
    });

    test('fails if replicas is set for a DaemonSet', () => {
      expect(() => newApp({ replicas: 2 })).toThrow(
        '[test/Nginx] HostNetworkApp: replicas only applies to WorkloadKind.DEPLOYMENT (a DaemonSet runs one pod per selected node); got 2. Remove replicas, or set workloadKind: WorkloadKind.DEPLOYMENT.');
    });

    test.each([-1, 1.5])('fails if replicas is %p', (replicas) => {
      expect(() => newApp({ workloadKind: WorkloadKind.DEPLOYMENT, replicas }))
        .toThrow(`HostNetworkApp: replicas must be an integer within 0-2147483647; got ${replicas}.`);
    });

    test('fails if workloadKind is not a WorkloadKind', () => {
      expect(() => newApp({ workloadKind: 'StatefulSet' as WorkloadKind }))
        .toThrow('HostNetworkApp: workloadKind must be a WorkloadKind; got "StatefulSet". Use WorkloadKind.DAEMON_SET or WorkloadKind.DEPLOYMENT.');
    });

    test.each(['', 'nginx latest'])('fails if the image is %p', (image) => {
      expect(() => newApp({ image })).toThrow(
        `[test/Nginx] HostNetworkApp: image must be a non-empty container image reference without whitespace; got ${JSON.stringify(image)}. Pass the image to run`);
    });

    test('fails if a nodeSelector key is not a label key', () => {
      expect(() => newApp({ nodeSelector: { 'bad key': 'x' } }))
        .toThrow(/HostNetworkApp: nodeSelector has a key that must have a name part of alphanumerics.*; got "bad key"\./);
    });

    test('fails if a nodeSelector value is not a label value', () => {
      expect(() => newApp({ nodeSelector: { 'kubernetes.io/hostname': 'node 1' } }))
        .toThrow(/HostNetworkApp: nodeSelector\["kubernetes.io\/hostname"\] must be a label value .*; got "node 1"\./);
    });

    test('fails if the namespace is not a DNS label', () => {
      expect(() => newApp({ namespace: 'Edge_Nodes' })).toThrow(/^\[test\/Nginx\] HostNetworkApp: namespace must be a DNS-1123 label .*; got "Edge_Nodes"\./);
    });

    test('fails if the name is not a DNS label', () => {
      expect(() => newApp({ name: 'nginx.web' })).toThrow(/HostNetworkApp: name must be a DNS-1123 label .*; got "nginx.web"\./);
    });

    test.each([kplus.DnsPolicy.CLUSTER_FIRST, kplus.DnsPolicy.NONE])('fails if dnsPolicy is %p', (dnsPolicy) => {
      expect(() => newApp({ dnsPolicy })).toThrow(
        `HostNetworkApp: dnsPolicy must be CLUSTER_FIRST_WITH_HOST_NET or DEFAULT for a hostNetwork pod; got "${dnsPolicy}".`);
    });

    test.each([undefined, 'kube-system'])('fails if createNamespace is set with namespace %p', (namespace) => {
      expect(() => newApp({ namespace, createNamespace: true })).toThrow(
        `[test/Nginx] HostNetworkApp: namespace needs an explicit namespace of the app's own; got "${namespace ?? 'default'}". Set namespace (e.g. "edge-proxy")`);
    });

    test('fails if two host-level apps of the App bind one port on nodes that may coincide', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      new HostNetworkApp(a, 'Nginx', NGINX);
      expect(() => new HostNetworkApp(b, 'Proxy', { image: 'haproxy', ports: [{ port: 8080 }] })).toThrow(
        '[b/Proxy] HostNetworkApp: ports[0].port is already bound as 8080/TCP by [a/Nginx] (HostNetworkApp) on nodes this app may share; got 8080. Pick another port, or pin the apps to disjoint nodes with nodeSelector (the same label key with different values).');
    });

    test('fails if the node selectors of two apps on one port are not provably disjoint', () => {
      const chart = Testing.chart();
      new HostNetworkApp(chart, 'A', { ...NGINX, nodeSelector: { 'kubernetes.io/hostname': 'a' } });
      expect(() => new HostNetworkApp(chart, 'B', { ...NGINX, nodeSelector: { 'example.com/edge': 'true' } }))
        .toThrow(/^\[test\/B\] HostNetworkApp: ports\[0\]\.port is already bound as 8080\/TCP by \[test\/A\]/);
    });
  });

  test('separate Apps do not share claims', () => {
    newApp();
    const { chart } = newApp();
    expect(synthChart(chart).length).toBe(1);
  });

  describe('object names (App-wide)', () => {
    test('fails if two apps of the App name their DaemonSets alike in one namespace', () => {
      const app = Testing.app();
      new HostNetworkApp(new Chart(app, 'a'), 'Web', { ...NGINX, name: 'nginx' });
      expect(() => new HostNetworkApp(new Chart(app, 'b'), 'Web', { ...NGINX, name: 'nginx', ports: [{ port: 8081 }] })).toThrow(
        '[b/Web] HostNetworkApp: name is already the name of the DaemonSet of [a/Web] in namespace "default"; got "nginx". '
        + 'Give each DaemonSet of a namespace its own name (kubectl apply would let the second overwrite the first): '
        + 'pick another name, or omit it to let cdk8s derive one from the construct path.');
    });

    test('accepts one name for a DaemonSet and a Deployment, or in two namespaces', () => {
      const chart = Testing.chart();
      new HostNetworkApp(chart, 'A', { ...NGINX, name: 'nginx' });
      new HostNetworkApp(chart, 'B', { ...NGINX, name: 'nginx', ports: [{ port: 8081 }], workloadKind: WorkloadKind.DEPLOYMENT });
      new HostNetworkApp(chart, 'C', { ...NGINX, name: 'nginx', ports: [{ port: 8082 }], namespace: 'edge' });
      const docs = synthChart(chart);
      expect(docs.map((d) => `${d.kind} ${d.metadata.namespace ?? 'default'}/${d.metadata.name}`))
        .toEqual(['DaemonSet default/nginx', 'Deployment default/nginx', 'DaemonSet edge/nginx']);
    });

    test('fails if two apps of the App create one namespace', () => {
      const app = Testing.app();
      new HostNetworkApp(new Chart(app, 'a'), 'Web', { ...NGINX, namespace: 'edge', createNamespace: true });
      expect(() => new HostNetworkApp(new Chart(app, 'b'), 'Web', { ...NGINX, ports: [{ port: 8081 }], namespace: 'edge', createNamespace: true })).toThrow(
        '[b/Web] HostNetworkApp: namespace is already the name of the Namespace of [a/Web] (Namespace names are cluster-wide); got "edge". '
        + 'Set createNamespace on one app of namespace "edge" only: it creates the namespace with Pod Security "privileged", '
        + 'and the other apps run in it without createNamespace.');
    });
  });
});
