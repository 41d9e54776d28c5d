/**
 * Makes the compiled package index lazy: `require('cdk8s-expose')` loads one small file, and each
 * export loads its module (and what that imports) the first time it is read. An App that uses
 * `NodePortService` loads the Service modules only, not MetalLB's, Calico's or the route
 * flavours'. This is what aws-cdk-lib does to its index (its `lazify` build step), for the same
 * reason: the cost of loading a construct library is paid by every `cdk8s synth`.
 *
 *   ts-node --transpile-only --project scripts/tsconfig.json scripts/lazy-index.ts lib
 *
 * Run by the compile task after jsii (and by scripts/bench.ts on its own tsc output). src/index.ts
 * stays `export *` (jsii reads it; the `.d.ts` files are unchanged): only `<dir>/index.js` is
 * rewritten, from what TypeScript emitted for it.
 *
 * - The names are those the eager index exported, in its order (the first module to export a name
 *   wins, as with `export *`): each module is loaded here once to list them.
 * - A getter replaces itself with the value on first read, so later reads are plain properties.
 * - The file ends with `0 && (module.exports = { A, B, ... })`, never run: Node's importer of
 *   CommonJS from ES modules reads named exports from that literal (it cannot see through getters).
 * - Running it twice is a no-op: a rewritten index is recognized by its first comment.
 */
import * as fs from 'fs';
import * as path from 'path';

const MARKER = '// Lazy index written by scripts/lazy-index.ts';

/** `__exportStar(require("./x"), exports);`, the line TypeScript emits for `export * from './x'`. */
const EXPORT_STAR = /^__exportStar\(require\("(\.\/[^"]+)"\), exports\);$/;

/** Rewrites `<libDir>/index.js`; returns the number of exports (0 when it was already lazy). */
export function lazifyIndex(libDir: string): number {
  const indexFile = path.resolve(libDir, 'index.js');
  const eager = fs.readFileSync(indexFile, 'utf8');
  if (eager.startsWith(`"use strict";\n${MARKER}`)) return 0;
  const lines = eager.split('\n').filter((line) => line.startsWith('__exportStar('));
  const modules = lines.map((line) => {
    const match = EXPORT_STAR.exec(line);
    if (!match) throw new Error(`lazy-index: ${indexFile} has an export this script does not know: ${line}`);
    return match[1];
  });
  if (modules.length === 0) throw new Error(`lazy-index: ${indexFile} has no \`export *\` line`);

  const owner = new Map<string, string>();
  for (const mod of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const name of Object.keys(require(path.resolve(libDir, mod)))) {
      if (name !== 'default' && name !== '__esModule' && !owner.has(name)) owner.set(name, mod);
    }
  }
  const names = [...owner.keys()];
  const table = modules
    .map((mod) => `  ${JSON.stringify(mod)}: [${names.filter((n) => owner.get(n) === mod).map((n) => JSON.stringify(n)).join(', ')}],`)
    .join('\n');
  fs.writeFileSync(indexFile, [
    '"use strict";',
    MARKER,
    '// from the index TypeScript emitted: each export loads its module on first read.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'const EXPORTS = {',
    table,
    '};',
    'for (const [mod, names] of Object.entries(EXPORTS)) {',
    '  for (const name of names) {',
    '    Object.defineProperty(exports, name, {',
    '      enumerable: true,',
    '      configurable: true,',
    '      get() {',
    '        const value = require(mod)[name];',
    '        Object.defineProperty(exports, name, { enumerable: true, value });',
    '        return value;',
    '      },',
    '    });',
    '  }',
    '}',
    '// Never run: the named exports for Node\'s ES-module importer of CommonJS.',
    `0 && (module.exports = { ${names.join(', ')} });`,
    '',
  ].join('\n'));
  return names.length;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: lazy-index.ts <compiled library directory>');
  const count = lazifyIndex(dir);
  process.stdout.write(count ? `lazy-index: ${dir}/index.js exports ${count} names lazily\n` : `lazy-index: ${dir}/index.js is already lazy\n`);
}
