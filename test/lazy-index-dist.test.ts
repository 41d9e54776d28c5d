/**
 * The built package's index is lazy (scripts/lazy-index.ts, run by the compile task after jsii):
 * `require('cdk8s-expose')` loads that one file, every class and enum of the jsii assembly is
 * there, and each works when it is the first (and only) export a program reads, which is where
 * a cycle between modules would show: a class whose base is not yet defined.
 *
 * Needs lib/ and .jsii: it runs in the `test:dist` task, after `package:js`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

/** Runs `script` in a fresh node process, with `lib` the package's main module; returns its stdout. */
function inFreshNode(script: string): string {
  return execFileSync(process.execPath, ['-e', `const lib = require(${JSON.stringify(LIB)});\n${script}`], { encoding: 'utf8' }).trim();
}

/** The classes and enums of the assembly (interfaces have no value at run time). */
const TYPES: { name: string; kind: string }[] = Object.values(
  JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')).types as { [fqn: string]: { name: string; kind: string; namespace?: string } })
  .filter((t) => (t.kind === 'class' || t.kind === 'enum') && t.namespace === undefined)
  .map((t) => ({ name: t.name, kind: t.kind }));

test('the index is the lazy one, over the modules src/index.ts exports, in its order', () => {
  const index = fs.readFileSync(path.join(LIB, 'index.js'), 'utf8');
  expect(index).toContain('// Lazy index written by scripts/lazy-index.ts');
  const source = [...fs.readFileSync(path.join(ROOT, 'src', 'index.ts'), 'utf8').matchAll(/^export \* from '(\.\/[^']+)';$/gm)].map((m) => m[1]);
  const lazy = [...index.matchAll(/^ {2}"(\.\/[^"]+)": \[/gm)].map((m) => m[1]);
  expect(source.length).toBeGreaterThan(10);
  expect(lazy).toEqual(source);
});

test('require() loads the index only; reading NodePortService loads the Service modules, not the others', () => {
  // Not the other patterns, nor what a NodePortService without allowFrom and without a profile
  // does not use: the NetworkPolicy module (lazy, policy/lazy.ts), the profile and its rules.
  const notLoaded = ['metallb/', 'calico/', 'ingress/', 'proxy/', 'verify/', 'imports/', 'core/network-policy.js', 'core/families.js',
    'profile/cluster-profile.js', 'profile/profile-rules.js'];
  const loaded = JSON.parse(inFreshNode([
    `const ours = () => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(LIB + path.sep)})).map((f) => f.slice(${LIB.length + 1}));`,
    'const atRequire = ours();',
    'void lib.NodePortService;',
    'console.log(JSON.stringify({ atRequire, afterRead: ours() }));',
  ].join('\n')));
  expect(loaded.atRequire).toEqual(['index.js']);
  expect(loaded.afterRead).toContain('service/node-port.js');
  for (const other of notLoaded) {
    expect(loaded.afterRead.filter((f: string) => f.startsWith(other))).toEqual([]);
  }
});

test.each(TYPES.map((t) => [t.name, t.kind]))('%s (%s) works as the first export a program reads', (name, kind) => {
  // A class is a function with its jsii type info; an enum an object of its members.
  const out = inFreshNode([
    `const value = lib[${JSON.stringify(name)}];`,
    'const fqn = typeof value === "function" ? value[Symbol.for("jsii.rtti")]?.fqn : undefined;',
    'console.log(JSON.stringify({ type: typeof value, fqn, members: typeof value === "object" ? Object.keys(value).length : 0 }));',
  ].join('\n'));
  const { type, fqn, members } = JSON.parse(out);
  if (kind === 'class') {
    expect({ type, fqn }).toEqual({ type: 'function', fqn: `cdk8s-expose.${name}` });
  } else {
    expect(type).toBe('object');
    expect(members).toBeGreaterThan(0);
  }
}, 30_000);

test('an App built from the lazy index synthesizes, and ES modules import its names', () => {
  const yaml = inFreshNode([
    'const { App, Chart } = require("cdk8s"); const kplus = require("cdk8s-plus-27");',
    'const app = new App(); const chart = new Chart(app, "demo");',
    'const web = new kplus.Deployment(chart, "Web", { containers: [{ image: "nginx", portNumber: 8080 }] });',
    'new lib.NodePortService(chart, "Svc", { selector: web, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] });',
    'console.log(app.synthYaml());',
  ].join('\n'));
  expect(yaml).toMatch(/type: NodePort/);
  expect(yaml).toMatch(/nodePort: 30080/);
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e',
    `import { NodePortService, RouteFlavour, IpFamily } from ${JSON.stringify(path.join(LIB, 'index.js'))};
     console.log(typeof NodePortService, typeof RouteFlavour.traefik, IpFamily.IPV4);`], { encoding: 'utf8' });
  expect(esm.trim()).toBe('function function IPv4');
});
