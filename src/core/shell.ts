/**
 * Shell quoting for every command the library prints (access guide test and lookup commands,
 * `kubectl proxy` command lines): one helper, so that a path or name holding `$`, `(`, `;`, `&`,
 * `'` or a space reaches the program as written instead of being run by the shell.
 *
 * Arguments made only of characters no POSIX shell treats specially are left bare, so ordinary
 * commands read as people write them. A placeholder for a value only known on the cluster,
 * written `<name>` (`<node-ip>`, `<pod-name>`), is kept as it is, to be replaced by the reader:
 * it counts as safe inside an argument, and an argument that needs quotes anyway keeps it inside
 * them (`'http://<node-ip>:30080/a b'`), where replacing it is still safe.
 */

/** Characters no POSIX shell treats specially in an unquoted word. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A placeholder the reader replaces: `<node-ip>`, `<load-balancer-ip>`, `<pod-name>`. */
const PLACEHOLDER = /<[a-z0-9-]+>/g;

/**
 * The argument as one shell word: bare when it holds only safe characters (and placeholders),
 * else in single quotes, each `'` written `'\''`.
 */
export function shellQuote(arg: string): string {
  const text = String(arg);
  if (text.length > 0 && SAFE.test(text.replace(PLACEHOLDER, 'x'))) return text;
  return `'${text.replace(/'/g, '\'\\\'\'')}'`;
}

/** A command line: each argument quoted as needed, joined by spaces. */
export function shellCommand(...args: string[]): string {
  return args.map(shellQuote).join(' ');
}

/** `--flag=value` with the value quoted as needed (the flag itself is a fixed safe word). */
export function shellFlag(flag: string, value: string): string {
  return `${flag}=${shellQuote(value)}`;
}
