import { IConstruct } from 'constructs';

/**
 * App-wide claims: cluster-scoped things (nodePorts, host ports, address pools, routes, singleton
 * resources) that two constructs anywhere in one App must not both take.
 *
 * One registry per construct tree root, a map per kind of claim: registering is O(1) on average
 * and a check only compares against the entries under the same key, so the App-wide checks stay
 * linear in the number of constructs.
 */
export class AppClaims {
  /** The registry of the App (or other root) that `scope` belongs to. */
  public static of(scope: IConstruct): AppClaims {
    const root = scope.node.root;
    let claims = REGISTRIES.get(root);
    if (!claims) {
      claims = new AppClaims();
      REGISTRIES.set(root, claims);
    }
    return claims;
  }

  private readonly kinds = new Map<string, Map<string, unknown[]>>();

  private constructor() {}

  /**
   * Records `entry` under `kind`/`key` and returns the entries that were there before it.
   */
  public add<T>(kind: string, key: string, entry: T): readonly T[] {
    let byKey = this.kinds.get(kind);
    if (!byKey) {
      byKey = new Map();
      this.kinds.set(kind, byKey);
    }
    const entries = byKey.get(key) as T[] | undefined;
    if (!entries) {
      byKey.set(key, [entry]);
      return [];
    }
    const before = entries.slice();
    entries.push(entry);
    return before;
  }

  /** Every entry recorded under `kind`, in registration order. */
  public all<T>(kind: string): T[] {
    const byKey = this.kinds.get(kind);
    if (!byKey) return [];
    const result: T[] = [];
    for (const entries of byKey.values()) {
      result.push(...(entries as T[]));
    }
    return result;
  }
}

const REGISTRIES = new WeakMap<IConstruct, AppClaims>();

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
