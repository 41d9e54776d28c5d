import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { find, knownCustomResources, synthChart, validateManifest } from './util';

const service = (spec: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });

describe('validation harness', () => {
  test('accepts a valid Service', () => {
    expect(validateManifest(service({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([]);
  });

  test('fails if a field is unknown to Kubernetes 1.27 (the cdk8s L1 spelling clusterIp)', () => {
    expect(validateManifest(service({ clusterIp: 'None', ports: [{ port: 80 }] }))).toEqual([
      expect.stringMatching(/\/spec\/clusterIp: unknown field/),
    ]);
  });

  test('fails if a field was added after Kubernetes 1.27', () => {
    // trafficDistribution arrived in 1.30.
    expect(validateManifest(service({ trafficDistribution: 'PreferClose', ports: [{ port: 80 }] }))).toEqual([
      expect.stringMatching(/\/spec\/trafficDistribution: unknown field/),
    ]);
  });

  test('fails if a field has the wrong type or a required field is missing', () => {
    expect(validateManifest(service({ ports: [{ port: 'eighty' }] })).join('\n')).toMatch(/port must be integer/);
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} }).join('\n'))
      .toMatch(/must have required property selector/);
  });

  test('fails if names or labels break the API server\'s rules', () => {
    const doc = service({ ports: [{ port: 80 }] });
    doc.metadata = { name: '1web', labels: { 'bad key!': 'x' } } as any;
    const problems = validateManifest(doc).join('\n');
    expect(problems).toMatch(/metadata.name must be a DNS-1035 label/);
    expect(problems).toMatch(/metadata.labels bad key!=x/);
  });

  test('fails if no schema is known for a kind', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'no schema known for example.com/v1 Widget',
    ]);
  });

  test('validates custom resources against the vendored upstream CRDs', () => {
    expect(knownCustomResources()).toEqual(expect.arrayContaining([
      'metallb.io/v1beta1/IPAddressPool', 'traefik.io/v1alpha1/IngressRoute',
      'gateway.networking.k8s.io/v1/HTTPRoute', 'projectcalico.org/v3/BGPPeer',
    ]));
    const pool = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'metallb-system' }, spec: { addresses: ['192.168.9.0/24'] } };
    expect(validateManifest(pool)).toEqual([]);
    expect(validateManifest({ ...pool, spec: { adresses: ['192.168.9.0/24'] } }).join('\n')).toMatch(/must NOT have additional properties \(adresses\)/);
    expect(validateManifest({ ...pool, spec: { addresses: '192.168.9.0/24' } }).join('\n')).toMatch(/must be array/);
  });

  test('synthChart fails on an invalid document and on addValidation errors', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'Bad', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 0.5 }] } });
    expect(() => synthChart(chart)).toThrow(/invalid manifests:[\s\S]*Service\/bad/);

    const chart2 = Testing.chart();
    const deployment = new kplus.Deployment(chart2, 'Web', { containers: [{ image: 'nginx' }] });
    let problem: string | undefined = 'Widget: size must be set';
    deployment.node.addValidation({ validate: () => (problem ? [problem] : []) });
    expect(() => synthChart(chart2)).toThrow(/\[test\/Web\] Widget: size must be set/);
    problem = undefined;
    expect(find(synthChart(chart2), 'Deployment').spec.template.spec.containers[0].image).toBe('nginx');
  });
});
