/**
 * The language checks of scripts/check-languages.ts (the `check:languages` task) can fail: each
 * syntax check is fed a broken file and must report it, and a correct one and must pass it. A
 * check whose tool is not installed is skipped, and its test says so in its name.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  csharpStructureErrors, goSyntaxErrors, javaSyntaxErrors, JsiiType, missingMembers, pythonSyntaxErrors, which,
} from '../scripts/check-languages';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-languages-test-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (name to content) into a new folder and returns their paths. */
function write(files: { [name: string]: string }): string[] {
  const sub = fs.mkdtempSync(path.join(dir, 'case-'));
  return Object.entries(files).map(([name, content]) => {
    const file = path.join(sub, name);
    fs.writeFileSync(file, content);
    return file;
  });
}

/** `test`, or `test.skip` with the reason in its name when `tool` is not installed. */
function withTool(tool: string): (name: string, fn: () => void) => void {
  return which(tool) ? test : (name, fn) => test.skip(`${name} (skipped: ${tool} not installed)`, fn);
}

describe('Python (py_compile)', () => {
  withTool('python3')('fails if a file has a syntax error', () => {
    const errors = pythonSyntaxErrors(write({ 'ok.py': 'x = 1\n', 'broken.py': 'def f(:\n    pass\n' }));
    expect(errors).toMatch(/broken\.py/);
    expect(errors).toMatch(/SyntaxError/);
  });
  withTool('python3')('passes correct files', () => {
    expect(pythonSyntaxErrors(write({ 'ok.py': 'class A:\n    def f(self) -> int:\n        return 1\n' }))).toBe('');
  });
});

describe('Java (javac, parse only)', () => {
  withTool('javac')('fails if a file has a syntax error', () => {
    const errors = javaSyntaxErrors(write({ 'A.java': 'public class A { void f( }\n' }));
    expect(errors).toMatch(/A\.java:1: error/);
  });
  withTool('javac')('passes a file that parses although its imports do not exist here', () => {
    expect(javaSyntaxErrors(write({ 'A.java': 'import software.amazon.jsii.JsiiObject;\npublic class A extends JsiiObject { }\n' }))).toBe('');
  });
});

describe('Go (gofmt -e)', () => {
  withTool('gofmt')('fails if a file has a syntax error', () => {
    const [file] = write({ 'broken.go': 'package x\n\nfunc f( {\n}\n' });
    expect(goSyntaxErrors(path.dirname(file))).toMatch(/broken\.go:3/);
  });
  withTool('gofmt')('passes code that parses but is not gofmt-formatted (as jsii-pacmak writes it)', () => {
    const [file] = write({ 'ok.go': 'package x\n\n\n\nfunc  F()  int {\n\n  return 1\n}\n' });
    expect(goSyntaxErrors(path.dirname(file))).toBe('');
  });
});

describe('C# (structure)', () => {
  const ok = [
    'using Amazon.JSII.Runtime.Deputy;',
    'namespace Cdk8sExpose',
    '{',
    '    /// <summary>See https://kubernetes.io/docs/ (a URL in a comment)</summary>',
    '    [JsiiClass(nativeType: typeof(A), fullyQualifiedName: "cdk8s-expose.A", parametersJson: "[{\\"name\\":\\"x\\"}]")]',
    '    public class A',
    '    {',
    '        public string P => @"a ""quoted"" ) }";',
    '        public char C => \'{\';',
    '    }',
    '}',
  ].join('\n');

  test('passes a well-formed file (brackets inside strings, characters and comments do not count)', () => {
    expect(csharpStructureErrors(ok)).toStrictEqual([]);
  });
  test('fails if a bracket is not closed', () => {
    expect(csharpStructureErrors(ok.replace('    public class A\n    {', '    public class A\n    {{'))).toStrictEqual([
      "line 3: '{' never closed",
    ]);
  });
  test('fails if a bracket closes what it did not open', () => {
    expect(csharpStructureErrors(ok.replace('public class A', 'public class A)')).join('\n')).toMatch(/line 6: unexpected '\)'/);
  });
  test('fails if a string is not closed', () => {
    expect(csharpStructureErrors(ok.replace('@"a ""quoted"" ) }"', '"a ) }')).join('\n')).toMatch(/line 8: string never closed/);
  });
  test('fails if a type file declares no namespace or type', () => {
    expect(csharpStructureErrors('using System;\n')).toStrictEqual(['no namespace declaration', 'no type declaration']);
    expect(csharpStructureErrors('[assembly: JsiiAssembly("x", "0.0.0", "x.tgz")]\n', false)).toStrictEqual([]);
  });
});

describe('every member in every language', () => {
  const type: JsiiType = {
    fqn: 'cdk8s-expose.Thing',
    name: 'Thing',
    kind: 'class',
    properties: [{ name: 'serviceName' }, { name: 'accessPoints' }],
    methods: [{ name: 'addPort' }],
  };
  test('finds every spelling the languages use', () => {
    expect(missingMembers(type, 'def service_name(self): ...\ndef access_points(self): ...\ndef add_port(self): ...')).toStrictEqual([]);
    expect(missingMembers(type, 'String getServiceName(); List getAccessPoints(); void addPort();')).toStrictEqual([]);
    expect(missingMembers(type, 'ServiceName() *string\nAccessPoints() *[]AccessPoint\nAddPort()')).toStrictEqual([]);
  });
  test('fails if a member is only named in a string or a comment', () => {
    expect(missingMembers(type, '// accessPoints\n_jsii.Get(j, "serviceName", &r)\nfunc (t *thing) AddPort() {}')).toStrictEqual([
      'serviceName', 'accessPoints',
    ]);
  });
});
