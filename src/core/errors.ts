import { IConstruct } from 'constructs';
import { labelKeyProblem, labelValueProblem } from './names';

const MAX_VALUE_LENGTH = 200;

/**
 * Renders an offending value for an error message: strings quoted, objects as JSON, long values cut.
 * Never throws (a construct, a cycle, a BigInt, a function or a symbol included).
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else if (typeof value === 'function') {
    text = `a function${value.name ? ` (${value.name})` : ''}`;
  } else if (typeof value === 'symbol') {
    text = value.toString();
  } else if (isConstruct(value)) {
    text = `the construct [${value.node.path}]`;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = safeString(value);
    }
  }
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** True for a construct (of any copy of the `constructs` library): it has a `node.path`. */
export function isConstruct(value: unknown): value is IConstruct {
  const node = value !== null && typeof value === 'object' ? (value as { node?: unknown }).node : undefined;
  // `id` is a field; `path` is a getter that joins every scope's id, so it is only looked up, not read.
  return node !== null && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string' && 'path' in node;
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
 * The props a struct (a jsii interface of props) may carry: every key of `T`, inherited ones
 * included. Built with `structKeys`, whose argument must name every key of `T` and nothing else
 * (the compiler checks it), so the list cannot drift from the interface; a test compares every
 * list with the struct in the jsii assembly.
 */
export interface StructKeys {
  /** The struct's name, as the messages and the jsii assembly spell it (e.g. `NodePortServiceProps`). */
  readonly struct: string;
  /** The keys, in declaration order. */
  readonly keys: readonly string[];
  /** @internal */
  readonly _set: ReadonlySet<string>;
}

/** Every `StructKeys` made, by struct name: the jsii-assembly test reads it. */
export const STRUCT_KEYS = new Map<string, StructKeys>();

/**
 * The known keys of struct `T`, registered under `struct`: `structKeys<NodePortServiceProps>('NodePortServiceProps',
 * { ports: true, selector: true, ... })`. A missing or extra key is a compile error.
 */
export function structKeys<T>(struct: string, keys: { readonly [K in keyof Required<T>]: true }): StructKeys {
  const list = Object.keys(keys);
  const result: StructKeys = { struct, keys: list, _set: new Set(list) };
  STRUCT_KEYS.set(struct, result);
  return result;
}

/** An integer range; both ends included. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

/** The members of an enum object, as `kplus.Protocol` or this library's enums are at run time. */
export type EnumObject<T> = { readonly [member: string]: T };

/** What a list entry must be, for `Checker.list`. */
export interface ListOptions {
  /** One entry, in a message: `port`, `CIDR`, `BGP peer`. */
  readonly noun: string;
  /** The fewest entries the list may have. @default 0 */
  readonly minLength?: number;
  /** How to fix an empty (or short) list, or a value that is not a list. */
  readonly fix: string;
  /** Why an empty list is refused, appended to "must list at least one <noun>". @default - nothing */
  readonly emptyReason?: string;
}

/** Ordinary English article for a noun (`a port`, `an IpFamily`). */
function article(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) && !/^(Unique|Use|One)/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The prop path of a key of a props object: `allowfrom`, or `props["foo-bar"]` for a key that is not an identifier. */
function keyPath(parent: string | undefined, key: string): string {
  const identifier = /^[A-Za-z_$][\w$]*$/.test(key);
  if (parent === undefined) return identifier ? key : `props[${JSON.stringify(key)}]`;
  return identifier ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** The Levenshtein distance of two short strings, case-insensitive. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/** The known key closest to `key`, when it is close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const lower = key.toLowerCase();
    const distance = candidate.toLowerCase() === lower ? 0
      : candidate.toLowerCase().startsWith(lower) || lower.startsWith(candidate.toLowerCase()) ? 1
        : editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** How to fix each refusal of `Checker.labelMap`. */
export interface LabelMapFixes {
  /** Not a map of strings. */
  readonly map: string;
  /** A key that is not a label key. */
  readonly key: string;
  /** A value that is not a label value. */
  readonly value: string;
}

/**
 * A checker bound to one construct and class name, so that call sites stay short:
 * `const check = new Checker(this, 'NodePortService'); check.fail('nodePort', ...)`.
 *
 * Besides `fail`/`require`/`problem`, it holds the generic rules, each with one wording, for what
 * jsii and plain JavaScript let through: props objects (`props`, `struct`: unknown keys refused
 * with "did you mean"), `boolean`, `string`, `integer`, `enumValue`, `list` (no null or undefined
 * entries), `type`, `instance`, `implementation`. Each returns the value with its type narrowed.
 */
export class Checker {
  constructor(public readonly scope: IConstruct, public readonly className: string) {}

  /** Throws the library's error for this construct. */
  public fail(prop: string, problem: string, value: unknown, fix: string): never {
    return fail(this.scope, this.className, prop, problem, value, fix);
  }

  /**
   * Throws the one refusal of an entry given twice: `<prop> duplicates <previous><why>` (`why`,
   * when given, says what refuses it, e.g. ", which MetalLB refuses").
   */
  public duplicate(prop: string, previous: string, value: unknown, fix: string, why = ''): never {
    return this.fail(prop, `duplicates ${previous}${why}`, value, fix);
  }

  /** A message for `node.addValidation` (cdk8s adds the path). */
  public problem(prop: string, problem: string, value: unknown, fix: string): string {
    return formatProblem(this.className, prop, problem, value, fix);
  }

  /**
   * The constructor's props object: a plain object whose keys are all known. `undefined` is
   * refused too when `required` (a props object with a required prop).
   */
  public props<T>(props: T, keys: StructKeys, required = true): T {
    if (props === undefined && !required) return props;
    return this.struct('props', props, keys);
  }

  /**
   * A struct (props object, or an entry of a list of structs) at `prop`: a plain object, whose
   * every key is one of `keys` (a misspelt key is refused rather than ignored: `allowfrom` must
   * not leave the exposure open). `undefined` and `null` are refused too: check an optional
   * struct only when it is given.
   */
  public struct<T>(prop: string, value: T | undefined, keys: StructKeys): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, `must be ${article(keys.struct)} object`, value, `Pass an object with the ${keys.struct} properties: ${keys.keys.join(', ')}.`);
    }
    for (const key in value) {
      if (!keys._set.has(key)) this.unknownKey(prop === 'props' ? undefined : prop, key, (value as any)[key], keys);
    }
    return value;
  }

  private unknownKey(parent: string | undefined, key: string, value: unknown, keys: StructKeys): never {
    const closest = closestKey(key, keys.keys);
    return this.fail(keyPath(parent, key), `is not a property of ${keys.struct}`, value,
      `${closest ? `Did you mean ${closest}? ` : ''}A misspelt property is refused rather than ignored; `
      + `the properties are: ${keys.keys.join(', ')}.`);
  }

  /** An optional boolean: `true`, `false` or undefined (a `"true"` string is refused). */
  public boolean(prop: string, value: boolean | undefined): boolean | undefined {
    if (value !== undefined && typeof value !== 'boolean') {
      this.fail(prop, 'must be a boolean', value, `Pass true or false, or omit ${prop}.`);
    }
    return value;
  }

  /** An optional string (not a number, not null); `nonEmpty` refuses `''` and whitespace only. */
  public string(prop: string, value: string | undefined, fix: string, nonEmpty = false): string | undefined {
    if (value !== undefined && (typeof value !== 'string' || (nonEmpty && value.trim().length === 0))) {
      this.fail(prop, nonEmpty ? 'must be a non-empty string' : 'must be a string', value, fix);
    }
    return value;
  }

  /** An integer within `range` (a string, NaN or fraction is refused). */
  public integer(prop: string, value: number, range: IntegerRange, fix: string, problemSuffix = ''): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      this.fail(prop, `must be an integer within ${range.min}-${range.max}${problemSuffix}`, value, fix);
    }
    return value;
  }

  /**
   * A member of an enum (`ExternalTrafficPolicy`, `kplus.Protocol`), or undefined when not given.
   * `allowed` narrows the members accepted here; the fix lists them.
   */
  public enumValue<T>(prop: string, value: T | undefined, enumObject: EnumObject<T>, enumName: string,
    options: { readonly allowed?: readonly T[]; readonly extraFix?: string; readonly problem?: string } = {}): T | undefined {
    if (value === undefined) return undefined;
    const allowed = options.allowed ?? Object.values(enumObject);
    if (!allowed.includes(value)) {
      const members = Object.keys(enumObject).filter((k) => allowed.includes(enumObject[k])).map((k) => `${enumName}.${k}`);
      const list = members.length > 1 ? `${members.slice(0, -1).join(', ')} or ${members[members.length - 1]}` : members[0];
      this.fail(prop, options.problem ?? `must be ${article(enumName)}`, value, `Use ${list}${options.extraFix ?? ''}.`);
    }
    return value;
  }

  /**
   * A list: an array with at least `minLength` entries, none null or undefined (each refused
   * with its index). Anything else is refused, undefined too: check an optional list only when
   * it is given.
   */
  public list<T>(prop: string, value: T[], options: ListOptions): T[] {
    const minLength = options.minLength ?? 0;
    if (!Array.isArray(value)) {
      this.fail(prop, `must be a list of ${options.noun}s`, value, options.fix);
    }
    if (value.length < minLength) {
      this.fail(prop, `must list at least ${minLength === 1 ? 'one' : minLength} ${options.noun}${minLength === 1 ? '' : 's'}${options.emptyReason ?? ''}`,
        value, options.fix);
    }
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined || value[i] === null) {
        this.fail(`${prop}[${i}]`, `must be ${article(options.noun)}, not ${value[i]}`, value[i], `Remove the empty entry from ${prop}.`);
      }
    }
    return value;
  }

  /** A list of structs: `list` plus `struct` on each entry. */
  public structList<T>(prop: string, value: T[], keys: StructKeys, options: ListOptions): T[] {
    const list = this.list(prop, value, options);
    for (let i = 0; i < list.length; i++) this.struct(`${prop}[${i}]`, list[i], keys);
    return list;
  }

  /** A map of strings to strings (labels, node selectors): a plain object whose values are strings. */
  public stringMap(prop: string, value: { [key: string]: string }, fix: string): { [key: string]: string } {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || isConstruct(value)) {
      this.fail(prop, 'must be a map of strings', value, fix);
    }
    for (const key in value) {
      if (typeof value[key] !== 'string') this.fail(`${prop}[${JSON.stringify(key)}]`, 'must be a string', value[key], fix);
    }
    return value;
  }

  /**
   * A map of Kubernetes labels (a node selector, selector labels): a `stringMap` whose keys are
   * label keys (refused as `<prop> has a key that ...`) and whose values are label values
   * (refused as `<prop>["<key>"] ...`).
   */
  public labelMap(prop: string, value: { [key: string]: string }, fixes: LabelMapFixes): { [key: string]: string } {
    this.stringMap(prop, value, fixes.map);
    for (const key of Object.keys(value)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) this.fail(prop, `has a key that ${keyProblem}`, key, fixes.key);
      const valueProblem = labelValueProblem(value[key]);
      if (valueProblem) this.fail(`${prop}[${JSON.stringify(key)}]`, valueProblem, value[key], fixes.value);
    }
    return value;
  }

  /**
   * The one refusal of a value of the wrong type: `<prop> must be a <typeName>` unless `ok`
   * (what `instance` and `implementation` test, or a pattern's own test of an interface).
   */
  public type<T>(prop: string, value: T, ok: boolean, typeName: string, fix: string): T {
    if (!ok) this.fail(prop, `must be ${article(typeName)}`, value, fix);
    return value;
  }

  /**
   * An instance of a class (`MetalLbAddressPool`, `MetalLbAdvertisement`, `kplus.LabelSelector`):
   * not a plain object or a string.
   */
  public instance<T>(prop: string, value: T, type: { readonly prototype: T }, typeName: string, fix: string): T {
    return this.type(prop, value, value !== null && typeof value === 'object' && Object.prototype.isPrototypeOf.call(type.prototype, value), typeName, fix);
  }

  /**
   * An object with the methods an interface needs (`kplus.IPodSelector`'s `toPodSelectorConfig`,
   * and a construct's `node`): not a plain object or a string.
   */
  public implementation<T>(prop: string, value: T, methods: readonly string[], typeName: string, fix: string, construct = false): T {
    let ok = value !== null && typeof value === 'object' && (!construct || isConstruct(value));
    // A loop, not `every` with a closure: this runs for every selector and Service.
    for (let i = 0; ok && i < methods.length; i++) ok = typeof (value as any)[methods[i]] === 'function';
    return this.type(prop, value, ok, typeName, fix);
  }
}
