import { execFileSync } from 'child_process';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { find, synthChart } from './util';
import { AccessMethod, AccessOrigin, AccessPoint } from '../src/core/exposure';
import { Exposure } from '../src/core/exposure-base';
import { AccessGuide } from '../src/guide/access-guide';
import { HostPortApp } from '../src/host/host-port';
import { MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool } from '../src/metallb/metallb-pool';
import { NodePortService } from '../src/service/node-port';
import { ExternalTrafficPolicy } from '../src/service/service-vocabulary';

/** An exposure with hand-written access points, for what no pattern builds today. */
class Handmade extends Exposure {
  public readonly prerequisites: string[] = [];
  public readonly patternName = 'handmade';
  constructor(scope: Construct, id: string, public readonly accessPoints: AccessPoint[]) {
    super(scope, id, {}, 'Handmade');
  }
}

/** The arguments `sh` passes for a command line (printf stands in for the program). */
function argumentsOf(commandLine: string): string[] {
  const out = execFileSync('sh', ['-c', `set -- ${commandLine}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const pods = (scope: Construct) => kplus.Pods.select(scope, 'Pods', { labels: { app: 'web' } });

describe('the access guide is right', () => {
  test('externalTrafficPolicy Local: says only nodes running a pod answer, and looks those nodes up', () => {
    const chart = Testing.chart();
    new NodePortService(chart, 'Web', { selector: pods(chart), ports: [{ port: 80, nodePort: 30080 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });
    const [point] = AccessGuide.of(chart).entries[0].accessPoints;
    expect(point.description).toBe('The address of a node that runs a pod, node port 30080/TCP, forwarded to Service test-web-c854d28f port 80 (target 80); '
      + 'externalTrafficPolicy Local: only nodes that run a ready pod of the Service answer (the others drop the traffic), and the pods see the client\'s own address.');
    expect(point.hostLookupCommand).toBe('kubectl -n default get pods -l app=web -o jsonpath=\'{.items[*].status.hostIP}\'');
    // Cluster (the default): any node.
    const other = Testing.chart();
    new NodePortService(other, 'Web', { selector: pods(other), ports: [{ port: 80, nodePort: 30080 }] });
    expect(AccessGuide.of(other).entries[0].accessPoints[0].hostLookupCommand).toBe('kubectl get nodes -o wide');
  });

  test('externalTrafficPolicy Local on a load balancer: the IP is announced from the nodes running a pod only', () => {
    const chart = Testing.chart();
    const pool = new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'] });
    new MetalLbLoadBalancer(chart, 'Web', {
      selector: pods(chart),
      ports: [{ port: 80 }],
      pool,
      loadBalancerIPs: ['192.168.9.10'],
      externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      allocateLoadBalancerNodePorts: true,
    });
    const points = AccessGuide.of(chart).entries.find((e) => e.path === 'test/Web')!.accessPoints;
    expect(points[0].description).toContain('only nodes that run a ready pod of the Service answer');
    expect(points[0].description).toContain('MetalLB announces the IP from those nodes only (kubectl -n default get pods -l app=web -o jsonpath=\'{.items[*].status.hostIP}\' lists them)');
    expect(points[1]).toMatchObject({ method: AccessMethod.NODE_PORT, hostLookupCommand: 'kubectl -n default get pods -l app=web -o jsonpath=\'{.items[*].status.hostIP}\'' });
  });

  test('a loopback hostIp is tested on the node, not from a probe pod, and is reachable from the node only', () => {
    const chart = Testing.chart();
    new HostPortApp(chart, 'Influx', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086, hostIp: '127.0.0.1' }] });
    const json = AccessGuide.of(chart).toJson();
    expect(json.apps[0].accessPoints[0].testCommand).toBe('kubectl debug node/<node-name> -it --image=busybox -- nc -vz 127.0.0.1 8086');
    expect(json.apps[0].accessPoints[0].hostLookupCommand).toMatch(/^kubectl -n default get pods -l cdk8s\.io\/metadata\.addr=\S+ -o wide$/);
    const md = AccessGuide.of(chart).toMarkdown();
    expect(md).not.toContain('kubectl -n default run probe');
    expect(md).toContain('| from the node itself only (a loopback address) |');
    expect(md).toContain('node_client([process on the node]) --> ');
  });

  test('every command is shell-quoted: a path with $, (, ;, & and \' reaches curl as written', () => {
    const chart = Testing.chart();
    const path = '/a$HOME/b(c);d&e\'f';
    new Handmade(chart, 'H', [
      { origin: AccessOrigin.OUTSIDE_CLUSTER, method: AccessMethod.INGRESS, host: 'web.example.com', port: 80, protocol: kplus.Protocol.TCP, scheme: 'http', path, description: 'd' },
      { origin: AccessOrigin.CLUSTER_NETWORK, method: AccessMethod.CLUSTER_IP, host: 'web.default.svc.cluster.local', port: 8080, protocol: kplus.Protocol.TCP, scheme: 'http', path, description: 'd' },
    ]);
    const [outside, inside] = AccessGuide.of(chart).toJson().apps[0].accessPoints;
    expect(outside.testCommand).toBe('curl -v \'http://web.example.com/a$HOME/b(c);d&e\'\\\'\'f\'');
    expect(argumentsOf(outside.testCommand)).toEqual(['curl', '-v', `http://web.example.com${path}`]);
    expect(argumentsOf(inside.testCommand)).toEqual(['kubectl', '-n', 'default', 'run', 'probe', '--rm', '-i', '--restart=Never', '--image=curlimages/curl',
      '--', 'curl', '-v', `http://web.default.svc.cluster.local:8080${path}`]);
  });

  test('the Mermaid diagram has one node per distinct entry point (two addresses on one port are two)', () => {
    const chart = Testing.chart();
    const pool = new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24', '2001:db8:9::/120'] });
    new MetalLbLoadBalancer(chart, 'Web', {
      selector: pods(chart), ports: [{ port: 80 }], pool, loadBalancerIPs: ['192.168.9.10', '2001:db8:9::10'], allocateLoadBalancerNodePorts: false,
    });
    const md = AccessGuide.of(chart).toMarkdown();
    const diagram = md.slice(md.lastIndexOf('```mermaid'));
    expect(diagram).toContain('entry_LoadBalancer_80_TCP["load balancer IP<br/>192.168.9.10:80"]');
    expect(diagram).toContain('entry_LoadBalancer_80_TCP_2["load balancer IP<br/>[2001:db8:9::10]:80"]');
    expect(diagram.match(/client\(\[client\]\) --> /g)).toHaveLength(2);
  });

  describe('allowFrom with pod or namespace peers on a Service reachable from outside', () => {
    test('fails if the traffic policy is Cluster: outside clients arrive with a node\'s address, which NetworkPolicy admits', () => {
      const chart = Testing.chart();
      expect(() => new NodePortService(chart, 'Web', {
        selector: pods(chart), ports: [{ port: 80 }], allowFrom: [kplus.Pods.select(chart, 'Gateway', { labels: { app: 'gateway' } })],
      })).toThrow('[test/Web] NodePortService: allowFrom[0] selects pods app=gateway of the policy\'s namespace, but with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s, '
        + 'which NetworkPolicy admits as the node\'s own traffic: outside clients would not be kept out; got "Cluster (default)". '
        + 'Set externalTrafficPolicy: ExternalTrafficPolicy.LOCAL so that the pods see the client\'s own address (only nodes running a pod then answer).');
      const lbChart = Testing.chart();
      expect(() => new MetalLbLoadBalancer(lbChart, 'Web', {
        selector: pods(lbChart),
        ports: [{ port: 80 }],
        poolName: 'lan',
        externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER,
        allowFrom: [kplus.Namespaces.select(lbChart, 'Shop', { names: ['shop'] })],
      })).toThrow(/allowFrom\[0\] selects every pod in namespace shop, but with externalTrafficPolicy Cluster .*; got "Cluster"\. Set externalTrafficPolicy: ExternalTrafficPolicy\.LOCAL .*, or use loadBalancerSourceRanges/);
    });

    test('with Local the peers keep outside clients out, and the policy is created', () => {
      const chart = Testing.chart();
      const svc = new NodePortService(chart, 'Web', {
        selector: pods(chart),
        ports: [{ port: 80 }],
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
        allowFrom: [kplus.Pods.select(chart, 'Gateway', { labels: { app: 'gateway' } })],
      });
      expect(svc.networkPolicy).toBeDefined();
      const policy = find(synthChart(chart), 'NetworkPolicy');
      expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    });
  });
});
