import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, synthChart } from './util';
import { AccessMethod, AccessOrigin } from '../src/core/exposure';
import { HeadlessService, HeadlessServiceProps } from '../src/service/headless';

function peers(props: Partial<HeadlessServiceProps> = {}) {
  const chart = Testing.chart();
  const pods = kplus.Pods.select(chart, 'PeerPods', { labels: { app: 'etcd' } });
  const svc = new HeadlessService(chart, 'Peers', { selector: pods, ...props });
  return { chart, pods, svc };
}

describe('HeadlessService', () => {
  test('defaults: clusterIP None, no ports, not-ready pods unpublished, DNS A records of the pods', () => {
    const { chart, svc } = peers();
    expect(svc.publishNotReadyAddresses).toBe(false);
    expect(svc.servicePorts).toEqual([]);
    expect(svc.namespace).toBe('default');
    expect(svc.prerequisites).toEqual([]);
    expect(svc.patternName).toBe('Headless Service');
    const dns = `${svc.serviceName}.default.svc.cluster.local`;
    expect(svc.accessPoints).toStrictEqual([{
      origin: AccessOrigin.CLUSTER_NETWORK,
      method: AccessMethod.POD_IP,
      host: dns,
      protocol: kplus.Protocol.TCP,
      serviceName: svc.serviceName,
      description: `DNS ${dns} resolves to each ready pod's own IP; inside the cluster only.`,
    }]);
    const service = find(synthChart(chart), 'Service');
    expect(service.metadata).toStrictEqual({ name: svc.serviceName });
    expect(service.spec).toStrictEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'etcd' } });
  });

  test('emits ports and publishNotReadyAddresses; access points give the pods\' ports', () => {
    const { chart, svc } = peers({
      name: 'etcd',
      namespace: 'db',
      publishNotReadyAddresses: true,
      ports: [{ port: 2379, name: 'client' }, { port: 2380, targetPort: 12380, name: 'peer' }],
    });
    expect(find(synthChart(chart), 'Service', 'etcd').spec).toStrictEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { app: 'etcd' },
      ports: [{ name: 'client', port: 2379 }, { name: 'peer', port: 2380, targetPort: 12380 }],
    });
    expect(svc.accessPoints.map((a) => [a.host, a.port, a.portName])).toEqual([
      ['etcd.db.svc.cluster.local', 2379, 'client'],
      ['etcd.db.svc.cluster.local', 12380, 'peer'],
    ]);
    expect(svc.accessPoints[0].description).toContain('(not-ready pods included)');
  });

  test('pins generated names', () => {
    const { svc } = peers();
    expect(svc.serviceName).toBe('test-peers-c8d74c13');
    expect(svc.service.node.id).toBe('Resource');
  });

  describe('fails if', () => {
    test('fails if a port sets a nodePort (full message format)', () => {
      expect(() => peers({ ports: [{ port: 2379, nodePort: 30379 }] })).toThrow(
        '[test/Peers] HeadlessService: ports[0].nodePort is only allowed on NodePort and LoadBalancer Services; got 30379. Remove nodePort, or use NodePortService / MetalLbLoadBalancer.');
    });

    test('fails if a port is outside 1-65535', () => {
      expect(() => peers({ ports: [{ port: 0 }] })).toThrow('HeadlessService: ports[0].port must be an integer within 1-65535; got 0.');
    });

    test('fails if there is more than one port and one has no name', () => {
      expect(() => peers({ ports: [{ port: 2379, name: 'client' }, { port: 2380 }] }))
        .toThrow('HeadlessService: ports[1].name must be set when there is more than one port; got undefined.');
    });

    test('fails if a port name is not an IANA service name', () => {
      expect(() => peers({ ports: [{ port: 2379, name: '-client' }] })).toThrow(/HeadlessService: ports\[0\]\.name must be an IANA service name .*; got "-client"\./);
    });

    test('fails if two ports have the same name', () => {
      expect(() => peers({ ports: [{ port: 2379, name: 'etcd' }, { port: 2380, name: 'etcd' }] }))
        .toThrow('HeadlessService: ports[1].name duplicates ports[0].name; got "etcd".');
    });

    test('fails if two ports have the same number and protocol', () => {
      expect(() => peers({ ports: [{ port: 2379, name: 'a' }, { port: 2379, name: 'b' }] }))
        .toThrow('HeadlessService: ports[1].port duplicates ports[0] (2379/TCP); got 2379.');
    });

    test('fails if the name is not a DNS-1035 label', () => {
      expect(() => peers({ name: 'etcd_peers' })).toThrow(/HeadlessService: name must be a DNS-1035 label .*; got "etcd_peers"\./);
    });

    test('fails if the selector uses set-based expressions', () => {
      const chart = Testing.chart();
      const pods = kplus.Pods.select(chart, 'Pods', { expressions: [kplus.LabelExpression.in('app', ['a', 'b'])] });
      expect(() => new HeadlessService(chart, 'Peers', { selector: pods })).toThrow(
        /^\[test\/Peers\] HeadlessService: selector uses set-based label expressions, which a Service selector cannot express; got /);
    });
  });
});

test('HeadlessService fails if publishNotReadyAddresses is not a boolean (a JavaScript caller)', () => {
  const chart = Testing.chart();
  const pods = kplus.Pods.select(chart, 'PeerPods', { labels: { app: 'peers' } });
  expect(() => new HeadlessService(chart, 'Peers', { selector: pods, publishNotReadyAddresses: 'true' as any })).toThrow(
    '[test/Peers] HeadlessService: publishNotReadyAddresses must be a boolean; got "true". Pass true or false, or omit publishNotReadyAddresses.');
});
