/**
 * The build step that makes the package index lazy (scripts/lazy-index.ts), on a small compiled
 * library written to a temporary directory: the names and their owners are those of `export *`,
 * nothing is loaded before an export is read, and the step refuses an index it does not know.
 * test/lazy-index-dist.test.ts checks the built package itself.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lazifyIndex } from '../scripts/lazy-index';

/** What TypeScript emits for `export * from './<name>'` (the helpers left out: not read). */
const exportStar = (mod: string) => `__exportStar(require("./${mod}"), exports);`;

function library(files: { [file: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-index-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Runs `script` in a fresh node process with `lib` bound to the library; returns its stdout. */
function inFreshNode(dir: string, script: string): string {
  return execFileSync(process.execPath, ['-e', `const lib = require(${JSON.stringify(dir)});\n${script}`], { encoding: 'utf8' }).trim();
}

const SAMPLE = {
  'index.js': ['"use strict";', 'Object.defineProperty(exports, "__esModule", { value: true });',
    exportStar('a/first'), exportStar('b'), '//# sourceMappingURL=data:application/json;base64,e30='].join('\n'),
  // Each module records that it was loaded.
  'a/first.js': 'globalThis.loaded = [...(globalThis.loaded ?? []), "a"]; exports.Shared = "from a"; exports.OnlyA = 1;',
  'b.js': 'globalThis.loaded = [...(globalThis.loaded ?? []), "b"]; exports.Shared = "from b"; exports.OnlyB = 2; exports.default = 3;',
};

describe('lazifyIndex', () => {
  test('exports the names of `export *`, the first module to export a name winning', () => {
    const dir = library(SAMPLE);
    expect(lazifyIndex(dir)).toBe(3);
    expect(inFreshNode(dir, 'console.log(JSON.stringify({ keys: Object.keys(lib), shared: lib.Shared, a: lib.OnlyA, b: lib.OnlyB }))'))
      .toBe(JSON.stringify({ keys: ['Shared', 'OnlyA', 'OnlyB'], shared: 'from a', a: 1, b: 2 }));
  });

  test('loads a module on the first read of one of its exports, and only that module', () => {
    const dir = library(SAMPLE);
    lazifyIndex(dir);
    expect(inFreshNode(dir, [
      'const before = globalThis.loaded ?? [];',
      'const b = lib.OnlyB;',
      'const afterB = [...globalThis.loaded];',
      'lib.OnlyB; lib.OnlyA; lib.Shared;',
      'console.log(JSON.stringify([before, afterB, globalThis.loaded, Object.getOwnPropertyDescriptor(lib, "OnlyB").value, b]))',
    ].join('\n'))).toBe(JSON.stringify([[], ['b'], ['b', 'a'], 2, 2]));
  });

  test('leaves the names to Node\'s importer of CommonJS from ES modules', () => {
    const dir = library(SAMPLE);
    lazifyIndex(dir);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `import { Shared, OnlyB } from ${JSON.stringify(path.join(dir, 'index.js'))}; console.log(Shared, OnlyB);`], { encoding: 'utf8' });
    expect(out.trim()).toBe('from a 2');
  });

  test('is a no-op on an index it already rewrote', () => {
    const dir = library(SAMPLE);
    lazifyIndex(dir);
    const once = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(lazifyIndex(dir)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toBe(once);
  });

  test('refuses an index with an export it does not know, or none', () => {
    const odd = library({ ...SAMPLE, 'index.js': `${exportStar('b')}\n__exportStar(require(other), exports);\n` });
    expect(() => lazifyIndex(odd)).toThrow(/has an export this script does not know: __exportStar\(require\(other\), exports\);/);
    const empty = library({ ...SAMPLE, 'index.js': '"use strict";\n' });
    expect(() => lazifyIndex(empty)).toThrow(/has no `export \*` line/);
  });
});
