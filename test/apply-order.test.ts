/**
 * Apply order and footprint (issue 14, class 8): `kubectl apply -f` of the synthesized files works
 * on the first try, and host-level apps reserve a per-node agent's share, not a whole CPU.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { synthApp, synthChart } from './util';
import { EXAMPLES } from '../examples/index';
import { ClusterIpService, DEFAULT_HOST_APP_RESOURCES, HostNetworkApp, HostPortApp } from '../src';

describe('apply order', () => {
  test('the created namespace comes before every object in it, whatever the construct order', () => {
    const chart = Testing.chart();
    // Created before the app that creates their namespace.
    const early = new kplus.Deployment(chart, 'Early', { metadata: { namespace: 'edge' }, containers: [{ image: 'nginx', portNumber: 80 }] });
    new HostNetworkApp(chart, 'Proxy', { image: 'nginx', ports: [{ port: 8080 }], namespace: 'edge', createNamespace: true });
    new ClusterIpService(chart, 'Late', { namespace: 'edge', selector: early, ports: [{ port: 80 }] });
    const docs = synthChart(chart);
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}`);
    const nsIndex = kinds.indexOf('Namespace/');
    expect(nsIndex).toBeGreaterThanOrEqual(0);
    const inNamespace = docs.map((d, i) => [d, i] as const).filter(([d]) => d.metadata.namespace === 'edge');
    expect(inNamespace.map(([d]) => d.kind).sort()).toEqual(['DaemonSet', 'Deployment', 'Service']);
    for (const [, i] of inNamespace) expect(i).toBeGreaterThan(nsIndex);
  });

  test('across charts: the chart with the namespace is written first (numbered files)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-order-'));
    try {
      const app = new App({ outdir });
      const workloads = new Chart(app, 'a-workloads');
      new kplus.Deployment(workloads, 'Web', { metadata: { namespace: 'edge' }, containers: [{ image: 'nginx', portNumber: 80 }] });
      new HostPortApp(new Chart(app, 'b-edge'), 'Proxy', {
        image: 'nginx', ports: [{ containerPort: 8080, hostPort: 8080 }], namespace: 'edge', createNamespace: true,
      });
      synthApp(app);
      app.synth();
      const files = fs.readdirSync(outdir).sort();
      expect(files).toEqual(['0000-b-edge.k8s.yaml', '0001-a-workloads.k8s.yaml']);
      const first = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, files[0]), 'utf-8')).map((d) => d.toJSON());
      expect(first[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'edge' } });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('footprint', () => {
  test('host-level apps default to DEFAULT_HOST_APP_RESOURCES (100m CPU / 128Mi requested), not cdk8s-plus\' whole CPU', () => {
    const chart = Testing.chart();
    new HostNetworkApp(chart, 'Agent', { image: 'nginx', ports: [{ port: 9100 }] });
    const ds = synthChart(chart).find((d) => d.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].resources).toStrictEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(DEFAULT_HOST_APP_RESOURCES.cpu?.request?.amount).toBe('100m');
  });

  test('resources, when given, replace the default', () => {
    const chart = Testing.chart();
    new HostPortApp(chart, 'Agent', {
      image: 'nginx',
      ports: [{ containerPort: 8080, hostPort: 8080 }],
      resources: { cpu: { request: kplus.Cpu.millis(10) } },
    });
    const ds = synthChart(chart).find((d) => d.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].resources).toStrictEqual({ requests: { cpu: '10m' } });
  });

  test('every example together fits a 2-CPU single-node cluster (requests, with room for the probe pod)', () => {
    let millis = 0;
    for (const factory of Object.values(EXAMPLES)) {
      const app = Testing.app();
      factory(app);
      for (const d of synthApp(app)) {
        const pod = d.spec?.template?.spec;
        if (!pod) continue;
        const replicas = d.kind === 'DaemonSet' ? 1 : d.spec.replicas ?? 1;
        for (const c of pod.containers) {
          const cpu = String(c.resources?.requests?.cpu ?? '1000m');
          millis += replicas * (cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
        }
      }
    }
    expect(millis).toBeLessThanOrEqual(1500);
  });
});
