import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AccessMethod, AccessOrigin, DEFAULT_NODE_PORT_RANGE, ExternalTrafficPolicy, NodePortService } from '../src';
import { find, synthChart } from './util';

function influxdb(chart = Testing.chart()) {
  const pods = kplus.Pods.select(chart, 'InfluxdbPods', { labels: { name: 'influxdb' } });
  return { chart, pods };
}

describe('NodePortService', () => {
  test('defaults: NodePort type, Kubernetes-allocated nodePort, default range, no traffic policy', () => {
    const { chart, pods } = influxdb();
    const svc = new NodePortService(chart, 'Influxdb', { selector: pods, ports: [{ port: 8086 }] });
    expect(svc.nodePortRange).toEqual(DEFAULT_NODE_PORT_RANGE);
    expect(DEFAULT_NODE_PORT_RANGE).toEqual({ min: 30000, max: 32767 });
    expect(svc.externalTrafficPolicy).toBeUndefined();
    expect(svc.namespace).toBe('default');
    expect(find(synthChart(chart), 'Service').spec).toStrictEqual({
      type: 'NodePort',
      selector: { name: 'influxdb' },
      ports: [{ port: 8086 }],
    });
    expect(svc.accessPoints).toEqual([expect.objectContaining({
      origin: AccessOrigin.OUTSIDE_CLUSTER,
      method: AccessMethod.NODE_PORT,
      host: '<node-ip>',
      port: undefined,
      portLookupCommand: `kubectl -n default get service ${svc.serviceName} -o jsonpath='{.spec.ports[0].nodePort}'`,
    })]);
  });

  test('the Service keeps only the port fields that are set, and one IntOrString per target port number', () => {
    // What each Service keeps until synth, where cdk8s resolves every key (an undefined one too).
    const { chart, pods } = influxdb();
    const l1Ports = (svc: NodePortService) => (svc.service as unknown as { props: { spec: kplus.k8s.ServiceSpec } }).props.spec.ports!;
    const a = new NodePortService(chart, 'A', { selector: pods, ports: [{ port: 80 }] });
    const b = new NodePortService(chart, 'B', {
      selector: pods, ports: [{ port: 81, targetPort: 8086, name: 'web', nodePort: 30081 }, { port: 8089, name: 'udp', protocol: kplus.Protocol.UDP }],
    });
    const c = new NodePortService(chart, 'C', { selector: pods, ports: [{ port: 82, targetPort: 8086, appProtocol: 'http' }] });
    expect(Object.keys(l1Ports(a)[0])).toStrictEqual(['port']);
    expect(Object.keys(l1Ports(b)[0]).sort()).toStrictEqual(['name', 'nodePort', 'port', 'targetPort']);
    expect(Object.keys(l1Ports(b)[1]).sort()).toStrictEqual(['name', 'port', 'protocol']);
    expect(Object.keys(l1Ports(c)[0]).sort()).toStrictEqual(['appProtocol', 'port', 'targetPort']);
    expect(l1Ports(c)[0].targetPort).toBe(l1Ports(b)[0].targetPort);
    const services = synthChart(chart).filter((o) => o.kind === 'Service');
    expect(services.map((o) => o.spec.ports)).toStrictEqual([
      [{ port: 80 }],
      [{ name: 'web', nodePort: 30081, port: 81, targetPort: 8086 }, { name: 'udp', port: 8089, protocol: 'UDP' }],
      [{ appProtocol: 'http', port: 82, targetPort: 8086 }],
    ]);
  });

  test('servicePorts (made on first read, then kept) and no prerequisites', () => {
    const { chart, pods } = influxdb();
    const svc = new NodePortService(chart, 'Influxdb', {
      selector: pods, ports: [{ port: 8086, name: 'http' }, { port: 8089, name: 'udp', protocol: kplus.Protocol.UDP }],
    });
    expect(svc.servicePorts).toStrictEqual([
      { port: 8086, name: 'http', protocol: kplus.Protocol.TCP },
      { port: 8089, name: 'udp', protocol: kplus.Protocol.UDP },
    ]);
    expect(svc.servicePorts).toBe(svc.servicePorts);
    expect(svc.prerequisites).toStrictEqual([]);
  });

  test('reproduces the seed: influxdb on nodePort 30000', () => {
    const { chart, pods } = influxdb();
    new NodePortService(chart, 'Influxdb', {
      name: 'influxdb-service',
      selector: pods,
      ports: [{ port: 8086, nodePort: 30000 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
    });
    expect(find(synthChart(chart), 'Service', 'influxdb-service').spec).toStrictEqual({
      type: 'NodePort',
      selector: { name: 'influxdb' },
      ports: [{ port: 8086, nodePort: 30000 }],
      externalTrafficPolicy: 'Local',
    });
  });

  test('pins generated names', () => {
    const { chart, pods } = influxdb();
    const svc = new NodePortService(chart, 'Influxdb', { selector: pods, ports: [{ port: 8086 }] });
    expect(svc.serviceName).toBe('test-influxdb-c897a750');
    expect(svc.service.node.id).toBe('Resource');
  });

  test('fails if nodePort is outside the range', () => {
    const { chart, pods } = influxdb();
    expect(() => new NodePortService(chart, 'Web', { selector: pods, ports: [{ port: 80, nodePort: 8080 }] })).toThrow(
      '[test/Web] NodePortService: ports[0].nodePort must be an integer within 30000-32767; got 8080. Omit nodePort to let Kubernetes allocate one, or pass nodePortRange for a cluster with a custom range.');
  });

  test('accepts a custom nodePortRange', () => {
    const { chart, pods } = influxdb();
    new NodePortService(chart, 'Web', { selector: pods, ports: [{ port: 80, nodePort: 8080 }], nodePortRange: { min: 8000, max: 9000 } });
    expect(find(synthChart(chart), 'Service').spec.ports).toEqual([{ port: 80, nodePort: 8080 }]);
  });

  test('fails if two Services of the App use one nodePort', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new NodePortService(a, 'Web', { selector: influxdb(a).pods, ports: [{ port: 80, nodePort: 30080 }] });
    expect(() => new NodePortService(b, 'Web', { selector: influxdb(b).pods, ports: [{ port: 81, nodePort: 30080 }] }))
      .toThrow(/^\[b\/Web\] NodePortService: ports\[0\]\.nodePort is already used by \[a\/Web\] .*; got 30080\. /);
  });
});

describe('NodePortService allowFrom', () => {
  test('emits a NetworkPolicy admitting only the given sources on the target ports', () => {
    const { chart, pods } = influxdb();
    const svc = new NodePortService(chart, 'Influxdb', {
      selector: pods,
      ports: [{ port: 8086, targetPort: 8087, nodePort: 30000 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24', ['203.0.113.128/25'])],
    });
    expect(svc.networkPolicy).toBeDefined();
    const policy = find(synthChart(chart), 'NetworkPolicy');
    expect(policy.spec).toStrictEqual({
      podSelector: { matchLabels: { name: 'influxdb' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ port: 8087, protocol: 'TCP' }] }],
    });
  });

  test('without allowFrom, no NetworkPolicy is emitted', () => {
    const { chart, pods } = influxdb();
    const svc = new NodePortService(chart, 'Influxdb', { selector: pods, ports: [{ port: 8086 }] });
    expect(svc.networkPolicy).toBeUndefined();
    expect(synthChart(chart).map((d) => d.kind)).toEqual(['Service']);
  });

  test('fails if an ipBlock is used while externalTrafficPolicy rewrites the client IP', () => {
    const { chart, pods } = influxdb();
    expect(() => new NodePortService(chart, 'Web', {
      selector: pods,
      ports: [{ port: 80 }],
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '203.0.113.0/24')],
    })).toThrow('[test/Web] NodePortService: allowFrom[0] is an ipBlock, but with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s; got "Cluster (default)". Set externalTrafficPolicy: ExternalTrafficPolicy.LOCAL');
  });

  test('fails if allowFrom is empty or an ipBlock is not a network CIDR', () => {
    const { chart, pods } = influxdb();
    expect(() => new NodePortService(chart, 'A', { selector: pods, ports: [{ port: 80 }], allowFrom: [] }))
      .toThrow(/^\[test\/A\] NodePortService: allowFrom must list at least one peer .*; got \[\]\./);
    expect(() => new NodePortService(chart, 'B', {
      selector: pods,
      ports: [{ port: 80 }],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allowFrom: [kplus.NetworkPolicyIpBlock.ipv4(chart, 'Bad', '203.0.113.1/24')],
    })).toThrow(/^\[test\/B\] NodePortService: allowFrom\[0\] has host bits set beyond the prefix length; got "203.0.113.1\/24"\. Use the network address "203.0.113.0\/24"\./);
  });
});
