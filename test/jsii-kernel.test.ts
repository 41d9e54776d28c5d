/**
 * The library driven through the jsii kernel, the runtime that the Python, Java, .NET and Go
 * packages talk to, exactly as they do: the npm tarball of this package (dist/js, the one those
 * packages embed) and those of constructs, cdk8s and cdk8s-plus-27 are loaded into
 * `@jsii/kernel`, and every app is built with wire values only (plain-JSON structs, enums as
 * `{"$jsii.enum": "<fqn>/<MEMBER>"}`, objects by reference), `create`, `sinvoke`, `invoke` and
 * `get`, as a Python program would. Each app is synthesized and compared with the same app built
 * in TypeScript (the examples in examples/, and a tour; both in test/jsii-kernel/recipes.ts): the
 * YAML, the access guide and every property of every construct of this library, read back through
 * the kernel, are identical.
 *
 * Coverage is taken from the assembly: every concrete construct class must be created, every
 * static factory and every method called, every property read through the kernel at least once,
 * so new API needs a recipe in test/jsii-kernel/recipes.ts. Errors must reach the caller in the
 * project's format. The jsii client and the read-back of properties are in test/jsii-kernel/client.ts.
 *
 * Needs lib/, .jsii and dist/js: it runs in the `test:dist` task, which the build spawns after
 * `package:js` (`npx projen test:dist` after a build to run it alone).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { api, Kernel } from '@jsii/kernel';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { EXAMPLES } from '../examples';
import * as expose from '../src';
import {
  CONSTRUCTS, enumRef, JsiiClient, METHODS, NAME, OWN, ownProperties, ownTypesOf, PROPERTIES, readBack, readLocal, refFqn, ROOT,
  STATICS, StructEncoding, typeFqns, Wire,
} from './jsii-kernel/client';
import { chart, E, EXAMPLE_RECIPES, pods, RECIPES } from './jsii-kernel/recipes';

// ---------------------------------------------------------------------------------------------

/** The built npm tarball of this package (what the other languages' packages embed). */
function ownTarball(): string {
  const dir = path.join(ROOT, 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) {
    throw new Error(`expected one tarball in dist/js, found ${tarballs.length}: run \`npx projen package:js\` first (the build's test:dist task runs after it)`);
  }
  return path.join(dir, tarballs[0]);
}

/** A dependency's package as a tarball, as the other languages' packages ship it. */
function packDependency(name: string, into: string): { name: string; version: string; tarball: string } {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const tarball = path.join(into, `${name}.tgz`);
  execFileSync('tar', ['czf', tarball, '-C', path.dirname(dir), path.basename(dir)]);
  return { name, version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version, tarball };
}

/** The constructs of this library created in `app`, by path. */
function ownConstructs(root: IConstruct): Map<string, IConstruct> {
  return new Map(root.node.findAll().filter((c) => ownTypesOf(c).length > 0).map((c) => [c.node.path, c]));
}

describe('through the jsii kernel', () => {
  let tmp: string;
  let kernel: Kernel;
  let k: JsiiClient;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-kernel-test-'));
    kernel = new Kernel(() => {
      throw new Error('no callbacks: nothing here overrides a jsii method');
    });
    for (const dependency of ['constructs', 'cdk8s', 'cdk8s-plus-27']) kernel.load(packDependency(dependency, tmp));
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(kernel.load({ name: NAME, version, tarball: ownTarball() })).toStrictEqual({ assembly: NAME, types: Object.keys(OWN).length });
    k = new JsiiClient(kernel);
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => {
    k.structs = 'plain';
  });

  test('every example has a kernel recipe', () => {
    expect(Object.keys(EXAMPLES).filter((id) => !EXAMPLE_RECIPES[id])).toStrictEqual([]);
  });

  describe.each(Object.keys(RECIPES))('%s', (id) => {
    test.each<[StructEncoding, string]>([
      ['plain', 'structs as plain JSON'],
      ['typed', 'structs as $jsii.struct, as the Python and Java runtimes send them'],
    ])('the app built through the kernel (%s: %s) synthesizes the same YAML, guide and properties as in TypeScript', (structs) => {
      k.structs = structs;
      k.typedArguments = 0;
      const recipe = RECIPES[id];
      const local = new App();
      recipe.ts(local);

      const app = k.create('cdk8s.App');
      recipe.kernel(k, app);

      expect(k.invoke(app, 'synthYaml')).toBe(local.synthYaml());
      const guide = k.sinvoke(`${E}.AccessGuide`, 'of', app);
      const localGuide = expose.AccessGuide.of(local);
      expect(k.invoke(guide, 'toMarkdown')).toBe(localGuide.toMarkdown());
      expect(k.invoke(guide, 'toJson')).toStrictEqual(localGuide.toJson());
      expect(readBack(k, guide)).toStrictEqual(readLocal(localGuide, undefined));

      // Every construct of this library in the app, every property read through the kernel.
      const created = new Map<string, unknown>();
      const visit = (ref: api.ObjRef) => {
        if (OWN[refFqn(ref)]) created.set(k.path(ref), readBack(k, ref));
        k.children(ref).forEach(visit);
      };
      k.children(app).forEach(visit);
      const expected = new Map([...ownConstructs(local)].map(([p, c]) => [p, readLocal(c, undefined)]));
      expect([...created.keys()].sort()).toStrictEqual([...expected.keys()].sort());
      expect(Object.fromEntries(created)).toStrictEqual(Object.fromEntries(expected));
      if (structs === 'typed') expect(k.typedArguments).toBeGreaterThan(0);
    });
  });

  test('AccessGuide.writeFiles writes the guide from another language', () => {
    const app = k.create('cdk8s.App');
    EXAMPLE_RECIPES['node-port'](k, app);
    const dir = path.join(tmp, 'guide');
    k.invoke(k.sinvoke(`${E}.AccessGuide`, 'of', app), 'writeFiles', dir);
    const local = new App();
    EXAMPLES['node-port'](local);
    expect(fs.readFileSync(path.join(dir, 'ACCESS.md'), 'utf8')).toBe(expose.AccessGuide.of(local).toMarkdown());
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'access.json'), 'utf8'))).toStrictEqual(expose.AccessGuide.of(local).toJson());
  });

  describe('errors reach the caller in the project format, as in TypeScript', () => {
    /** The message the kernel raises for `build`, and the one TypeScript throws for `local`. */
    function messages(build: (k: JsiiClient, chart: api.ObjRef) => void, local: (chart: Chart) => void): [string, string] {
      let remote = '<no error>';
      try {
        const app = k.create('cdk8s.App');
        build(k, chart(k, app, 'errors'));
        k.invoke(app, 'synthYaml');
      } catch (e) {
        remote = (e as Error).message;
      }
      let mine = '<no error>';
      try {
        const app = new App();
        local(new Chart(app, 'errors'));
        app.synthYaml();
      } catch (e) {
        mine = (e as Error).message;
      }
      return [remote, mine];
    }
    const FORMAT = /^\[errors\/[^\]]+\] \w+: \S+ [^;]+; got .+\. .+/m;

    test('fails if an eager check (a nodePort out of range) does not reach the caller', () => {
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.NodePortService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80, nodePort: 8080 }] }),
        (c) => new expose.NodePortService(c, 'Web', { selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80, nodePort: 8080 }] }),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toMatch(/^\[errors\/Web\] NodePortService: ports\[0\]\.nodePort must be an integer within 30000-32767; got 8080\./);
      expect(remote).toBe(local);
    });

    test('fails if a bad CIDR in a struct list does not reach the caller', () => {
      const props = { podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }], advertiseServiceLoadBalancerIPs: ['10.0.0.0/33'] };
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.PodIpReachability`, c, 'PodIp', props),
        (c) => new expose.PodIpReachability(c, 'PodIp', props),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toBe(local);
    });

    test('fails if a member of another enum (which the kernel passes on) does not reach the caller', () => {
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.NodePortService`, c, 'Web', {
          selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80 }], externalTrafficPolicy: enumRef('IpFamily', 'IPV6'),
        }),
        (c) => new expose.NodePortService(c, 'Web', {
          selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80 }], externalTrafficPolicy: expose.IpFamily.IPV6 as any,
        }),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toBe(local);
    });

    test('a value of the wrong primitive type is refused by the kernel itself, naming the value', () => {
      // The kernel checks primitives against the assembly before the library sees them (and the
      // Python/Java/C#/Go bindings check their types before the kernel): the message is the kernel's.
      const [remote] = messages(
        (kk, c) => kk.create(`${E}.ClusterIpService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: '80' }] }),
        () => undefined,
      );
      expect(remote).toMatch(/got "80" \(string\)/);
    });

    test('an unknown struct key is refused in TypeScript and dropped by the kernel (the bindings refuse it before)', () => {
      // The kernel keeps only a struct's declared fields (@jsii/kernel serialization: "Don't map if
      // unknown property"), so the library never sees a typo sent through the kernel. The bindings
      // refuse it before: Python's generated classes take the fields as keyword arguments (a
      // TypeError), Java builders, C# initializers and Go struct literals do not compile.
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.ClusterIpService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80 }], nmae: 'web' }),
        (c) => new expose.ClusterIpService(c, 'Web', { selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80 }], nmae: 'web' } as any),
      );
      expect(local).toMatch(FORMAT);
      expect(local).toMatch(/nmae is not a property of ClusterIpServiceProps/);
      expect(remote).toBe('<no error>');
    });

    test('fails if a synth-time check (two Services claiming one nodePort) does not reach the caller', () => {
      const twice = (kk: JsiiClient, c: api.ObjRef) => {
        for (const id of ['A', 'B']) kk.create(`${E}.NodePortService`, c, id, { selector: pods(kk, c, `${id}Pods`, { app: id }), ports: [{ port: 80, nodePort: 30080 }] });
      };
      const [remote, local] = messages(twice, (c) => {
        for (const id of ['A', 'B']) new expose.NodePortService(c, id, { selector: kplus.Pods.select(c, `${id}Pods`, { labels: { app: id } }), ports: [{ port: 80, nodePort: 30080 }] });
      });
      expect(remote).toMatch(/30080/);
      expect(remote).toBe(local);
    });
  });

  test('every ClusterProfile factory crosses the boundary, and its facts read back as in TypeScript', () => {
    const cases: Array<[string, Wire[], expose.ClusterProfile]> = [
      ['k3s', [], expose.ClusterProfile.k3s()],
      ['k3d', [{ clusterName: 'dev' }], expose.ClusterProfile.k3d({ clusterName: 'dev' })],
      ['kubeadm', [{ cni: enumRef('Cni', 'CALICO') }], expose.ClusterProfile.kubeadm({ cni: expose.Cni.CALICO })],
      ['eks', [], expose.ClusterProfile.eks()],
      ['gke', [], expose.ClusterProfile.gke()],
      ['aks', [], expose.ClusterProfile.aks()],
    ];
    const props = ownProperties(`${E}.ClusterProfile`);
    expect(props.length).toBeGreaterThanOrEqual(5);
    for (const [factory, args, local] of cases) {
      const remote = k.sinvoke(`${E}.ClusterProfile`, factory, ...args);
      for (const p of props) {
        const expected = readLocal((local as any)[p.name], typeFqns(p.type));
        expect([factory, p.name, readBack(k, k.get(remote, p.name))]).toStrictEqual([factory, p.name, expected]);
      }
    }
    // `of` finds the profile attached to a scope, through the kernel.
    const app = k.create('cdk8s.App');
    const c = chart(k, app, 'profiled');
    const profile = k.sinvoke(`${E}.ClusterProfile`, 'k3s');
    k.invoke(profile, 'applyTo', c);
    const found = k.sinvoke(`${E}.ClusterProfile`, 'of', c);
    expect(k.get(found, 'distribution')).toStrictEqual(k.get(profile, 'distribution'));
  });

  describe('coverage (new API needs a recipe in test/jsii-kernel/recipes.ts)', () => {
    // Runs after the recipes (jest runs tests in order): what they reached through the kernel.
    test('every concrete construct was created through the kernel', () => {
      expect(CONSTRUCTS.length).toBeGreaterThanOrEqual(10);
      expect(CONSTRUCTS.filter((fqn) => !k.created.has(fqn))).toStrictEqual([]);
    });
    test('every static factory was called through the kernel', () => {
      expect(STATICS.length).toBeGreaterThanOrEqual(6);
      expect(STATICS.filter((m) => !k.calledStatic.has(m))).toStrictEqual([]);
    });
    test('every method was called through the kernel', () => {
      expect(METHODS.filter((m) => !k.called.has(m))).toStrictEqual([]);
    });
    test('every property of every class was read back through the kernel', () => {
      expect(PROPERTIES.filter((p) => !k.read.has(p))).toStrictEqual([]);
    });
  });
});
