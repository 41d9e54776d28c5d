/**
 * Renders every Mermaid diagram the access guides hold with the Mermaid library in headless
 * Chromium, to standalone SVG (well-formed XML): the committed guides (docs/access-guides/*.md) and, when
 * `npx projen synth:examples` has run, each example's examples.out/<id>/ACCESS.md. A diagram that
 * Mermaid cannot parse or render fails the check.
 *
 * The browser is the system Chromium (Debian's `chromium` package, /usr/bin/chromium; set
 * CHROMIUM_PATH for another), driven by playwright-core with a new empty profile; nothing comes
 * from the network (mermaid's JS is read from node_modules, every request is aborted). Before the
 * guides, a broken diagram must fail to render, so that the check cannot pass whatever it is fed.
 *
 * Where Chromium is not installed the check is skipped with a message, except in CI (CI=true),
 * where it fails: `.ci/run` installs it.
 *
 * Usage: ts-node --project scripts/tsconfig.json scripts/render-diagrams.ts [outdir]
 * (the `check:diagrams` task; SVGs go to diagrams.out/, git-ignored).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';

/** Where the system Chromium is. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** One diagram: where it comes from and its Mermaid source. */
export interface Diagram {
  /** `<file>#<n>`: the file and the diagram's number in it (from 1). */
  readonly name: string;
  readonly source: string;
}

/** What rendering one diagram gave: the SVG, or Mermaid's error. */
export interface Rendered {
  readonly name: string;
  readonly svg?: string;
  readonly error?: string;
}

/** The ```mermaid blocks of a Markdown file. */
export function mermaidBlocks(file: string, markdown: string): Diagram[] {
  return [...markdown.matchAll(/^```mermaid[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)].map((m, i) => ({ name: `${file}#${i + 1}`, source: m[1] }));
}

/** Whether the system Chromium is installed. */
export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Renders each diagram with Mermaid in headless Chromium. */
export async function renderDiagrams(diagrams: Diagram[]): Promise<Rendered[]> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'render-diagrams-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, offline: true,
  });
  try {
    // Nothing from the network: the page is set inline, mermaid's JS is injected from node_modules.
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    // SVG text labels, not HTML in <foreignObject> (whose `<br>` makes a standalone .svg file
    // malformed XML).
    await page.evaluate(() => (globalThis as any).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', htmlLabels: false, flowchart: { htmlLabels: false } }));
    const results: Rendered[] = [];
    for (const [i, diagram] of diagrams.entries()) {
      const result = await page.evaluate(async ({ id, source }) => {
        try {
          const { svg } = await (globalThis as any).mermaid.render(id, source);
          // The SVG must stand alone: well-formed XML, an <svg> root.
          const doc = new (globalThis as any).DOMParser().parseFromString(svg, 'image/svg+xml');
          const parseError = doc.getElementsByTagName('parsererror')[0];
          if (parseError || doc.documentElement.nodeName !== 'svg') {
            return { error: `the SVG is not well-formed: ${parseError?.textContent ?? doc.documentElement.nodeName}` };
          }
          return { svg: svg as string };
        } catch (e) {
          return { error: String((e as Error)?.message ?? e) };
        }
      }, { id: `diagram${i}`, source: diagram.source });
      results.push({ name: diagram.name, ...result });
    }
    return results;
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The guides' diagrams: committed guides and, when synthesized, the examples' ACCESS.md. */
function guideDiagrams(root: string): Diagram[] {
  const files: string[] = [];
  const guides = path.join(root, 'docs', 'access-guides');
  if (fs.existsSync(guides)) files.push(...fs.readdirSync(guides).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(guides, f)));
  const examples = path.join(root, 'examples.out');
  if (fs.existsSync(examples)) {
    for (const id of fs.readdirSync(examples).sort()) {
      const file = path.join(examples, id, 'ACCESS.md');
      if (fs.existsSync(file)) files.push(file);
    }
  }
  return files.flatMap((f) => mermaidBlocks(path.relative(root, f), fs.readFileSync(f, 'utf8')));
}

/** A diagram Mermaid must refuse: an edge to nowhere. */
export const BROKEN_DIAGRAM: Diagram = { name: 'self-test (broken)', source: 'flowchart LR\n  client([client]) -->\n' };

async function main(): Promise<void> {
  const root = process.cwd();
  const outdir = path.resolve(root, process.argv[2] ?? 'diagrams.out');
  if (!hasChromium()) {
    const message = `render-diagrams: ${CHROMIUM} not installed (apt-get install -y chromium)`;
    if (process.env.CI === 'true') {
      console.error(`${message}: required in CI`);
      process.exit(1);
    }
    console.log(`${message}: the diagram check is skipped`);
    return;
  }
  const diagrams = guideDiagrams(root);
  if (diagrams.length === 0) {
    console.error('render-diagrams: no Mermaid diagram found in docs/access-guides/ or examples.out/');
    process.exit(1);
  }
  const [selfTest, ...results] = await renderDiagrams([BROKEN_DIAGRAM, ...diagrams]);
  const problems: string[] = [];
  if (!selfTest.error) problems.push('a broken diagram rendered without an error: this check cannot fail');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  for (const r of results) {
    if (r.error || !r.svg?.startsWith('<svg')) {
      problems.push(`${r.name}: ${r.error ?? 'no SVG'}`);
      continue;
    }
    const file = path.join(outdir, `${r.name.replace(/[\\/]/g, '_').replace(/\.md#/, '-')}.svg`);
    fs.writeFileSync(file, r.svg);
  }
  const files = new Set(diagrams.map((d) => d.name.replace(/#\d+$/, ''))).size;
  console.log(`render-diagrams: ${results.length} Mermaid diagrams from ${files} guides rendered in Chromium to ${path.relative(root, outdir)}/ (a broken one was refused: ${selfTest.error ? 'yes' : 'no'})`);
  if (problems.length > 0) {
    console.error(`render-diagrams: FAILED, ${problems.length} problem(s):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
