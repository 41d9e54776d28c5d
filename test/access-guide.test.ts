import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { synthApp } from './util';
import { ACCESS_GUIDE_JSON_FILE, ACCESS_GUIDE_MARKDOWN_FILE, AccessGuide } from '../src/guide/access-guide';
import { ClusterIpService } from '../src/service/cluster-ip';
import { NodePortService } from '../src/service/node-port';

function twoApps() {
  const app = Testing.app();
  const chart = new Chart(app, 'prod', { namespace: 'web' });
  const influx = kplus.Pods.select(chart, 'InfluxPods', { labels: { name: 'influxdb' } });
  const api = kplus.Pods.select(chart, 'ApiPods', { labels: { name: 'api' } });
  new NodePortService(chart, 'Influxdb', { name: 'influxdb-service', selector: influx, ports: [{ port: 8086, nodePort: 30000 }] });
  new ClusterIpService(chart, 'Api', { name: 'api', selector: api, ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
  return { app, chart };
}

describe('AccessGuide', () => {
  test('collects every exposure under the scope, ordered by path', () => {
    const { app } = twoApps();
    synthApp(app);
    expect(AccessGuide.of(app).entries.map((e) => [e.path, e.patternName, e.namespace])).toEqual([
      ['prod/Api', 'ClusterIP Service', 'web'],
      ['prod/Influxdb', 'NodePort Service', 'web'],
    ]);
  });

  test('renders the seed\'s "find the node IP, then curl" steps and a traffic diagram', () => {
    const { chart } = twoApps();
    const md = AccessGuide.of(chart).toMarkdown();
    expect(md).toContain('## NodePort Service: `prod/Influxdb`');
    expect(md).toContain('kubectl get nodes -o wide');
    expect(md).toContain('nc -vz <node-ip> 30000');
    expect(md).toContain('Reachable from outside the cluster.');
    expect(md).toContain('Reachable from inside the cluster only.');
    expect(md).toContain('```mermaid\nflowchart LR\n  client([client]) --> entry_NodePort_30000_TCP["any node address (node port)<br/>#lt;node-ip#gt;:30000"]');
    expect(md).toContain('entry_NodePort_30000_TCP --> backend_Service_web_influxdb_service["Service web/influxdb-service"]');
    expect(md).toMatchSnapshot();
  });

  test('JSON has the same content, with addresses and test commands', () => {
    const { chart } = twoApps();
    const json = AccessGuide.of(chart).toJson();
    expect(json.apps[1]).toMatchObject({
      path: 'prod/Influxdb',
      pattern: 'NodePort Service',
      namespace: 'web',
      prerequisites: [],
      accessPoints: [{
        origin: 'outside-cluster',
        method: 'NodePort',
        host: '<node-ip>',
        port: 30000,
        protocol: 'TCP',
        address: '<node-ip>:30000',
        testCommand: 'nc -vz <node-ip> 30000',
        hostLookupCommand: 'kubectl get nodes -o wide',
      }],
    });
    expect(json.apps[0].accessPoints[0]).toMatchObject({ host: 'api.web.svc.cluster.local', port: 80, portName: 'http' });
  });

  test('is deterministic', () => {
    expect(AccessGuide.of(twoApps().chart).toMarkdown()).toBe(AccessGuide.of(twoApps().chart).toMarkdown());
  });

  test('says when nothing is exposed', () => {
    expect(AccessGuide.of(Testing.chart()).toMarkdown()).toContain('Nothing here is exposed');
  });

  test('writeFiles writes ACCESS.md and access.json', () => {
    const { app } = twoApps();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-'));
    AccessGuide.of(app).writeFiles(dir);
    expect(fs.readFileSync(path.join(dir, ACCESS_GUIDE_MARKDOWN_FILE), 'utf8')).toBe(AccessGuide.of(app).toMarkdown());
    expect(JSON.parse(fs.readFileSync(path.join(dir, ACCESS_GUIDE_JSON_FILE), 'utf8'))).toEqual(AccessGuide.of(app).toJson());
  });
});
