/**
 * The npm tarball holds what a user needs and nothing of the build: `npm pack --dry-run --json`
 * lists the files it would pack, and every one must match the allow-list below, and everything a
 * user needs must be there.
 *
 * Needs the compiled library (lib/, .jsii): it runs in the `test:dist` task, which the build
 * spawns after `package:js` (`npx projen test:dist` after a build to run it alone).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** What the tarball may hold: the compiled library, its jsii assembly and the docs npm shows. */
const ALLOWED: RegExp[] = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  // The jsii assembly: the Python/Java/.NET/Go packages embed this tarball and load it from here.
  /^\.jsii$/,
  // The compiled library (and any bin under it, such as lib/verify/), its declarations.
  /^lib\/.+\.(js|d\.ts)$/,
];

/** What a user of the package needs. */
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'lib/index.js', 'lib/index.d.ts'];

interface PackedFile {
  readonly path: string;
}

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(out) as { files: PackedFile[] }[];
  return pack.files.map((f) => f.path).sort();
}

describe('npm tarball', () => {
  let files: string[];
  beforeAll(() => {
    files = packedFiles();
  });

  test('holds only allowed files (nothing of the build: no .ci, crds, src, test, examples, scripts, docs)', () => {
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toStrictEqual([]);
  });

  test('holds what a user needs', () => {
    expect(REQUIRED.filter((f) => !files.includes(f))).toStrictEqual([]);
  });

  test('holds the declarations of every compiled module', () => {
    const js = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js')).map((f) => f.replace(/\.js$/, ''));
    expect(js.length).toBeGreaterThan(10);
    expect(js.filter((f) => !files.includes(`${f}.d.ts`))).toStrictEqual([]);
  });

  test('the allow-list refuses what the build leaves behind', () => {
    const denied = ['.ci/run', 'crds/README.md', 'crds/metallb-crds.yaml', 'src/index.ts', 'test/util.ts',
      'examples/main.ts', 'scripts/bench.ts', 'docs/access-guides/node-port.md', 'tsconfig.json', '.projenrc.ts', 'lib/.tsbuildinfo'];
    expect(denied.filter((f) => ALLOWED.some((re) => re.test(f)))).toStrictEqual([]);
  });
});
