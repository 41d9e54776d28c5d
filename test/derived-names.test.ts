import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, synthApp } from './util';
import { nameProblem, nameRuleOf } from '../src/core/derived-names';
import { HostPortApp } from '../src/host/host-port';
import { MetalLbAddressPool } from '../src/metallb/metallb-pool';
import { ApiProxyAccess } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';
import { NodePortService } from '../src/service/node-port';

function chartOf(id: string): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, id) };
}

describe('names cdk8s derives from the construct path', () => {
  test('the rule of each kind the library creates', () => {
    expect(nameRuleOf('core', 'Service')).toBe('DNS-1035 label');
    expect(nameRuleOf('core', 'Namespace')).toBe('DNS-1123 label');
    expect(nameRuleOf('rbac.authorization.k8s.io', 'Role')).toBe('DNS-1123 subdomain');
    expect(nameRuleOf('apps', 'DaemonSet')).toBe('DNS-1123 subdomain');
    expect(nameRuleOf('projectcalico.org', 'BGPPeer')).toBe('DNS-1123 subdomain');
    expect(nameRuleOf('metallb.io', 'IPAddressPool')).toBe('DNS-1123 subdomain');
    expect(nameProblem('DNS-1123 subdomain', '1prod-web')).toBeUndefined();
  });

  test('fails if a chart id starting with a digit would give a Service a name that is not a DNS-1035 label', () => {
    const { chart } = chartOf('1prod');
    const web = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    expect(() => new NodePortService(chart, 'Web', { selector: web, ports: [{ port: 80 }] }))
      .toThrow(/^\[1prod\/Web\] NodePortService: name gives the Service a name that must be a DNS-1035 label .*; got "1prod-web-[0-9a-f]{8}"\. Without an explicit name, cdk8s derives the name from the construct path .* \(the first id of the path starting with a letter\), or pass a valid name\.$/);
    expect(() => new ClusterIpService(chart, 'Api', { selector: web, ports: [{ port: 80 }] }))
      .toThrow(/\[1prod\/Api\] ClusterIpService: name gives the Service a name that must be a DNS-1035 label/);
  });

  test('the same chart works with an explicit Service name, and for kinds whose names may start with a digit', () => {
    const { app, chart } = chartOf('1prod');
    const host = new HostPortApp(chart, 'Influx', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] });
    new NodePortService(chart, 'Web', { name: 'web', selector: host, ports: [{ port: 8086 }] });
    const docs = synthApp(app);
    expect(find(docs, 'Service', 'web').metadata.name).toBe('web');
    expect(find(docs, 'DaemonSet').metadata.name).toMatch(/^1prod-influx-[0-9a-f]{8}$/);
  });

  test('fails if a construct id with "_" would give any kind an invalid name', () => {
    const { chart } = chartOf('prod');
    expect(() => new HostPortApp(chart, 'influx_db', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] }))
      .toThrow(/^\[prod\/influx_db\] HostPortApp: name gives the DaemonSet a name that must be a DNS-1123 subdomain .*; got "prod-influx_db-[0-9a-f]{8}"\./);
    expect(() => new MetalLbAddressPool(chart, 'lan_pool', { addresses: ['192.168.9.0/24'] }))
      .toThrow(/^\[prod\/lan_pool\] MetalLbAddressPool: name gives the IPAddressPool a name that must be a DNS-1123 subdomain/);
  });

  test('fails if a construct id with "." would give a Service a name that is not a label', () => {
    const { chart } = chartOf('prod');
    const web = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    expect(() => new ClusterIpService(chart, 'Web.v2', { selector: web, ports: [{ port: 80 }] }))
      .toThrow(/\[prod\/Web\.v2\] ClusterIpService: name gives the Service a name that must be a DNS-1035 label/);
  });

  test('fails if a construct id with "_" would give the RBAC objects of ApiProxyAccess invalid names', () => {
    const { chart } = chartOf('prod');
    const web = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
    const svc = new ClusterIpService(chart, 'Web', { selector: web, ports: [{ port: 80 }] });
    expect(() => new ApiProxyAccess(chart, 'proxy_1', { services: [svc], subjects: [kplus.Group.fromName(chart, 'Devs', 'devs')] }))
      .toThrow(/^\[prod\/proxy_1\] ApiProxyAccess: services gives the Role a name that must be a DNS-1123 subdomain/);
  });
});
