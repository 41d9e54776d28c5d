/**
 * The API reference in every language.
 *
 * `jsii-docgen -l python -l java -l csharp -l go --readme -o docs/api/API.md` (the
 * `docgen:languages` task, after `rosetta:extract` has translated every snippet into the tablet)
 * writes docs/api/API.<language>.md: the README, its examples and the reference, in that language.
 * This script then
 *
 * - links them from API.md (under its title), and
 * - checks each: every TypeScript snippet of the README has its translation (as many code blocks
 *   of the language as the README has TypeScript blocks, and no TypeScript block left).
 *
 * Usage: ts-node --project scripts/tsconfig.json scripts/api-docs.ts
 */
import * as fs from 'fs';
import * as path from 'path';

/** The languages, their jsii-docgen name, their Markdown code-block tag and their name for readers. */
export const LANGUAGES = [
  { docgen: 'python', fence: 'python', title: 'Python' },
  { docgen: 'java', fence: 'java', title: 'Java' },
  { docgen: 'csharp', fence: 'csharp', title: 'C#' },
  { docgen: 'go', fence: 'go', title: 'Go' },
];

/** Where the per-language references are. */
export const API_DIR = path.join('docs', 'api');

const LINKS_START = '<!-- languages:start -->';
const LINKS_END = '<!-- languages:end -->';

/** The README's TypeScript code blocks (```ts, ```ts nofixture, ```typescript). */
export function countBlocks(markdown: string, fence: string): number {
  const tags = fence === 'ts' ? ['ts', 'typescript'] : [fence];
  return [...markdown.matchAll(/^```(\w+)/gm)].filter((m) => tags.includes(m[1])).length;
}

/** API.md with the links to the other languages under its title (replacing earlier links). */
export function withLanguageLinks(apiMd: string): string {
  const links = LANGUAGES.map((l) => `[${l.title}](./${API_DIR}/API.${l.docgen}.md)`).join(' · ');
  const block = `${LINKS_START}\n**Other languages:** ${links} — the README, its examples and this reference, translated by jsii-rosetta.\n${LINKS_END}`;
  const cleaned = apiMd.replace(new RegExp(`${LINKS_START}[\\s\\S]*?${LINKS_END}\\n\\n`), '');
  const [title, ...rest] = cleaned.split('\n');
  return [title, '', block, ...rest].join('\n');
}

function main(): void {
  const root = process.cwd();
  const problems: string[] = [];
  const readmeBlocks = countBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), 'ts');
  for (const language of LANGUAGES) {
    const file = path.join(root, API_DIR, `API.${language.docgen}.md`);
    if (!fs.existsSync(file)) {
      problems.push(`${path.relative(root, file)} is missing (jsii-docgen -l ${language.docgen} --readme)`);
      continue;
    }
    const markdown = fs.readFileSync(file, 'utf8');
    const translated = countBlocks(markdown, language.fence);
    const untranslated = countBlocks(markdown, 'ts');
    if (translated < readmeBlocks || untranslated > 0) {
      problems.push(`${path.relative(root, file)}: ${translated} ${language.title} blocks for the README's ${readmeBlocks} TypeScript ones, ${untranslated} left in TypeScript`);
    }
  }
  const apiMd = path.join(root, 'API.md');
  fs.writeFileSync(apiMd, withLanguageLinks(fs.readFileSync(apiMd, 'utf8')));
  if (problems.length > 0) {
    console.error(`api-docs: FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`api-docs: ${LANGUAGES.map((l) => l.title).join(', ')} references in ${API_DIR}/, linked from API.md (README: ${readmeBlocks} TypeScript blocks, each translated)`);
}

if (require.main === module) {
  main();
}
