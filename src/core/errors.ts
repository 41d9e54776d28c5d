import { IConstruct } from 'constructs';

const MAX_VALUE_LENGTH = 200;

/**
 * Renders an offending value for an error message: strings quoted, objects as JSON, long values cut.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

/**
 * The one message format of the library, without the construct path:
 * `<Class>: <prop> <problem>; got <value>. <fix>`.
 *
 * `node.addValidation` messages use this form: cdk8s prefixes them with `[<path>]`.
 */
export function formatProblem(className: string, prop: string, problem: string, value: unknown, fix: string): string {
  return `${className}: ${prop} ${problem}; got ${describeValue(value)}. ${fix}`;
}

/**
 * Throws the library's error: `[<construct path>] <Class>: <prop> <problem>; got <value>. <fix>`.
 */
export function fail(scope: IConstruct, className: string, prop: string, problem: string, value: unknown, fix: string): never {
  throw new Error(`[${scope.node.path}] ${formatProblem(className, prop, problem, value, fix)}`);
}

/**
 * A checker bound to one construct and class name, so that call sites stay short:
 * `const check = new Checker(this, 'NodePortService'); check.fail('nodePort', ...)`.
 */
export class Checker {
  constructor(public readonly scope: IConstruct, public readonly className: string) {}

  /** Throws the library's error for this construct. */
  public fail(prop: string, problem: string, value: unknown, fix: string): never {
    return fail(this.scope, this.className, prop, problem, value, fix);
  }

  /** Throws unless `condition` holds. */
  public require(condition: boolean, prop: string, problem: string, value: unknown, fix: string): void {
    if (!condition) {
      this.fail(prop, problem, value, fix);
    }
  }

  /** A message for `node.addValidation` (cdk8s adds the path). */
  public problem(prop: string, problem: string, value: unknown, fix: string): string {
    return formatProblem(this.className, prop, problem, value, fix);
  }
}
