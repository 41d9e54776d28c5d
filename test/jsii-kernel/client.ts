/**
 * The client side of test/jsii-kernel.test.ts: this package's assembly (what must be covered),
 * a jsii client that sends wire values only, as a Python program does, and the read-back of every
 * property of this library, through the kernel and in TypeScript, as JSON.
 */
import * as fs from 'fs';
import * as path from 'path';
import { api, Kernel } from '@jsii/kernel';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as constructs from 'constructs';
import * as expose from '../../src';

export const ROOT = path.join(__dirname, '..', '..');
export const NAME = 'cdk8s-expose';

// ---------------------------------------------------------------------------------------------
// The assembly: what must be covered
// ---------------------------------------------------------------------------------------------

interface JsiiTypeRef {
  readonly fqn?: string;
  readonly primitive?: string;
  readonly collection?: { readonly kind: string; readonly elementtype: JsiiTypeRef };
  readonly union?: { readonly types: JsiiTypeRef[] };
}
interface JsiiParameter {
  readonly name: string;
  readonly type: JsiiTypeRef;
  readonly variadic?: boolean;
}
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly abstract?: boolean;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly initializer?: { readonly parameters?: JsiiParameter[] };
  readonly datatype?: boolean;
  readonly properties?: { readonly name: string; readonly static?: boolean; readonly protected?: boolean; readonly type: JsiiTypeRef }[];
  readonly methods?: { readonly name: string; readonly static?: boolean; readonly protected?: boolean; readonly parameters?: JsiiParameter[] }[];
}

function readAssembly(dir: string): { [fqn: string]: JsiiType } {
  return JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')).types ?? {};
}

export const OWN = readAssembly(ROOT);
const DEPENDENCIES = ['constructs', 'cdk8s', 'cdk8s-plus-27'];
const ALL: { [fqn: string]: JsiiType } = Object.assign(
  {}, ...DEPENDENCIES.map((d) => readAssembly(path.dirname(require.resolve(`${d}/package.json`)))), OWN,
);
const MODULES: { [assembly: string]: any } = { 'constructs': constructs, 'cdk8s': cdk8s, 'cdk8s-plus-27': kplus, [NAME]: expose };

/** The TypeScript value a jsii fqn names (`cdk8s-plus-27.k8s.KubeService`: the class). */
function resolveFqn(fqn: string): any {
  const [assembly, ...names] = fqn.split('.');
  return names.reduce((value, name) => value?.[name], MODULES[assembly]);
}

/** Every exported class of the four assemblies, by its TypeScript constructor. */
const CLASS_OF = new Map<unknown, string>(Object.values(ALL).filter((t) => t.kind === 'class').map((t) => [resolveFqn(t.fqn), t.fqn]));

/**
 * The jsii class of a TypeScript object, as the kernel reports it: the nearest exported class in
 * its prototype chain (an unexported class, such as a generated L1, shows as its exported base).
 */
function jsiiClassOf(value: object): string | undefined {
  for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    const fqn = CLASS_OF.get(proto.constructor);
    if (fqn) return fqn;
  }
  return undefined;
}

/** The class and its bases (jsii fqns), nearest first. */
function classChain(fqn: string): string[] {
  const chain: string[] = [];
  for (let t: JsiiType | undefined = ALL[fqn]; t; t = t.base ? ALL[t.base] : undefined) chain.push(t.fqn);
  return chain;
}

/** The interface and every interface it extends. */
function interfaceChain(fqn: string): string[] {
  const t = OWN[fqn];
  return t ? [fqn, ...(t.interfaces ?? []).flatMap(interfaceChain)] : [];
}

const ownClasses = Object.values(OWN).filter((t) => t.kind === 'class');
/** Every concrete construct class: each must be created through the kernel. */
export const CONSTRUCTS = ownClasses.filter((t) => !t.abstract && t.initializer !== undefined && classChain(t.fqn).includes('constructs.Construct')).map((t) => t.fqn).sort();
/** Every static method (the factories): each must be called through the kernel. */
export const STATICS = ownClasses.flatMap((t) => (t.methods ?? []).filter((m) => m.static).map((m) => `${t.fqn}.${m.name}`)).sort();
/** Every public instance method. */
export const METHODS = ownClasses.flatMap((t) => (t.methods ?? []).filter((m) => !m.static && !m.protected).map((m) => `${t.fqn}.${m.name}`)).sort();
/** Every public instance property of a class. */
export const PROPERTIES = ownClasses.flatMap((t) => ownProperties(t.fqn).map((p) => `${t.fqn}.${p.name}`)).sort();

export function ownProperties(fqn: string) {
  return (OWN[fqn]?.properties ?? []).filter((p) => !p.static && !p.protected);
}

/** The properties of this library a value of `fqns` (a class chain or interfaces) has, with where each is declared. */
function propertiesOf(fqns: string[]): { name: string; declaredBy: string; type: JsiiTypeRef }[] {
  const seen = new Set<string>();
  const out: { name: string; declaredBy: string; type: JsiiTypeRef }[] = [];
  for (const fqn of fqns) {
    for (const p of ownProperties(fqn)) {
      if (!seen.has(p.name)) {
        seen.add(p.name);
        out.push({ name: p.name, declaredBy: fqn, type: p.type });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The kernel, used as a Python program uses it
// ---------------------------------------------------------------------------------------------

export type Wire = any;

/** How structs cross: as plain JSON maps, or typed (`$jsii.struct`), as the Python and Java runtimes send them. */
export type StructEncoding = 'plain' | 'typed';

/** A struct's field types, across the assemblies (its own and inherited fields). */
function structField(fqn: string, field: string): JsiiTypeRef | undefined {
  const t = ALL[fqn];
  if (!t) return undefined;
  return t.properties?.find((p) => p.name === field)?.type ?? (t.interfaces ?? []).map((i) => structField(i, field)).find((x) => x);
}

/** `value` as a typed runtime sends it for a declared `type`: every struct wrapped in `$jsii.struct` with its fqn. */
function typedStructs(value: Wire, type: JsiiTypeRef | undefined): Wire {
  if (value === null || value === undefined || typeof value !== 'object' || !type) return value;
  if (api.isObjRef(value) || api.isWireEnum(value)) return value;
  if (type.collection?.kind === 'array' && Array.isArray(value)) return value.map((v) => typedStructs(v, type.collection!.elementtype));
  if (type.collection?.kind === 'map') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typedStructs(v, type.collection!.elementtype)]));
  }
  const struct = type.fqn ? ALL[type.fqn] : undefined;
  if (struct?.kind === 'interface' && struct.datatype) {
    const data = Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typedStructs(v, structField(struct.fqn, key))]));
    return { [api.TOKEN_STRUCT]: { fqn: struct.fqn, data } };
  }
  return value;
}

/** The parameters of a constructor or method (looked up along the class chain). */
function parametersOf(fqn: string, method?: string): JsiiParameter[] {
  for (const c of classChain(fqn)) {
    const t = ALL[c];
    const found = method === undefined ? t.initializer : t.methods?.find((m) => m.name === method);
    if (found) return found.parameters ?? [];
  }
  return [];
}

/** An enum member as the other languages send it. */
export function enumRef(type: string, member: string): api.WireEnum {
  return { [api.TOKEN_ENUM]: `${NAME}.${type}/${member}` };
}

export function refFqn(ref: api.ObjRef): string {
  return ref[api.TOKEN_REF].replace(/@\d+$/, '');
}

/** A jsii client: only wire values (JSON) cross, and every call is recorded for coverage. */
export class JsiiClient {
  public readonly created = new Set<string>();
  public readonly calledStatic = new Set<string>();
  public readonly called = new Set<string>();
  public readonly read = new Set<string>();

  /** How structs are sent. */
  public structs: StructEncoding = 'plain';
  /** How many arguments were sent with typed structs in them. */
  public typedArguments = 0;

  constructor(private readonly kernel: Kernel) {}

  public create(fqn: string, ...args: Wire[]): api.ObjRef {
    this.created.add(fqn);
    return this.kernel.create({ fqn, args: this.encode(args, parametersOf(fqn)) });
  }

  public sinvoke(fqn: string, method: string, ...args: Wire[]): Wire {
    this.calledStatic.add(`${fqn}.${method}`);
    return this.kernel.sinvoke({ fqn, method, args: this.encode(args, parametersOf(fqn, method)) }).result;
  }

  public invoke(objref: api.ObjRef, method: string, ...args: Wire[]): Wire {
    for (const fqn of classChain(refFqn(objref))) this.called.add(`${fqn}.${method}`);
    return this.kernel.invoke({ objref, method, args: this.encode(args, parametersOf(refFqn(objref), method)) }).result;
  }

  private encode(args: Wire[], parameters: JsiiParameter[]): Wire[] {
    const json = wire(args);
    if (this.structs === 'plain') return json;
    const typed = json.map((a: Wire, i: number) => typedStructs(a, parameters[i]?.type));
    this.typedArguments += typed.filter((a: Wire) => JSON.stringify(a).includes(api.TOKEN_STRUCT)).length;
    return typed;
  }

  public get(objref: api.ObjRef, property: string): Wire {
    for (const fqn of [...classChain(refFqn(objref)), ...((objref as api.AnnotatedObjRef)[api.TOKEN_INTERFACES] ?? [])]) {
      this.read.add(`${fqn}.${property}`);
    }
    return this.kernel.get({ objref, property }).value;
  }

  /** The children of a construct (`node.children`). */
  public children(construct: api.ObjRef): api.ObjRef[] {
    return this.kernel.get({ objref: this.kernel.get({ objref: construct, property: 'node' }).value, property: 'children' }).value;
  }

  /** `node.path` of a construct. */
  public path(construct: api.ObjRef): string {
    return this.kernel.get({ objref: this.kernel.get({ objref: construct, property: 'node' }).value, property: 'path' }).value;
  }
}

/** What a Python program can send: JSON (undefined members dropped, as a dict would not have them). */
function wire(value: Wire): Wire {
  return JSON.parse(JSON.stringify(value));
}

// ---------------------------------------------------------------------------------------------
// Values of this library's properties, read through the kernel and in TypeScript, as JSON
// ---------------------------------------------------------------------------------------------

/** Reads every property of this library of `value` through the kernel, recursively, to JSON. */
export function readBack(k: JsiiClient, value: Wire, seen = new Map<string, unknown>()): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => readBack(k, v, seen));
  if (api.isWireEnum(value)) return value[api.TOKEN_ENUM].replace(/^.*\//, '');
  if (api.isWireMap(value)) return readBack(k, value[api.TOKEN_MAP], seen);
  if (api.isObjRef(value)) {
    const ref = value[api.TOKEN_REF];
    const fqn = refFqn(value);
    const types = OWN[fqn] ? classChain(fqn) : ((value as api.AnnotatedObjRef)[api.TOKEN_INTERFACES] ?? []).flatMap(interfaceChain);
    if (types.length === 0) return { $ref: fqn.replace(/^.*\./, '') };
    if (seen.has(ref)) return { $seen: fqn.replace(/^.*\./, '') };
    const out: { [name: string]: unknown } = {};
    seen.set(ref, out);
    for (const p of propertiesOf(types)) out[p.name] = readBack(k, k.get(value, p.name), seen);
    return out;
  }
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, readBack(k, v, seen)]));
}

/** The TypeScript twin of `readBack`: the same properties (from the assembly) of a TypeScript object. */
export function readLocal(value: unknown, fqns: string[] | undefined, seen = new Set<unknown>()): unknown {
  if (value === null || value === undefined || typeof value !== 'object') {
    return enumMember(value, fqns) ?? value;
  }
  if (Array.isArray(value)) return value.map((v) => readLocal(v, fqns, seen));
  // An instance of a class of this library crosses as that class, whatever the declared type.
  const own = ownTypesOf(value);
  const types = own.length > 0 ? own : (fqns ?? []);
  if (types.length === 0) {
    const fqn = jsiiClassOf(value);
    return fqn ? { $ref: fqn.replace(/^.*\./, '') } : Object.fromEntries(Object.entries(value).map(([key, v]) => [key, readLocal(v, undefined, seen)]));
  }
  if (seen.has(value)) return { $seen: (ALL[types[0]]?.name ?? types[0]) };
  seen.add(value);
  const out: { [name: string]: unknown } = {};
  for (const p of propertiesOf(types)) out[p.name] = readLocal((value as any)[p.name], typeFqns(p.type), seen);
  return out;
}

/** The class chain of an instance of a class of this library; [] for anything else. */
export function ownTypesOf(value: object): string[] {
  const fqn = jsiiClassOf(value);
  return fqn && OWN[fqn] ? classChain(fqn) : [];
}

/** The types of this library a declared type names (structs and interfaces, or an enum). */
export function typeFqns(type: JsiiTypeRef): string[] | undefined {
  if (type.collection) return typeFqns(type.collection.elementtype);
  if (type.fqn && ALL[type.fqn]?.kind === 'enum') return [type.fqn];
  if (type.fqn && OWN[type.fqn]?.kind === 'interface') return interfaceChain(type.fqn);
  return undefined;
}

/** The member name of an enum value (the kernel sends enums by member name). */
function enumMember(value: unknown, fqns: string[] | undefined): string | undefined {
  if (fqns?.length !== 1 || ALL[fqns[0]]?.kind !== 'enum') return undefined;
  const values = resolveFqn(fqns[0]) as { [member: string]: unknown };
  return Object.keys(values).find((member) => values[member] === value);
}
