/**
 * The App-wide registry (src/core/claims.ts): one per construct tree, typed kinds, O(1) claims.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { AppClaims, ClaimKind, claimObjectName, isClusterScoped, nodeSelectorsDisjoint } from '../src/core/claims';
import { Checker } from '../src/core/errors';

interface PortClaim {
  readonly path: string;
}

const PORT = new ClaimKind<PortClaim>('test-port');
const OTHER = new ClaimKind<PortClaim>('test-port');

describe('AppClaims', () => {
  test('one registry per App, shared by every construct in it', () => {
    const app = Testing.app();
    const a = new Construct(new Chart(app, 'a'), 'A');
    const b = new Construct(new Chart(app, 'b'), 'B');
    expect(AppClaims.of(a)).toBe(AppClaims.of(b));
    expect(AppClaims.of(a)).toBe(AppClaims.of(app));
    expect(AppClaims.of(Testing.chart())).not.toBe(AppClaims.of(a));
  });

  test('add returns the entries claimed before under the same kind and key', () => {
    const claims = AppClaims.of(Testing.app());
    expect(claims.add(PORT, '80', { path: 'a' })).toStrictEqual([]);
    expect(claims.add(PORT, '443', { path: 'b' })).toStrictEqual([]);
    expect(claims.add(PORT, '80', { path: 'c' })).toStrictEqual([{ path: 'a' }]);
    expect(claims.add(PORT, '80', { path: 'd' })).toStrictEqual([{ path: 'a' }, { path: 'c' }]);
    expect(claims.get(PORT, '80')).toStrictEqual([{ path: 'a' }, { path: 'c' }, { path: 'd' }]);
    expect(claims.get(PORT, '8080')).toStrictEqual([]);
    expect(claims.all(PORT)).toStrictEqual([{ path: 'a' }, { path: 'c' }, { path: 'd' }, { path: 'b' }]);
    expect(claims.count(PORT)).toBe(4);
  });

  test('two kinds are two namespaces of keys, even with the same name', () => {
    const claims = AppClaims.of(Testing.app());
    claims.add(PORT, '80', { path: 'a' });
    expect(claims.add(OTHER, '80', { path: 'b' })).toStrictEqual([]);
    expect(claims.all(OTHER)).toStrictEqual([{ path: 'b' }]);
  });

  test('the list add returns is a copy: later claims do not change it', () => {
    const claims = AppClaims.of(Testing.app());
    claims.add(PORT, '80', { path: 'a' });
    const before = claims.add(PORT, '80', { path: 'b' });
    claims.add(PORT, '80', { path: 'c' });
    expect(before).toStrictEqual([{ path: 'a' }]);
  });

  test('first records only the first claim of a key and returns it', () => {
    const claims = AppClaims.of(Testing.app());
    expect(claims.first(PORT, 'ns', { path: 'a' })).toStrictEqual({ path: 'a' });
    expect(claims.first(PORT, 'ns', { path: 'b' })).toStrictEqual({ path: 'a' });
    expect(claims.get(PORT, 'ns')).toStrictEqual([{ path: 'a' }]);
  });

  test('a key claimed once holds its entry itself; claimed again, every entry in order, of any type', () => {
    const claims = AppClaims.of(Testing.app());
    const PATHS = new ClaimKind<string>('test-path');
    const entry = { path: 'a' };
    claims.add(PORT, '80', entry);
    expect(claims.get(PORT, '80')[0]).toBe(entry);
    expect(claims.first(PORT, '80', { path: 'b' })).toBe(entry);
    expect(claims.add(PATHS, 'x', 'chart/a')).toStrictEqual([]);
    expect(claims.add(PATHS, 'x', 'chart/b')).toStrictEqual(['chart/a']);
    expect(claims.first(PATHS, 'x', 'chart/c')).toBe('chart/a');
    expect(claims.add(PATHS, 'x', 'chart/d')).toStrictEqual(['chart/a', 'chart/b']);
    expect(claims.all(PATHS)).toStrictEqual(['chart/a', 'chart/b', 'chart/d']);
    expect(claims.count(PATHS)).toBe(3);
  });

  test('derived values are computed once per change of their source', () => {
    const claims = AppClaims.of(Testing.app());
    const INDEX = new ClaimKind<number>('test-index');
    const compute = jest.fn((entries: unknown[]) => entries.length);
    claims.add(PORT, '80', { path: 'a' });
    expect(claims.derived(INDEX, PORT, compute)).toBe(1);
    expect(claims.derived(INDEX, PORT, compute)).toBe(1);
    expect(compute).toHaveBeenCalledTimes(1);
    claims.add(PORT, '81', { path: 'b' });
    expect(claims.derived(INDEX, PORT, compute)).toBe(2);
    expect(compute).toHaveBeenCalledTimes(2);
  });
});

describe('isClusterScoped', () => {
  test('agrees with the scope of every vendored CRD', () => {
    const dir = path.join(__dirname, '..', 'crds');
    let checked = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      for (const crd of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJSON())) {
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        expect([crd.spec.names.kind, isClusterScoped(crd.spec.names.kind, crd.spec.group)]).toEqual([crd.spec.names.kind, crd.spec.scope === 'Cluster']);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  test('knows the built-in cluster-scoped kinds, by group: a Calico BGPPeer is, a MetalLB BGPPeer is not', () => {
    for (const [kind, group] of [['Namespace', 'core'], ['ClusterRole', 'rbac.authorization.k8s.io'], ['ClusterRoleBinding', 'rbac.authorization.k8s.io'],
      ['IngressClass', 'networking.k8s.io'], ['CustomResourceDefinition', 'apiextensions.k8s.io'], ['BGPPeer', 'projectcalico.org']]) {
      expect([kind, isClusterScoped(kind, group)]).toEqual([kind, true]);
    }
    for (const [kind, group] of [['Service', 'core'], ['Role', 'rbac.authorization.k8s.io'], ['Ingress', 'networking.k8s.io'], ['BGPPeer', 'metallb.io'], ['Deployment', 'apps']]) {
      expect([kind, isClusterScoped(kind, group)]).toEqual([kind, false]);
    }
  });
});

describe('claimObjectName', () => {
  test('fails if two constructs give one kind, namespace and name, naming both constructs', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const first = new Construct(a, 'First');
    const second = new Construct(b, 'Second');
    claimObjectName(new Checker(first, 'First'), 'name', new kplus.k8s.KubeConfigMap(first, 'Resource', { metadata: { name: 'cfg' } }));
    const check = new Checker(second, 'Second');
    expect(() => claimObjectName(check, 'name', new kplus.k8s.KubeConfigMap(second, 'Resource', { metadata: { name: 'cfg' } })))
      .toThrow('[b/Second] Second: name is already the name of the ConfigMap of [a/First] in namespace "default"; got "cfg". ');
  });

  test('the same name in two namespaces, or for two kinds, is two objects', () => {
    const app = new App();
    const chart = new Chart(app, 'a');
    const one = new Construct(chart, 'One');
    const two = new Construct(chart, 'Two');
    const three = new Construct(chart, 'Three');
    claimObjectName(new Checker(one, 'One'), 'name', new kplus.k8s.KubeConfigMap(one, 'Resource', { metadata: { name: 'x', namespace: 'a' } }));
    expect(() => claimObjectName(new Checker(two, 'Two'), 'name',
      new kplus.k8s.KubeConfigMap(two, 'Resource', { metadata: { name: 'x', namespace: 'b' } }))).not.toThrow();
    expect(() => claimObjectName(new Checker(three, 'Three'), 'name',
      new kplus.k8s.KubeSecret(three, 'Resource', { metadata: { name: 'x', namespace: 'a' } }))).not.toThrow();
  });

  test('cluster-scoped kinds clash across namespaces', () => {
    const app = new App();
    const one = new Construct(new Chart(app, 'a', { namespace: 'x' }), 'One');
    const two = new Construct(new Chart(app, 'b', { namespace: 'y' }), 'Two');
    claimObjectName(new Checker(one, 'One'), 'name', new kplus.k8s.KubeNamespace(one, 'Resource', { metadata: { name: 'shop' } }));
    expect(() => claimObjectName(new Checker(two, 'Two'), 'name', new kplus.k8s.KubeNamespace(two, 'Resource', { metadata: { name: 'shop' } })))
      .toThrow(/^\[b\/Two\] Two: name is already the name of the Namespace of \[a\/One\] \(Namespace names are cluster-wide\); got "shop"\. /);
  });
  test('a kind is cluster-scoped in its own API group only, and each App has its own names', () => {
    const app = new App();
    const chart = new Chart(app, 'a');
    const one = new Construct(chart, 'One');
    const two = new Construct(chart, 'Two');
    const namespaceOf = (scope: Construct, group: string, namespace: string) =>
      new ApiObject(scope, 'Resource', { apiVersion: `${group}/v1`, kind: 'Namespace', metadata: { name: 'shop', namespace } });
    // A `Namespace` of another group is an ordinary namespaced kind: one per namespace.
    claimObjectName(new Checker(one, 'One'), 'name', namespaceOf(one, 'example.com', 'x'));
    expect(() => claimObjectName(new Checker(two, 'Two'), 'name', namespaceOf(two, 'example.com', 'y'))).not.toThrow();
    const three = new Construct(chart, 'Three');
    expect(() => claimObjectName(new Checker(three, 'Three'), 'name', namespaceOf(three, 'example.com', 'x')))
      .toThrow(/^\[a\/Three\] Three: name is already the name of the Namespace of \[a\/One\] in namespace "x"; got "shop"\. /);
    // The same object in another App: no clash.
    const other = new Construct(new Chart(new App(), 'a'), 'One');
    expect(() => claimObjectName(new Checker(other, 'One'), 'name', namespaceOf(other, 'example.com', 'x'))).not.toThrow();
  });
});

describe('nodeSelectorsDisjoint', () => {
  test('only a key both require with different values proves two node sets disjoint', () => {
    expect(nodeSelectorsDisjoint({ rack: 'a' }, { rack: 'b' })).toBe(true);
    expect(nodeSelectorsDisjoint({ rack: 'a', zone: 'x' }, { zone: 'y' })).toBe(true);
    expect(nodeSelectorsDisjoint({ rack: 'a' }, { rack: 'a' })).toBe(false);
    expect(nodeSelectorsDisjoint({ rack: 'a' }, { zone: 'x' })).toBe(false);
    expect(nodeSelectorsDisjoint(undefined, { rack: 'a' })).toBe(false);
    expect(nodeSelectorsDisjoint({ rack: 'a' }, undefined)).toBe(false);
  });
});
