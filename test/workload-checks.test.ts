import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { synthChart, validateTree } from './util';
import { WorkloadKind } from '../src/host/host-app';
import { HostNetworkApp } from '../src/host/host-network';
import { HostPortApp } from '../src/host/host-port';
import { ClusterIpService } from '../src/service/cluster-ip';
import { NodePortService } from '../src/service/node-port';

describe('workloads that cannot do what the Service or guide says', () => {
  describe('a Service whose targetPort no container declares', () => {
    test('fails if no container of a kplus.Deployment declares the targetPort', () => {
      const chart = Testing.chart();
      const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
      new NodePortService(chart, 'Svc', { selector: web, ports: [{ port: 80, targetPort: 8080 }] });
      expect(() => validateTree(chart)).toThrow(
        /\[test\/Svc\] NodePortService: ports\[0\]\.targetPort is 8080\/TCP, which no container of \[test\/Web\] declares \(they declare 80\/TCP\), so the Service would send its traffic to a port nothing listens on; got 8080\. Set targetPort/);
    });

    test('fails if the protocol differs, and for a port added to the container after the Service', () => {
      const chart = Testing.chart();
      const dns = new kplus.Deployment(chart, 'Dns', { containers: [{ image: 'coredns', ports: [{ number: 53, protocol: kplus.Protocol.UDP }] }] });
      new ClusterIpService(chart, 'Svc', { selector: dns, ports: [{ port: 53, name: 'dns-tcp' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }] });
      expect(() => validateTree(chart)).toThrow(/ports\[0\]\.targetPort is 53\/TCP, which no container of \[test\/Dns\] declares \(they declare 53\/UDP\)/);
      dns.containers[0].addPort({ number: 53 });
      expect(() => synthChart(chart)).not.toThrow();
    });

    test('fails if the Service fronts a host app on another port', () => {
      const chart = Testing.chart();
      const proxy = new HostNetworkApp(chart, 'Proxy', { image: 'proxy', ports: [{ port: 8443 }] });
      new ClusterIpService(chart, 'Svc', { selector: proxy, ports: [{ port: 443 }] });
      expect(() => validateTree(chart)).toThrow(/ports\[0\]\.targetPort is 443\/TCP, which no container of \[test\/Proxy\] declares \(they declare 8443\/TCP\)/);
    });

    test('a workload that declares no ports, or a bare label selector, is not checked', () => {
      const chart = Testing.chart();
      const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
      new NodePortService(chart, 'Svc', { selector: web, ports: [{ port: 80, targetPort: 8080 }] });
      new ClusterIpService(chart, 'Other', { selector: kplus.Pods.select(chart, 'Pods', { labels: { app: 'x' } }), ports: [{ port: 80 }] });
      expect(() => synthChart(chart)).not.toThrow();
    });
  });

  describe('a port below 1024 the container can never bind', () => {
    test('fails if a hostNetwork app serves on port 80 as non-root (cdk8s-plus\' default) without NET_BIND_SERVICE', () => {
      expect(() => new HostNetworkApp(Testing.chart(), 'Proxy', { image: 'nginx', ports: [{ port: 80 }] })).toThrow(
        '[test/Proxy] HostNetworkApp: ports[0].port is below 1024, but the container runs as non-root (runAsNonRoot) without the NET_BIND_SERVICE capability, so its process can never bind it; got 80. Serve on a port of 1024 or above');
    });

    test('fails if a host-port app\'s container port is below 1024 for a non-root user; the fix keeps the low host port', () => {
      expect(() => new HostPortApp(Testing.chart(), 'Web', {
        image: 'nginx', ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { ensureNonRoot: false, user: 101 },
      })).toThrow(/^\[test\/Web\] HostPortApp: ports\[0\]\.containerPort is below 1024, but the container runs as user 101 without the NET_BIND_SERVICE capability, .*got 80\. Let the container listen on a port of 1024 or above and keep the low hostPort \(e\.g\. containerPort 8080, hostPort 80\)/);
    });

    test('root, the capability, or a high container port behind a low host port can bind', () => {
      const chart = Testing.chart();
      new HostNetworkApp(chart, 'Root', { image: 'nginx', ports: [{ port: 80 }], securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } });
      new HostNetworkApp(chart, 'Cap', {
        image: 'nginx', ports: [{ port: 443 }], securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } },
      });
      new HostPortApp(chart, 'High', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 8081 }] });
      new HostPortApp(chart, 'Low', { image: 'nginx', ports: [{ containerPort: 8080, hostPort: 81 }] });
      expect(() => synthChart(chart)).not.toThrow();
    });
  });

  describe('more replicas than nodes', () => {
    test('fails if a host-level Deployment pinned to one hostname asks for more than one replica', () => {
      expect(() => new HostPortApp(Testing.chart(), 'Web', {
        image: 'influxdb',
        ports: [{ containerPort: 8086, hostPort: 8086 }],
        workloadKind: WorkloadKind.DEPLOYMENT,
        replicas: 2,
        nodeSelector: { 'kubernetes.io/hostname': 'node-1' },
      })).toThrow('[test/Web] HostPortApp: replicas must be at most 1: nodeSelector pins the pods to one node (kubernetes.io/hostname=node-1) and each pod needs a node of its own (one pod per node, for the host ports), so the others would stay Pending; got 2. Use replicas: 1');
    });

    test('one replica there, or several on nodes selected by a shared label, is fine', () => {
      const chart = Testing.chart();
      new HostPortApp(chart, 'One', {
        image: 'influxdb',
        ports: [{ containerPort: 8086, hostPort: 8086 }],
        workloadKind: WorkloadKind.DEPLOYMENT,
        replicas: 1,
        nodeSelector: { 'kubernetes.io/hostname': 'node-1' },
      });
      new HostPortApp(chart, 'Many', {
        image: 'influxdb',
        ports: [{ containerPort: 8086, hostPort: 8087 }],
        workloadKind: WorkloadKind.DEPLOYMENT,
        replicas: 3,
        nodeSelector: { role: 'edge' },
      });
      expect(() => synthChart(chart)).not.toThrow();
    });
  });
});
