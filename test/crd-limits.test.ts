import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { synthApp } from './util';
import { EXAMPLES } from '../examples';
import { PodIpReachability } from '../src/calico/pod-ip-reachability';
import { MAX_ASN, MIN_ASN } from '../src/core/bgp';
import { CRD_INTEGER_FIELDS, CrdIntegerField, INT32_MAX } from '../src/core/crd-limits';
import { MetalLbAddressPool, MetalLbAdvertisement } from '../src/metallb/metallb-pool';

const CRD_DIR = path.join(__dirname, '..', 'crds');

/** `<apiVersion>/<kind>` -> the version's openAPIV3Schema, from every vendored CRD. */
function crdSchemas(): Map<string, any> {
  const result = new Map<string, any>();
  for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const crd of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')).map((d) => d.toJSON())) {
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        result.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema?.openAPIV3Schema);
      }
    }
  }
  return result;
}

const SCHEMAS = crdSchemas();
const GROUPS = new Set([...SCHEMAS.keys()].map((k) => k.split('/')[0]));

/** The schema node at `path` (`spec.routes[].priority`). */
function schemaAt(schema: any, fieldPath: string): any {
  let node = schema;
  for (const part of fieldPath.split('.')) {
    const list = part.endsWith('[]');
    node = node?.properties?.[list ? part.slice(0, -2) : part];
    if (list) node = node?.items;
  }
  return node;
}

/** The range a CRD declares for an integer (or int-or-string) field, clamped to safe JS integers. */
function declaredRange(node: any): { min: number; max: number } {
  const clamp = (n: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
  let min = node.minimum ?? Number.MIN_SAFE_INTEGER;
  let max = node.maximum ?? Number.MAX_SAFE_INTEGER;
  if (node.format === 'int32') {
    min = Math.max(min, -INT32_MAX - 1);
    max = Math.min(max, INT32_MAX);
  }
  return { min: clamp(min), max: clamp(max) };
}

/** Every integer leaf of the custom resources in `docs`: `<apiVersion>/<kind> <path>`. */
function integerFieldsOf(docs: any[]): Set<string> {
  const found = new Set<string>();
  const walk = (value: any, at: string, key: string) => {
    if (Array.isArray(value)) {value.forEach((item) => walk(item, `${at}[]`, key));} else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at === '' ? k : `${at}.${k}`, key);
    } else if (typeof value === 'number') {found.add(`${key} ${at}`);}
  };
  for (const doc of docs) {
    const group = String(doc.apiVersion).split('/')[0];
    if (!GROUPS.has(group)) continue;
    walk(doc.spec ?? {}, 'spec', `${doc.apiVersion}/${doc.kind}`);
  }
  return found;
}

const TABLE: CrdIntegerField[] = Object.values(CRD_INTEGER_FIELDS);

describe('integers written into custom resources', () => {
  test.each(TABLE.map((f) => [`${f.apiVersion}/${f.kind} ${f.path}`, f] as const))('%s has the range its vendored CRD declares', (_, field) => {
    const schema = SCHEMAS.get(`${field.apiVersion}/${field.kind}`);
    expect(schema).toBeDefined();
    const node = schemaAt(schema, field.path);
    expect(node).toBeDefined();
    expect(node.type === 'integer' || node['x-kubernetes-int-or-string'] === true).toBe(true);
    expect({ min: field.min, max: field.max }).toEqual(declaredRange(node));
  });

  test('every integer field the examples (and the fields no example sets) write into a custom resource has an entry', () => {
    const docs: any[] = [];
    for (const factory of Object.values(EXAMPLES)) {
      const app = Testing.app();
      factory(app);
      docs.push(...synthApp(app));
    }
    // What the examples leave out: a BGP pool with localPref, a Calico pool with a block size.
    const app = Testing.app();
    const chart = new Chart(app, 'fixtures');
    new MetalLbAddressPool(chart, 'Pool', {
      addresses: ['192.168.9.0/24'],
      advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '192.168.0.1', peerASN: 64512, myASN: 64512 }], localPref: 100 }),
    });
    new PodIpReachability(chart, 'PodIp', { podCidr: '10.244.0.0/16', asNumber: 64512, blockSize: 24, peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }] });
    docs.push(...synthApp(app));
    const written = integerFieldsOf(docs);
    const known = new Set(TABLE.map((f) => `${f.apiVersion}/${f.kind} ${f.path}`));
    expect([...written].filter((f) => !known.has(f))).toEqual([]);
    // The walk sees what it should (the table is not vacuous).
    expect(written).toContain('metallb.io/v1beta1/BGPAdvertisement spec.localPref');
    expect(written).toContain('projectcalico.org/v3/BGPConfiguration spec.asNumber');
    expect(written).toContain('projectcalico.org/v3/IPPool spec.blockSize');
  });

  test('MetalLB AS numbers are checked within what the BGPPeer CRD declares', () => {
    expect(MIN_ASN).toBeGreaterThanOrEqual(CRD_INTEGER_FIELDS.METALLB_BGP_PEER_PEER_ASN.min);
    expect(MAX_ASN).toBeLessThanOrEqual(CRD_INTEGER_FIELDS.METALLB_BGP_PEER_PEER_ASN.max);
    expect(MAX_ASN).toBeLessThanOrEqual(CRD_INTEGER_FIELDS.METALLB_BGP_PEER_MY_ASN.max);
  });

  test('fails if a Calico AS number does not fit the CRD\'s int32, although Calico documents 4-byte AS numbers', () => {
    const reach = (asNumber: number, peerAs = 64501) => new PodIpReachability(Testing.chart(), 'PodIp',
      { podCidr: '10.244.0.0/16', asNumber, peers: [{ peerIP: '192.168.1.1', asNumber: peerAs }] });
    expect(() => reach(4200000000)).toThrow(
      '[test/PodIp] PodIpReachability: asNumber must be an integer within 1-2147483647 (the BGPConfiguration CRD declares spec.asNumber format int32, whatever the upstream type takes); got 4200000000. ');
    expect(() => reach(64512, 2147483648)).toThrow(
      '[test/PodIp] PodIpReachability: peers[0].asNumber must be an integer within 1-2147483647 (the BGPPeer CRD declares spec.asNumber format int32');
    expect(() => reach(4294967296)).toThrow(/asNumber must be an integer within 1-2147483647; got 4294967296\./);
    expect(() => reach(2147483647, 2147483647)).not.toThrow();
  });

  test('fails if a MetalLB localPref does not fit the BGPAdvertisement CRD\'s int32', () => {
    const pool = (localPref: number) => new MetalLbAddressPool(Testing.chart(), 'Pool', {
      addresses: ['192.168.9.0/24'],
      advertisement: MetalLbAdvertisement.bgp({ peers: [{ peerAddress: '192.168.0.1', peerASN: 64512, myASN: 64512 }], localPref }),
    });
    expect(() => pool(2147483648)).toThrow(
      '[test/Pool] MetalLbAddressPool: advertisement.localPref must be an integer within 0-2147483647 (the BGPAdvertisement CRD declares spec.localPref format int32, whatever the upstream type takes); got 2147483648. Use e.g. 100');
    expect(() => pool(2147483647)).not.toThrow();
  });
});
