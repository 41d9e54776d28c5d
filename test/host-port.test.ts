import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, synthChart, toYaml } from './util';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';
import { WorkloadKind } from '../src/host/host-app';
import { HostNetworkApp } from '../src/host/host-network';
import { HostPortApp, HostPortAppProps } from '../src/host/host-port';

const INFLUXDB: HostPortAppProps = { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] };

function newApp(props: Partial<HostPortAppProps> = {}, chart: Chart = Testing.chart(), id = 'Influxdb') {
  const app = new HostPortApp(chart, id, { ...INFLUXDB, ...props });
  return { chart, app };
}

describe('HostPortApp', () => {
  test('defaults: a hardened DaemonSet with the container port bound on every node address', () => {
    const { chart, app } = newApp();
    expect(app.workloadKind).toBe(WorkloadKind.DAEMON_SET);
    expect(app.workload).toBeInstanceOf(kplus.DaemonSet);
    expect(app.replicas).toBeUndefined();
    expect(app.nodeSelector).toBeUndefined();
    expect(app.ports).toEqual([{ containerPort: 8086, hostPort: 8086, hostIp: undefined, name: undefined, protocol: kplus.Protocol.TCP }]);
    expect(app.namespace).toBe('default');
    expect(app.container.name).toBe('main');
    expect(app.patternName).toBe('hostPort workload');
    const label = app.workload.matchLabels['cdk8s.io/metadata.addr'];
    expect(app.accessPoints).toStrictEqual([{
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.HOST_PORT,
      host: '<node-ip>',
      port: 8086,
      protocol: kplus.Protocol.TCP,
      portName: undefined,
      hostLookupCommand: `kubectl -n default get pods -l cdk8s.io/metadata.addr=${label} -o jsonpath='{.items[*].status.hostIP}'`,
      podSelector: { 'cdk8s.io/metadata.addr': label },
      description: 'The address of any node (the DaemonSet runs one pod on each), port 8086/TCP; the node forwards the port to the pod (container port 8086).',
    }]);
    expect(app.createdNamespace).toBeUndefined();
    expect(app.networkPolicy).toBeUndefined();
    expect(app.prerequisites).toEqual([
      expect.stringContaining('Namespace "default" must allow Pod Security level "privileged"'),
      'The nodes\' firewalls must admit 8086/TCP from the clients.',
      expect.stringContaining('The CNI plugin chain must support hostPort'),
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
            image: 'influxdb',
            imagePullPolicy: 'Always',
            name: 'main',
            ports: [{ containerPort: 8086, hostPort: 8086 }],
            // DEFAULT_HOST_APP_RESOURCES
            resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
            securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
          }],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
        },
      },
    });
  });

  test('reproduces the seed: influxdb containerPort 8086 on hostPort 8086', () => {
    const chart = Testing.chart();
    new HostPortApp(chart, 'Influxdb', {
      name: 'influxdb',
      image: 'influxdb',
      ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }],
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
    });
    expect(find(synthChart(chart), 'DaemonSet', 'influxdb').spec.template.spec.containers).toMatchObject([{
      name: 'influxdb',
      image: 'influxdb',
      ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }],
      securityContext: { runAsNonRoot: false, readOnlyRootFilesystem: false },
    }]);
  });

  test('pins generated names', () => {
    const { chart, app } = newApp();
    expect(app.workload.node.id).toBe('Resource');
    expect(app.workload.name).toBe('test-influxdb-c84edbd6');
    expect(app.workload.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'test-Influxdb-c897a750' });
    expect(find(synthChart(chart), 'DaemonSet').metadata).toStrictEqual({ name: 'test-influxdb-c84edbd6' });
  });

  test('as a Deployment: replicas, one pod per node, no surge', () => {
    const { chart, app } = newApp({ workloadKind: WorkloadKind.DEPLOYMENT, replicas: 3 });
    expect(app.replicas).toBe(3);
    expect(app.workload).toBeInstanceOf(kplus.Deployment);
    expect(find(synthChart(chart), 'Deployment').spec).toMatchObject({
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        spec: {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{
                labelSelector: { matchLabels: app.workload.matchLabels },
                topologyKey: 'kubernetes.io/hostname',
              }],
            },
          },
        },
      },
    });
  });

  test('maps a container port to another host port, and binds a hostIp', () => {
    const { chart, app } = newApp({
      ports: [
        { containerPort: 8080, hostPort: 80, hostIp: '192.168.0.154', name: 'http' },
        { containerPort: 9090, hostPort: 9090, hostIp: '127.0.0.1', name: 'admin' },
      ],
    });
    expect(find(synthChart(chart), 'DaemonSet').spec.template.spec.containers[0].ports).toStrictEqual([
      { containerPort: 8080, hostPort: 80, hostIP: '192.168.0.154', name: 'http' },
      { containerPort: 9090, hostPort: 9090, hostIP: '127.0.0.1', name: 'admin' },
    ]);
    expect(app.accessPoints).toMatchObject([
      { origin: AccessOrigin.OUTSIDE_CLUSTER, host: '192.168.0.154', port: 80, portName: 'http', hostLookupCommand: undefined },
      // A loopback address is the same on every node: the lookup lists the nodes that run a pod.
      { origin: AccessOrigin.CLUSTER_NETWORK, host: '127.0.0.1', port: 9090, portName: 'admin', hostLookupCommand: expect.stringMatching(/^kubectl -n default get pods -l cdk8s\.io\/metadata\.addr=test-Influxdb-c[0-9a-f]+ -o wide$/) },
    ]);
    expect(app.accessPoints[1].description).toContain('reachable from processes on that node only');
    expect(app.prerequisites).toContain('The nodes\' firewalls must admit 192.168.0.154:80/TCP from the clients.');
  });

  test('an unspecified hostIp (0.0.0.0) binds every address', () => {
    const { app } = newApp({ ports: [{ containerPort: 8086, hostPort: 8086, hostIp: '0.0.0.0' }] });
    expect(app.accessPoints[0].host).toBe('<node-ip>');
  });

  test('one app may bind one host port on several distinct addresses', () => {
    const { chart } = newApp({
      ports: [
        { containerPort: 8086, hostPort: 8086, hostIp: '10.0.0.1', name: 'a' },
        { containerPort: 8087, hostPort: 8086, hostIp: '10.0.0.2', name: 'b' },
      ],
    });
    expect(synthChart(chart).length).toBe(1);
  });

  test('two apps may share a host port on distinct addresses or on provably disjoint nodes', () => {
    const chart = Testing.chart();
    newApp({ ports: [{ containerPort: 8080, hostPort: 80, hostIp: '10.0.0.1' }] }, chart, 'A');
    newApp({ ports: [{ containerPort: 8080, hostPort: 80, hostIp: '10.0.0.2' }] }, chart, 'B');
    newApp({ nodeSelector: { zone: 'a' } }, chart, 'C');
    newApp({ nodeSelector: { zone: 'b' } }, chart, 'D');
    expect(synthChart(chart).length).toBe(4);
  });

  test('allowFrom admits only the given sources on the container ports; createNamespace comes first', () => {
    const chart = Testing.chart();
    const app = new HostPortApp(chart, 'Influxdb', {
      ...INFLUXDB,
      namespace: 'monitoring',
      createNamespace: true,
      ports: [{ containerPort: 8086, hostPort: 18086 }],
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24')],
    });
    expect(app.networkPolicy).toBeDefined();
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'DaemonSet', 'NetworkPolicy']);
    const policy = find(docs, 'NetworkPolicy');
    expect(policy.metadata.namespace).toBe('monitoring');
    expect(policy.spec).toStrictEqual({
      podSelector: { matchLabels: app.workload.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8086, protocol: 'TCP' }] }],
    });
  });

  test('a Deployment binds each container port on its node, one pod per node, and nothing else (and its whole manifest)', () => {
    const { chart } = newApp({
      workloadKind: WorkloadKind.DEPLOYMENT,
      ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }, { containerPort: 8089, hostPort: 8089, name: 'udp', protocol: kplus.Protocol.UDP }],
    });
    const docs = synthChart(chart);
    // No Service, NetworkPolicy or Namespace: only the workload.
    expect(docs.map((d) => d.kind)).toEqual(['Deployment']);
    const pod = docs[0].spec.template.spec;
    expect(pod.hostNetwork).toBe(false);
    expect(pod.containers[0].ports).toEqual([
      { containerPort: 8086, hostPort: 8086, name: 'http' },
      { containerPort: 8089, hostPort: 8089, name: 'udp', protocol: 'UDP' },
    ]);
    // Two pods on one node would both bind the host ports.
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false });
    expect(toYaml(docs)).toMatchSnapshot();
  });

  describe('fails if', () => {
    test('fails if a containerPort is outside 1-65535 (full message format)', () => {
      expect(() => newApp({ ports: [{ containerPort: 70000, hostPort: 8086 }] })).toThrow(
        '[test/Influxdb] HostPortApp: ports[0].containerPort must be an integer within 1-65535; got 70000. Use a valid TCP/UDP port number.');
    });

    test.each([0, 65536, 8086.5])('fails if a hostPort is %p', (hostPort) => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort }] }))
        .toThrow(`HostPortApp: ports[0].hostPort must be an integer within 1-65535; got ${hostPort}.`);
    });

    test('fails if a protocol is not TCP, UDP or SCTP', () => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086, protocol: 'ICMP' as kplus.Protocol }] }))
        .toThrow('HostPortApp: ports[0].protocol must be a kplus.Protocol; got "ICMP". Use kplus.Protocol.TCP, kplus.Protocol.UDP or kplus.Protocol.SCTP.');
    });

    test.each(['localhost', '10.0.0.256', '10.0.0.0/24'])('fails if hostIp is %p', (hostIp) => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086, hostIp }] })).toThrow(
        `[test/Influxdb] HostPortApp: ports[0].hostIp must be an IPv4 or IPv6 address; got "${hostIp}". Use an address of the node`);
    });

    test('fails if ports is empty', () => {
      expect(() => newApp({ ports: [] })).toThrow(
        '[test/Influxdb] HostPortApp: ports must list at least one port mapping; got []. Add the container port and the node port to bind it to, e.g. [{ containerPort: 8086, hostPort: 8086 }].');
    });

    test('fails if there is more than one port and one has no name', () => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086 }, { containerPort: 8088, hostPort: 8088, name: 'rpc' }] }))
        .toThrow('HostPortApp: ports[0].name must be set when there is more than one port; got undefined.');
    });

    test('fails if a port name is not an IANA service name', () => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086, name: '8086' }] }))
        .toThrow('HostPortApp: ports[0].name must contain at least one letter (IANA service name); got "8086".');
    });

    test('fails if two ports have the same name', () => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }, { containerPort: 8088, hostPort: 8088, name: 'http' }] }))
        .toThrow('HostPortApp: ports[1].name duplicates ports[0].name; got "http".');
    });

    test('fails if two ports have the same containerPort and protocol', () => {
      expect(() => newApp({ ports: [{ containerPort: 8086, hostPort: 8086, name: 'a' }, { containerPort: 8086, hostPort: 18086, name: 'b' }] }))
        .toThrow('HostPortApp: ports[1].containerPort duplicates ports[0] (8086/TCP); got 8086.');
    });

    test('fails if two ports bind the same hostPort, protocol and hostIp', () => {
      expect(() => newApp({
        ports: [{ containerPort: 8086, hostPort: 80, hostIp: '10.0.0.1', name: 'a' }, { containerPort: 8087, hostPort: 80, hostIp: '10.0.0.1', name: 'b' }],
      })).toThrow(
        '[test/Influxdb] HostPortApp: ports[1].hostPort binds 10.0.0.1:80/TCP on the node, which overlaps ports[0].hostPort (10.0.0.1:80/TCP); got 80. Bind each host port and protocol once per address; an unset hostIp binds every address of the node.');
    });

    test('fails if an unset hostIp overlaps a hostIp on the same hostPort', () => {
      expect(() => newApp({
        ports: [{ containerPort: 8086, hostPort: 80, hostIp: '::1', name: 'a' }, { containerPort: 8087, hostPort: 80, name: 'b' }],
      })).toThrow('HostPortApp: ports[1].hostPort binds 80/TCP on the node, which overlaps ports[0].hostPort ([::1]:80/TCP); got 80.');
    });

    test('fails if replicas is set for a DaemonSet', () => {
      expect(() => newApp({ replicas: 1 })).toThrow('HostPortApp: replicas only applies to WorkloadKind.DEPLOYMENT (a DaemonSet runs one pod per selected node); got 1.');
    });

    test('fails if replicas is negative', () => {
      expect(() => newApp({ workloadKind: WorkloadKind.DEPLOYMENT, replicas: -2 })).toThrow('HostPortApp: replicas must be an integer within 0-2147483647; got -2.');
    });

    test('fails if the image is empty', () => {
      expect(() => newApp({ image: '' })).toThrow('HostPortApp: image must be a non-empty container image reference without whitespace; got "".');
    });

    test('fails if a nodeSelector key or value is not a label key or value', () => {
      expect(() => newApp({ nodeSelector: { 'a/b/c': 'x' } })).toThrow('HostPortApp: nodeSelector has a key that must be a qualified name with at most one \'/\'; got "a/b/c".');
      expect(() => newApp({ nodeSelector: { zone: '-a' } })).toThrow(/HostPortApp: nodeSelector\["zone"\] must be a label value .*; got "-a"\./);
    });

    test('fails if the namespace is not a DNS label', () => {
      expect(() => newApp({ namespace: 'monitoring.' })).toThrow(/^\[test\/Influxdb\] HostPortApp: namespace must be a DNS-1123 label .*; got "monitoring."\./);
    });

    test('fails if allowFrom is empty', () => {
      expect(() => newApp({ allowFrom: [] })).toThrow(/^\[test\/Influxdb\] HostPortApp: allowFrom must list at least one peer .*; got \[\]\./);
    });

    test('fails if createNamespace is set without a namespace of its own', () => {
      expect(() => newApp({ namespace: 'default', createNamespace: true }))
        .toThrow('[test/Influxdb] HostPortApp: namespace needs an explicit namespace of the app\'s own; got "default".');
    });

    test('fails if a HostNetworkApp of the App already binds the port on nodes that may coincide', () => {
      const app = Testing.app();
      const a = new Chart(app, 'a');
      const b = new Chart(app, 'b');
      new HostNetworkApp(a, 'Nginx', { image: 'nginx', ports: [{ port: 80 }], nodeSelector: { zone: 'a' }, securityContext: { ensureNonRoot: false } });
      expect(() => new HostPortApp(b, 'Web', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 80, hostIp: '10.0.0.1' }], nodeSelector: { rack: '1' } })).toThrow(
        '[b/Web] HostPortApp: ports[0].hostPort is already bound as 80/TCP by [a/Nginx] (HostNetworkApp) on nodes this app may share; got 80. Pick another port, or pin the apps to disjoint nodes with nodeSelector (the same label key with different values).');
    });

    test('fails if another HostPortApp binds the same hostIp and port', () => {
      const chart = Testing.chart();
      newApp({ ports: [{ containerPort: 8080, hostPort: 80, hostIp: 'fd00::1' }] }, chart, 'A');
      expect(() => newApp({ ports: [{ containerPort: 8080, hostPort: 80, hostIp: 'fd00:0:0::1' }] }, chart, 'B'))
        .toThrow('[test/B] HostPortApp: ports[0].hostPort is already bound as [fd00::1]:80/TCP by [test/A] (HostPortApp)');
    });

    test('fails if a HostNetworkApp of the App already has a DaemonSet of that name in the namespace', () => {
      const chart = Testing.chart();
      new HostNetworkApp(chart, 'Nginx', { image: 'nginx', ports: [{ port: 8080 }], name: 'influxdb' });
      expect(() => newApp({ name: 'influxdb' }, chart, 'Web')).toThrow(
        '[test/Web] HostPortApp: name is already the name of the DaemonSet of [test/Nginx] in namespace "default"; got "influxdb". Give each DaemonSet');
    });

    test('fails if two apps of the App name their Deployments alike in one namespace', () => {
      const app = Testing.app();
      const deployment = { name: 'influxdb', namespace: 'monitoring', workloadKind: WorkloadKind.DEPLOYMENT };
      newApp(deployment, new Chart(app, 'a'), 'Web');
      expect(() => newApp({ ...deployment, ports: [{ containerPort: 8086, hostPort: 8087 }] }, new Chart(app, 'b'), 'Web'))
        .toThrow(/^\[b\/Web\] HostPortApp: name is already the name of the Deployment of \[a\/Web\] in namespace "monitoring"; got "influxdb"\. /);
    });

    test('fails if two apps of the App create one namespace', () => {
      const chart = Testing.chart();
      newApp({ namespace: 'monitoring', createNamespace: true }, chart, 'A');
      expect(() => newApp({ namespace: 'monitoring', createNamespace: true, ports: [{ containerPort: 8086, hostPort: 8087 }] }, chart, 'B'))
        .toThrow(/^\[test\/B\] HostPortApp: namespace is already the name of the Namespace of \[test\/A\] \(Namespace names are cluster-wide\); got "monitoring"\. Set createNamespace on one app/);
    });
  });
});
