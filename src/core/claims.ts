import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkObjectName } from './derived-names';
import { Checker } from './errors';
import { DEFAULT_NAMESPACE } from './exposure';

/**
 * A kind of App-wide claim, tied to the type of what is claimed under it:
 * `const NODE_PORT = new ClaimKind<NodePortClaim>('node-port')`, then
 * `AppClaims.of(scope).add(NODE_PORT, '30080', claim)`. Kinds are UPPER_SNAKE constants named in
 * kebab-case, declared once, next to the claim's value type. The one family of kinds is the
 * object names' (`claimObjectName`): one kind per API group, kind and namespace, made by one
 * function, so that the key is the name the object keeps anyway.
 */
export class ClaimKind<T> {
  /** Never set: ties the kind to its value type. */
  declare private readonly _value?: T;

  constructor(public readonly name: string) {}
}

/**
 * App-wide state: cluster-scoped things (nodePorts, host ports, address pools, routes, object
 * names) that two constructs anywhere in one App must not both take, and what patterns of one
 * App must know of each other (a pool's parsed ranges). Nothing else holds App-wide state.
 *
 * One registry per construct tree root, a map per kind of claim: `add` is O(1) on average and a
 * check only compares against the entries under the same key, so the App-wide checks stay
 * linear in the number of constructs.
 */
export class AppClaims {
  /** The registry of the App (or other root) that `scope` belongs to. */
  public static of(scope: IConstruct): AppClaims {
    // Up by hand: `node.root` builds the array of every scope on the way (this runs per object).
    let root = scope;
    while (root.node.scope) root = root.node.scope;
    let claims = REGISTRIES.get(root);
    if (!claims) {
      claims = new AppClaims();
      REGISTRIES.set(root, claims);
    }
    return claims;
  }

  private readonly kinds = new Map<ClaimKind<unknown>, KindEntries>();
  private readonly derivedValues = new Map<ClaimKind<unknown>, { readonly version: number; readonly value: unknown }>();

  private constructor() {}

  /**
   * Records `entry` under `kind`/`key` and returns the entries that were there before it (the
   * shared empty list when none was: the common case allocates nothing). An entry is never
   * `undefined` (an absent key reads as `undefined`).
   */
  public add<T>(kind: ClaimKind<T>, key: string, entry: T): readonly T[] {
    const byKind = this.entriesOf(kind);
    byKind.count++;
    const stored = byKind.byKey.get(key);
    if (stored === undefined) {
      byKind.byKey.set(key, entry);
      return NO_ENTRIES as readonly T[];
    }
    if (stored instanceof SharedKey) {
      const before = stored.entries.slice() as T[];
      stored.entries.push(entry);
      return before;
    }
    byKind.byKey.set(key, new SharedKey([stored, entry]));
    return [stored as T];
  }

  /**
   * The first entry under `kind`/`key`; records `entry` when there is none yet (and returns it).
   * O(1): for claims where only the first one counts (one local ASN per namespace).
   */
  public first<T>(kind: ClaimKind<T>, key: string, entry: T): T {
    const byKind = this.entriesOf(kind);
    const stored = byKind.byKey.get(key);
    if (stored !== undefined) return (stored instanceof SharedKey ? stored.entries[0] : stored) as T;
    byKind.count++;
    byKind.byKey.set(key, entry);
    return entry;
  }

  /** The entries under `kind`/`key`, in registration order. */
  public get<T>(kind: ClaimKind<T>, key: string): readonly T[] {
    const stored = this.kinds.get(kind)?.byKey.get(key);
    if (stored === undefined) return NO_ENTRIES as readonly T[];
    return (stored instanceof SharedKey ? stored.entries : [stored]) as readonly T[];
  }

  /** Every entry recorded under `kind`, in registration order. */
  public all<T>(kind: ClaimKind<T>): T[] {
    const byKind = this.kinds.get(kind);
    if (!byKind) return [];
    const result: T[] = [];
    for (const stored of byKind.byKey.values()) {
      if (stored instanceof SharedKey) result.push(...(stored.entries as T[]));
      else result.push(stored as T);
    }
    return result;
  }

  /** How many entries `kind` holds: a version number for `derived`. */
  public count(kind: ClaimKind<unknown>): number {
    return this.kinds.get(kind)?.count ?? 0;
  }

  /**
   * A value computed from the entries of `source` (an index over them), kept under `kind` until
   * `source` gets another entry: App-wide checks that sort every claim once run once per change.
   */
  public derived<T, S>(kind: ClaimKind<T>, source: ClaimKind<S>, compute: (entries: S[]) => T): T {
    const version = this.count(source);
    const cached = this.derivedValues.get(kind);
    if (cached && cached.version === version) return cached.value as T;
    const value = compute(this.all(source));
    this.derivedValues.set(kind, { version, value });
    return value;
  }

  private entriesOf(kind: ClaimKind<unknown>): KindEntries {
    let byKind = this.kinds.get(kind);
    if (!byKind) {
      byKind = { count: 0, byKey: new Map() };
      this.kinds.set(kind, byKind);
    }
    return byKind;
  }
}

interface KindEntries {
  count: number;
  /** Key -> its one entry, or the `SharedKey` holding two or more. */
  readonly byKey: Map<string, unknown>;
}

/**
 * The entries of a key claimed twice or more. A key's first entry is stored as itself, not in a
 * list of one: almost every key is claimed once, and an App holds one claim per object.
 */
class SharedKey {
  constructor(public readonly entries: unknown[]) {}
}

/** The one root -> registry map. */
const REGISTRIES = new WeakMap<IConstruct, AppClaims>();

/** What `add` returns for a key seen for the first time (the common case): shared, never written. */
const NO_ENTRIES: readonly unknown[] = Object.freeze([]);

/**
 * True when two node selectors provably select disjoint sets of nodes: some key is required by
 * both with different values. Anything else (a missing selector, no shared key) may overlap.
 */
export function nodeSelectorsDisjoint(a?: { [key: string]: string }, b?: { [key: string]: string }): boolean {
  if (!a || !b) return false;
  for (const [key, value] of Object.entries(a)) {
    if (key in b && b[key] !== value) return true;
  }
  return false;
}

/**
 * The cluster-scoped kinds this library creates or may meet (kind -> its API groups; cdk8s spells
 * the core group `core`): their names are unique cluster-wide, whatever `metadata.namespace` says.
 * Every other kind is keyed by namespace. Looked up by kind, then group: no string is built per
 * object.
 */
const CLUSTER_SCOPED_KINDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Namespace', new Set(['core'])],
  ['ClusterRole', new Set(['rbac.authorization.k8s.io'])],
  ['ClusterRoleBinding', new Set(['rbac.authorization.k8s.io'])],
  ['IngressClass', new Set(['networking.k8s.io'])],
  ['GatewayClass', new Set(['gateway.networking.k8s.io'])],
  ['IPPool', new Set(['projectcalico.org'])],
  ['BGPPeer', new Set(['projectcalico.org'])],
  ['BGPConfiguration', new Set(['projectcalico.org'])],
  ['GlobalNetworkPolicy', new Set(['projectcalico.org'])],
  ['GlobalNetworkSet', new Set(['projectcalico.org'])],
  ['CustomResourceDefinition', new Set(['apiextensions.k8s.io'])],
]);

/** Whether objects of `kind` in `apiGroup` (cdk8s' spelling: `core` for the core group) are cluster-scoped. */
export function isClusterScoped(kind: string, apiGroup: string): boolean {
  return CLUSTER_SCOPED_KINDS.get(kind)?.has(apiGroup) ?? false;
}

/**
 * The fix for an object whose name cdk8s derived from the construct path: only an explicit name
 * elsewhere can meet it.
 */
export const DERIVED_NAME_FIX = 'cdk8s derives this name from the construct path, and another construct of the App gave its object '
  + 'the same name explicitly: rename that object, or give this construct another id.';

/**
 * The claim kind of the object names of one `<apiGroup>/<kind>/<namespace>` (no namespace for
 * cluster-scoped kinds): `name` -> the construct that creates that object. One kind per
 * group, kind and namespace, made on first use, so that the key is the object's name itself,
 * which the object keeps anyway: a key made of all four parts would be kept for every object of
 * the App (about 120 bytes each).
 */
function objectNameKind(apiGroup: string, kind: string, namespace: string | undefined): ClaimKind<IConstruct> {
  // Nested maps, not one map keyed by a joined string: no string is built per object.
  const ns = namespace ?? '';
  let byKind = OBJECT_NAME_KINDS.get(apiGroup);
  if (!byKind) OBJECT_NAME_KINDS.set(apiGroup, byKind = new Map());
  let byNamespace = byKind.get(kind);
  if (!byNamespace) byKind.set(kind, byNamespace = new Map());
  let claimKind = byNamespace.get(ns);
  if (!claimKind) byNamespace.set(ns, claimKind = new ClaimKind<IConstruct>(`object-name:${apiGroup}/${kind}/${ns}`));
  return claimKind;
}

/**
 * The object name kinds made so far, by API group, kind and namespace (shared by every App: a
 * kind holds no state).
 */
const OBJECT_NAME_KINDS = new Map<string, Map<string, Map<string, ClaimKind<IConstruct>>>>();

/**
 * One object per API group, kind, namespace and name in the whole App: `kubectl apply` would
 * silently let a second one overwrite the first. Every pattern calls this for every object it
 * creates, once created (so that the names cdk8s derives from construct paths are claimed too).
 *
 * The namespace is the one cdk8s writes (`metadata.namespace`, else the chart's), `default` when
 * neither names one; cluster-scoped kinds are keyed without a namespace. Map lookups only, and no
 * string is built per object.
 *
 * @param check the checker of the pattern that creates the object (its path is the one reported)
 * @param prop the prop the name comes from (`name`, `poolName`, ...), reported in the error
 * @param fix how to resolve a conflict; by default: pick another name, or omit it
 */
export function claimObjectName(check: Checker, prop: string, apiObject: ApiObject, fix?: string): void {
  checkObjectName(check, prop, apiObject);
  const kind = apiObject.kind;
  const clusterScoped = isClusterScoped(kind, apiObject.apiGroup);
  const namespace = clusterScoped ? undefined : apiObject.metadata.namespace ?? DEFAULT_NAMESPACE;
  const [previous] = AppClaims.of(check.scope).add(objectNameKind(apiObject.apiGroup, kind, namespace), apiObject.name, check.scope);
  if (previous) {
    const where = namespace === undefined ? ` (${kind} names are cluster-wide)` : ` in namespace "${namespace}"`;
    check.fail(prop, `is already the name of the ${kind} of [${previous.node.path}]${where}`, apiObject.name,
      fix ?? `Give each ${kind}${namespace === undefined ? '' : ' of a namespace'} its own name (kubectl apply would let the second overwrite the first): `
        + `pick another ${prop}, or omit it to let cdk8s derive one from the construct path.`);
  }
}
