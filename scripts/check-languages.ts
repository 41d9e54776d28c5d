/**
 * Checks the Python, Java, .NET and Go code that `jsii-pacmak --code-only` generated into dist/
 * (the `package:code` task), as far as this machine can check it offline:
 *
 * - every type of the jsii assembly (`.jsii`: classes, structs, interfaces, enums) has its
 *   generated counterpart in every language, with every own property, method and enum member
 *   and, for a concrete class, its constructor (so each language gets the same API);
 * - the Python package compiles (`python3 -m py_compile` over every generated .py file);
 * - the Java sources parse (`javac`, stopped after parsing: the jsii/cdk8s jars are not here);
 * - the Go sources parse (`gofmt -e`: every syntax error, not formatting — jsii-pacmak's
 *   `--code-only` output is not gofmt-formatted, and formatting is no defect);
 * - the C# sources are well-formed (every file declares a namespace and a type, brackets balance
 *   outside strings and comments; a real C# build needs `dotnet` and the jsii NuGet packages);
 * - the rosetta fixture (rosetta/default.ts-fixture) imports every exported type of the library,
 *   so that README snippets may use any of them.
 *
 * Each syntax check is exported, and test/package-languages.test.ts feeds it a broken file and
 * sees it fail (where its tool is installed), so that no check passes whatever the code.
 *
 * Usage (from the repository root, after `jsii` and `jsii-pacmak --code-only --outdir dist ...`):
 *   ts-node --project test/tsconfig.json scripts/check-languages.ts [dist]
 * Exits 1 and lists every problem when a check fails; a tool that is not installed is skipped
 * with a message (set CHECK_LANGUAGES_REQUIRE_TOOLS=1 to make a missing tool a failure).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = process.cwd();
let DIST = path.resolve(ROOT, 'dist');
const REQUIRE_TOOLS = process.env.CHECK_LANGUAGES_REQUIRE_TOOLS === '1';

export interface JsiiMember {
  readonly name: string;
  readonly static?: boolean;
  readonly protected?: boolean;
}

export interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly datatype?: boolean;
  readonly abstract?: boolean;
  readonly initializer?: unknown;
  readonly properties?: JsiiMember[];
  readonly methods?: JsiiMember[];
  readonly members?: JsiiMember[];
  readonly namespace?: string;
}

interface Assembly {
  readonly name: string;
  readonly types: { [fqn: string]: JsiiType };
  readonly targets: {
    readonly python: { readonly module: string };
    readonly java: { readonly package: string };
    readonly dotnet: { readonly namespace: string; readonly packageId: string };
    readonly go: { readonly moduleName: string; readonly packageName?: string };
  };
}

const problems: string[] = [];
const notes: string[] = [];

function problem(language: string, message: string): void {
  problems.push(`${language}: ${message}`);
}

/** Lowercase alphanumerics only: `service_name`, `getServiceName`, `ServiceName`, `SERVICE_NAME` all contain `servicename`. */
function norm(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function readText(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function listFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

/** Whether `tool` is on the PATH. */
export function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function missingTool(language: string, tool: string, what: string): void {
  const message = `${tool} not installed: ${what} skipped`;
  if (REQUIRE_TOOLS) problem(language, message);
  else notes.push(`${language}: ${message}`);
}

/** The names every language must show for a type: own members and enum members. */
function expectedMembers(type: JsiiType): string[] {
  const own = [...(type.properties ?? []), ...(type.methods ?? []), ...(type.members ?? [])];
  return [...new Set(own.map((m) => m.name))];
}

/**
 * The code without comments and string literals, which name members in the jsii wire format
 * (`_jsii.Get(j, "serviceName", ...)`) whether or not the language-level member exists.
 */
function stripStringsAndComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(?:'''|""")[\s\S]*?(?:'''|""")/g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/^\s*#.*$/gm, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    .replace(/`[^`]*`/g, '``');
}

/**
 * Reports the members of `type` that no identifier of `source` names, in any of the spellings the
 * languages use: `service_name` (Python), `getServiceName` (Java getters), `ServiceName` (C#, Go),
 * `AccessMethod_NODE_PORT` (Go enum constants).
 */
export function missingMembers(type: JsiiType, source: string): string[] {
  const identifiers = new Set([...stripStringsAndComments(source).matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g)].map((m) => norm(m[0])));
  const spellings = (member: string) => [norm(member), `get${norm(member)}`, `${norm(type.name)}${norm(member)}`];
  return expectedMembers(type).filter((m) => !spellings(m).some((s) => identifiers.has(s)));
}

function checkMembers(language: string, type: JsiiType, source: string, where: string): void {
  const missing = missingMembers(type, source);
  if (missing.length > 0) {
    problem(language, `${type.fqn}: ${where} lacks ${missing.join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------

function checkPython(assembly: Assembly, types: JsiiType[]): number {
  const dir = path.join(DIST, 'python');
  const init = path.join(dir, 'src', ...assembly.targets.python.module.split('.'), '__init__.py');
  const source = readText(init);
  if (source === undefined) {
    problem('Python', `no generated package at ${path.relative(ROOT, init)}; run the package:code task first`);
    return 0;
  }
  // Top-level sections: a class runs from its `class X(` line to the next top-level decorator or class.
  const sections = new Map<string, string>();
  const starts = [...source.matchAll(/^class (\w+)\b/gm)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index! : source.length;
    sections.set(m[1], source.slice(m.index!, end));
  });
  for (const type of types) {
    const section = sections.get(type.name);
    if (section === undefined) {
      problem('Python', `${type.fqn}: no \`class ${type.name}\` in ${path.relative(ROOT, init)}`);
      continue;
    }
    checkMembers('Python', type, section, `class ${type.name}`);
    if (isConstructible(type) && !/def __init__\(/.test(section)) {
      problem('Python', `${type.fqn}: class ${type.name} has no __init__`);
    }
  }
  const files = listFiles(dir, '.py');
  const errors = pythonSyntaxErrors(files);
  if (errors === undefined) missingTool('Python', 'python3', 'py_compile');
  else if (errors) problem('Python', `py_compile failed:\n${errors}`);
  return files.length;
}

/**
 * Compiles `files` with `python3 -m py_compile`: the errors, '' when all compile, undefined when
 * python3 is not installed.
 */
export function pythonSyntaxErrors(files: string[]): string | undefined {
  if (!which('python3')) return undefined;
  // Compile into a temp dir so nothing is written next to the sources.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'check-languages-py-'));
  try {
    const result = spawnSync('python3', ['-m', 'py_compile', ...files], {
      encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
    });
    return result.status === 0 ? '' : (result.stderr || result.stdout || `exit status ${result.status}`);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

function checkJava(assembly: Assembly, types: JsiiType[]): number {
  const dir = path.join(DIST, 'java', 'src', 'main', 'java', ...assembly.targets.java.package.split('.'));
  if (!fs.existsSync(dir)) {
    problem('Java', `no generated sources at ${path.relative(ROOT, dir)}; run the package:code task first`);
    return 0;
  }
  for (const type of types) {
    const file = path.join(dir, `${type.name}.java`);
    const source = readText(file);
    if (source === undefined || !new RegExp(`\\b(class|interface|enum) ${type.name}\\b`).test(source)) {
      problem('Java', `${type.fqn}: no ${type.name} declared in ${path.relative(ROOT, file)}`);
      continue;
    }
    checkMembers('Java', type, source, `${type.name}.java`);
    if (isConstructible(type) && !new RegExp(`public ${type.name}\\(`).test(source)) {
      problem('Java', `${type.fqn}: ${type.name}.java has no public constructor`);
    }
  }
  const files = listFiles(path.join(DIST, 'java', 'src'), '.java');
  const errors = javaSyntaxErrors(files);
  if (errors === undefined) missingTool('Java', 'javac', 'the syntax check');
  else if (errors) problem('Java', `javac (parse only) failed:\n${errors}`);
  return files.length;
}

/**
 * Parses `files` with `javac`: the errors, '' when all parse, undefined when javac is not
 * installed. The jsii runtime and cdk8s jars are not available offline, so javac stops after
 * parsing, which still reports every syntax error.
 */
export function javaSyntaxErrors(files: string[]): string | undefined {
  if (!which('javac')) return undefined;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'check-languages-java-'));
  try {
    const result = spawnSync('javac', ['-d', out, '-proc:none', '-XDshould-stop.ifNoError=PARSE', '-XDshould-stop.ifError=PARSE', ...files], { encoding: 'utf8' });
    return result.status === 0 ? '' : (result.stderr || result.stdout || `exit status ${result.status}`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function checkDotnet(assembly: Assembly, types: JsiiType[]): number {
  const { packageId, namespace } = assembly.targets.dotnet;
  const dir = path.join(DIST, 'dotnet', packageId, ...namespace.split('.'));
  if (!fs.existsSync(dir)) {
    problem('.NET', `no generated sources at ${path.relative(ROOT, dir)}; run the package:code task first`);
    return 0;
  }
  for (const type of types) {
    // Structs become an interface `IName` and a class `Name`; both must exist.
    const names = type.datatype ? [`I${type.name}`, type.name] : [type.name];
    for (const name of names) {
      const file = path.join(dir, `${name}.cs`);
      const source = readText(file);
      if (source === undefined || !new RegExp(`\\b(class|interface|enum) ${name}\\b`).test(source)) {
        problem('.NET', `${type.fqn}: no ${name} declared in ${path.relative(ROOT, file)}`);
        continue;
      }
      checkMembers('.NET', type, source, `${name}.cs`);
      if (isConstructible(type) && name === type.name && !new RegExp(`public ${type.name}\\(`).test(source)) {
        problem('.NET', `${type.fqn}: ${name}.cs has no public constructor`);
      }
    }
  }
  const files = listFiles(path.join(DIST, 'dotnet'), '.cs');
  for (const file of files) {
    const errors = csharpStructureErrors(fs.readFileSync(file, 'utf8'), path.basename(file) !== 'AssemblyInfo.cs');
    if (errors.length > 0) problem('.NET', `${path.relative(ROOT, file)}: ${errors.join('; ')}`);
  }
  // A C# build needs dotnet and the jsii runtime NuGet packages, neither of which is here: the
  // structure check above is what runs everywhere.
  if (!which('dotnet')) missingTool('.NET', 'dotnet', 'the C# build (the structure check ran)');
  return files.length;
}

/**
 * What is wrong with the shape of a generated C# file: no namespace or no type (when it
 * `declaresType`; AssemblyInfo.cs holds only attributes), or brackets that do not balance outside
 * strings, characters and comments. [] when it is well-formed.
 */
export function csharpStructureErrors(source: string, declaresType = true): string[] {
  const errors: string[] = [];
  const pairs: { [close: string]: string } = { '}': '{', ')': '(', ']': '[' };
  const stack: { char: string; line: number }[] = [];
  let code = '';
  let line = 1;
  let i = 0;
  // One pass: skip comments, strings (regular, verbatim @"..." with "" escapes) and characters.
  const skipTo = (end: number) => {
    for (; i < end && i < source.length; i++) if (source[i] === '\n') line++;
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const eol = source.indexOf('\n', i);
      skipTo(eol < 0 ? source.length : eol);
    } else if (c === '/' && next === '*') {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) {
        errors.push(`line ${line}: comment never closed`);
        break;
      }
      skipTo(close + 2);
    } else if (c === '@' && next === '"') {
      let j = i + 2;
      while (j < source.length && !(source[j] === '"' && source[j + 1] !== '"')) j += source[j] === '"' ? 2 : 1;
      if (j >= source.length) errors.push(`line ${line}: string never closed`);
      skipTo(j + 1);
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      if (source[j] !== c) errors.push(`line ${line}: ${c === '"' ? 'string' : 'character'} never closed`);
      skipTo(j + 1);
    } else {
      if (c === '{' || c === '(' || c === '[') {
        stack.push({ char: c, line });
      } else if (pairs[c]) {
        const open = stack.pop();
        if (open?.char !== pairs[c]) errors.push(`line ${line}: unexpected '${c}'${open ? ` (open '${open.char}' from line ${open.line})` : ''}`);
      }
      code += c;
      skipTo(i + 1);
    }
  }
  for (const open of stack) errors.push(`line ${open.line}: '${open.char}' never closed`);
  if (declaresType && !/^\s*namespace\s+[\w.]+/m.test(code)) errors.push('no namespace declaration');
  if (declaresType && !/\b(class|interface|enum|struct)\s+\w+/.test(code)) errors.push('no type declaration');
  return errors.slice(0, 5);
}

function checkGo(_assembly: Assembly, types: JsiiType[]): number {
  const goRoot = path.join(DIST, 'go');
  const modules = listFiles(goRoot, 'go.mod').map((f) => path.dirname(f))
    .filter((d) => !d.includes(`${path.sep}jsii${path.sep}`) && !d.includes(`${path.sep}internal${path.sep}`));
  if (modules.length !== 1) {
    problem('Go', `expected one generated Go module under ${path.relative(ROOT, goRoot)}, found ${modules.length}; run the package:code task first`);
    return 0;
  }
  const dir = modules[0];
  for (const type of types) {
    const file = path.join(dir, `${type.name}.go`);
    const source = readText(file);
    if (source === undefined || !new RegExp(`^type ${type.name} `, 'm').test(source)) {
      problem('Go', `${type.fqn}: no \`type ${type.name}\` in ${path.relative(ROOT, file)}`);
      continue;
    }
    checkMembers('Go', type, source, `${type.name}.go`);
    if (isConstructible(type) && !new RegExp(`^func New${type.name}\\(`, 'm').test(source)) {
      problem('Go', `${type.fqn}: ${type.name}.go has no New${type.name}()`);
    }
  }
  const files = listFiles(goRoot, '.go');
  const errors = goSyntaxErrors(goRoot);
  if (errors === undefined) missingTool('Go', 'gofmt', 'the Go syntax check');
  else if (errors) problem('Go', `gofmt -e reports syntax errors:\n${errors}`);
  return files.length;
}

/**
 * Parses every .go file under `dir` with `gofmt -e` (all errors, not only the first ten): the
 * errors, '' when all parse, undefined when gofmt is not installed. Formatting is not checked:
 * jsii-pacmak's `--code-only` output is not gofmt-formatted (its real Go build runs gofmt).
 */
export function goSyntaxErrors(dir: string): string | undefined {
  if (!which('gofmt')) return undefined;
  // -l lists unformatted files instead of printing every file; that list is ignored.
  const result = spawnSync('gofmt', ['-e', '-l', dir], { encoding: 'utf8' });
  return result.status === 0 && result.stderr.trim() === '' ? '' : (result.stderr || `exit status ${result.status}`);
}

/** A class users instantiate: concrete, with a public constructor. */
function isConstructible(type: JsiiType): boolean {
  return type.kind === 'class' && !type.abstract && type.initializer !== undefined;
}

// ---------------------------------------------------------------------------------------------

/** The default rosetta fixture must bring every exported type into scope for README snippets. */
function checkRosettaFixture(types: JsiiType[]): void {
  const file = path.join(ROOT, 'rosetta', 'default.ts-fixture');
  const source = readText(file);
  if (source === undefined) {
    problem('rosetta', `${path.relative(ROOT, file)} is missing`);
    return;
  }
  const imported = new Set<string>();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'cdk8s-expose'/g)) {
    for (const name of m[1].split(',')) imported.add(name.trim().split(/\s+as\s+/)[0]);
  }
  const missing = types.filter((t) => !t.namespace).map((t) => t.name).filter((n) => !imported.has(n));
  if (missing.length > 0) {
    problem('rosetta', `${path.relative(ROOT, file)} does not import ${missing.join(', ')} from 'cdk8s-expose'; add them so README snippets can use them`);
  }
}

function main(): void {
  DIST = path.resolve(ROOT, process.argv[2] ?? 'dist');
  const assemblyFile = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assemblyFile)) {
    console.error('check-languages: no .jsii assembly in the current directory; run `jsii` (the compile task) first.');
    process.exit(1);
  }
  const assembly: Assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
  const types = Object.values(assembly.types).sort((a, b) => a.fqn.localeCompare(b.fqn));
  const counts = {
    'Python': checkPython(assembly, types),
    'Java': checkJava(assembly, types),
    '.NET': checkDotnet(assembly, types),
    'Go': checkGo(assembly, types),
  };
  checkRosettaFixture(types);

  const kinds = types.reduce((acc, t) => ({ ...acc, [t.kind]: (acc[t.kind] ?? 0) + 1 }), {} as { [kind: string]: number });
  console.log(`check-languages: ${types.length} types in ${assembly.name} (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
  for (const [language, files] of Object.entries(counts)) {
    console.log(`  ${language.padEnd(7)} ${String(files).padStart(4)} generated files checked`);
  }
  for (const note of notes) console.log(`  note: ${note}`);
  if (problems.length > 0) {
    console.error(`\ncheck-languages: FAILED, ${problems.length} problem(s):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log('check-languages: OK');
}

if (require.main === module) {
  main();
}
