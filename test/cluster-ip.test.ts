import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, synthChart } from './util';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';
import { ClusterIpService, ClusterIpServiceProps } from '../src/service/cluster-ip';

function web(props: Partial<ClusterIpServiceProps> = {}) {
  const chart = Testing.chart();
  const pods = kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } });
  const svc = new ClusterIpService(chart, 'Web', { selector: pods, ports: [{ port: 80 }], ...props });
  return { chart, pods, svc };
}

describe('ClusterIpService', () => {
  test('defaults: ClusterIP type, allocated virtual IP, TCP, targetPort = port, reachable inside the cluster only', () => {
    const { chart, svc } = web();
    expect(svc.clusterIP).toBeUndefined();
    expect(svc.namespace).toBe('default');
    expect(svc.serviceNamespace).toBe('default');
    expect(svc.servicePorts).toEqual([{ port: 80, name: undefined, protocol: kplus.Protocol.TCP }]);
    expect(svc.prerequisites).toEqual([]);
    expect(svc.patternName).toBe('ClusterIP Service');
    const dns = `${svc.serviceName}.default.svc.cluster.local`;
    expect(svc.accessPoints).toStrictEqual([{
      origin: AccessOrigin.CLUSTER_NETWORK,
      method: AccessMethod.CLUSTER_IP,
      host: dns,
      port: 80,
      protocol: kplus.Protocol.TCP,
      portName: undefined,
      scheme: undefined,
      backend: `Service default/${svc.serviceName}`,
      serviceName: svc.serviceName,
      description: `The Service's virtual IP (DNS ${dns}), port 80/TCP, load-balanced to the pods' port 80; inside the cluster only.`,
    }]);
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata).toStrictEqual({ name: svc.serviceName });
    expect(service.spec).toStrictEqual({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80 }] });
  });

  test('emits a fixed clusterIP, names, protocols and target ports', () => {
    const { chart, svc } = web({
      name: 'web',
      namespace: 'shop',
      clusterIP: '10.96.0.80',
      ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }],
    });
    expect(svc.clusterIP).toBe('10.96.0.80');
    expect(svc.serviceName).toBe('web');
    const service = find(synthChart(chart), 'Service', 'web');
    expect(service.metadata).toStrictEqual({ name: 'web', namespace: 'shop' });
    expect(service.spec).toStrictEqual({
      type: 'ClusterIP',
      clusterIP: '10.96.0.80',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }],
    });
    expect(svc.accessPoints[0].host).toBe('web.shop.svc.cluster.local');
  });

  test('pins generated names', () => {
    const { svc } = web();
    expect(svc.serviceName).toBe('test-web-c854d28f');
    expect(svc.service.node.id).toBe('Resource');
  });

  test('selects a namespaced cdk8s-plus Deployment in its own namespace', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'Api', {
      metadata: { namespace: 'shop' },
      containers: [{ image: 'nginx', portNumber: 80 }],
    });
    new ClusterIpService(chart, 'Svc', { namespace: 'shop', selector: deployment, ports: [{ port: 80 }] });
    expect(find(synthChart(chart), 'Service').spec.selector).toStrictEqual(deployment.matchLabels);
    expect(() => new ClusterIpService(chart, 'Other', { namespace: 'web', selector: deployment, ports: [{ port: 80 }] })).toThrow(
      '[test/Other] ClusterIpService: selector selects pods in namespace "shop" but the Service is in "web"; got "test/Api". A Service only selects pods of its own namespace: create it in the namespace of the workload.');
  });

  describe('fails if', () => {
    test.each(['None', '10.96.0', 'fd00::/64', ''])('fails if clusterIP is %p', (clusterIP) => {
      expect(() => web({ clusterIP })).toThrow(
        `[test/Web] ClusterIpService: clusterIP must be an IPv4 or IPv6 address; got ${JSON.stringify(clusterIP)}. Use an address from the cluster's service CIDR, or omit clusterIP to let Kubernetes allocate one (use HeadlessService for "None").`);
    });

    test('fails if a port sets a nodePort', () => {
      expect(() => web({ ports: [{ port: 80, nodePort: 30080 }] })).toThrow(
        '[test/Web] ClusterIpService: ports[0].nodePort is only allowed on NodePort and LoadBalancer Services; got 30080. Remove nodePort, or use NodePortService / MetalLbLoadBalancer.');
    });

    test('fails if ports is empty', () => {
      expect(() => web({ ports: [] })).toThrow('[test/Web] ClusterIpService: ports must list at least one port; got [].');
    });

    test.each([0, 65536, 80.5])('fails if a port is %p', (port) => {
      expect(() => web({ ports: [{ port }] })).toThrow(`ClusterIpService: ports[0].port must be an integer within 1-65535; got ${port}.`);
    });

    test('fails if a targetPort is outside 1-65535', () => {
      expect(() => web({ ports: [{ port: 80, targetPort: 0 }] })).toThrow('ClusterIpService: ports[0].targetPort must be an integer within 1-65535; got 0.');
    });

    test('fails if a protocol is not TCP, UDP or SCTP', () => {
      expect(() => web({ ports: [{ port: 80, protocol: 'tcp' as kplus.Protocol }] })).toThrow('ClusterIpService: ports[0].protocol must be a kplus.Protocol; got "tcp". Use kplus.Protocol.TCP, kplus.Protocol.UDP or kplus.Protocol.SCTP.');
    });

    test('fails if there is more than one port and one has no name', () => {
      expect(() => web({ ports: [{ port: 80 }, { port: 443, name: 'https' }] }))
        .toThrow('ClusterIpService: ports[0].name must be set when there is more than one port; got undefined.');
    });

    test('fails if a port name is not an IANA service name', () => {
      expect(() => web({ ports: [{ port: 80, name: 'web--http' }] })).toThrow('ClusterIpService: ports[0].name must not contain \'--\' (IANA service name); got "web--http".');
    });

    test('fails if two ports have the same name', () => {
      expect(() => web({ ports: [{ port: 80, name: 'web' }, { port: 81, name: 'web' }] })).toThrow('ClusterIpService: ports[1].name duplicates ports[0].name; got "web".');
    });

    test('fails if two ports have the same number and protocol', () => {
      expect(() => web({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b', targetPort: 8080 }] }))
        .toThrow('ClusterIpService: ports[1].port duplicates ports[0] (80/TCP); got 80.');
    });

    test('fails if the name is not a DNS-1035 label', () => {
      expect(() => web({ name: '1web' })).toThrow(/ClusterIpService: name must be a DNS-1035 label .*; got "1web"\. Service names start with a letter/);
    });

    test('fails if two Services of the App take the same clusterIP', () => {
      const { chart, pods } = web({ clusterIP: '10.96.0.80' });
      expect(() => new ClusterIpService(chart, 'Other', { selector: pods, ports: [{ port: 80 }], clusterIP: '10.96.0.80' })).toThrow(
        '[test/Other] ClusterIpService: clusterIP is already the cluster IP of [test/Web]; got "10.96.0.80". Give each Service its own address, or omit clusterIP to let Kubernetes allocate one.');
    });

    test('fails if two Services of one namespace have the same name', () => {
      const { chart, pods } = web({ name: 'web' });
      expect(() => new ClusterIpService(chart, 'Other', { name: 'web', selector: pods, ports: [{ port: 80 }] }))
        .toThrow('[test/Other] ClusterIpService: name is already the name of the Service of [test/Web] in namespace "default"; got "web".');
    });

    test('fails if the selector selects no labels', () => {
      const chart = Testing.chart();
      expect(() => new ClusterIpService(chart, 'Web', { selector: kplus.Pods.all(chart, 'All'), ports: [{ port: 80 }] }))
        .toThrow('ClusterIpService: selector selects no labels, so the Service would select every pod or none; got "test/All".');
    });
  });
});

describe('ServicePortSpec.appProtocol', () => {
  test('is emitted and gives the access guide an HTTP scheme', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    const svc = new ClusterIpService(chart, 'Web', { selector: pods, ports: [{ port: 80, appProtocol: 'http' }] });
    expect(find(synthChart(chart), 'Service').spec.ports).toStrictEqual([{ port: 80, appProtocol: 'http' }]);
    expect(svc.accessPoints[0].scheme).toBe('http');
  });

  test('accepts domain-prefixed protocols', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    const svc = new ClusterIpService(chart, 'Web', { selector: pods, ports: [{ port: 80, appProtocol: 'kubernetes.io/h2c' }] });
    expect(find(synthChart(chart), 'Service').spec.ports).toStrictEqual([{ port: 80, appProtocol: 'kubernetes.io/h2c' }]);
    expect(svc.accessPoints[0].scheme).toBeUndefined();
  });

  test('fails if appProtocol is neither an IANA service name nor a prefixed name', () => {
    const chart = Testing.chart();
    const pods = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    expect(() => new ClusterIpService(chart, 'Web', { selector: pods, ports: [{ port: 80, appProtocol: 'HTTP/2' }] })).toThrow(
      '[test/Web] ClusterIpService: ports[0].appProtocol must be an IANA service name or a domain-prefixed name; got "HTTP/2". Use e.g. "http", "https" or "kubernetes.io/h2c".');
  });
});
