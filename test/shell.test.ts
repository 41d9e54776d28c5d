import { execFileSync } from 'child_process';
import { shellCommand, shellFlag, shellQuote } from '../src/core/shell';

/** What `sh` passes to a program for the command line (each argument NUL-terminated by printf). */
function argumentsOf(commandLine: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = ['/a$HOME/b', '/$(touch /tmp/x)', '/a;rm -rf b', '/a&b', 'it\'s', '/a b', '`id`', '*', 'a|b', '~', '#x', '', '\'', '"', '\\', 'a\nb', '{a,b}'];

describe('shell quoting', () => {
  test.each(HOSTILE)('an argument with shell syntax (%j) reaches the program as written', (arg) => {
    expect(argumentsOf(shellQuote(arg))).toEqual([arg]);
  });

  test('a whole command line keeps every argument apart', () => {
    const args = ['curl', '-v', 'http://example.com/a$b(c);d&e\'f'];
    expect(argumentsOf(shellCommand(...args.slice(1)))).toEqual(args.slice(1));
    expect(shellCommand(...args)).toBe('curl -v \'http://example.com/a$b(c);d&e\'\\\'\'f\'');
  });

  test('ordinary words and placeholders stay bare; a flag keeps its name outside the quotes', () => {
    expect(shellCommand('kubectl', '-n', 'web', 'get', 'pods', '-l', 'app.kubernetes.io/name=web,tier=front')).toBe(
      'kubectl -n web get pods -l app.kubernetes.io/name=web,tier=front');
    expect(shellCommand('nc', '-vz', '<node-ip>', '30080')).toBe('nc -vz <node-ip> 30080');
    expect(shellQuote('http://<node-ip>:30080/a b')).toBe('\'http://<node-ip>:30080/a b\'');
    expect(shellQuote('<not a placeholder>')).toBe('\'<not a placeholder>\'');
    expect(shellFlag('jsonpath', '{.spec.ports[0].nodePort}')).toBe('jsonpath=\'{.spec.ports[0].nodePort}\'');
    expect(argumentsOf(shellFlag('--accept-paths', '^/api/v1/namespaces/a/services/(?:b|c)/proxy(?:/.*)?$'))).toEqual(
      ['--accept-paths=^/api/v1/namespaces/a/services/(?:b|c)/proxy(?:/.*)?$']);
  });
});
