/**
 * Traefik route priorities, assigned App-wide.
 *
 * Traefik orders the routers of every IngressRoute it serves by priority, by default the length
 * of the rule: unlike Ingress and the Gateway API, a longer rule wins, not the more specific
 * route. The library keeps that scale (so that routes made elsewhere compare as usual) and
 * raises a route's priority above every less specific route of the App that matches some of the
 * same requests: a named host over a wildcard over no host, a longer path over a shorter one,
 * Exact over Prefix. Only priorities that differ from Traefik's default are emitted.
 *
 * Near-linear: routes are grouped by host; a route only meets the routes of its own host, of the
 * wildcard that covers it and of no host, and within each it only looks at the paths along its
 * own path (its ancestors) and, through one precomputed maximum, below it. O(n log n + total path
 * depth) for n routes, recomputed (through the App-wide registry) only after routes were added.
 */
import { IConstruct } from 'constructs';
import { AppClaims, ClaimKind } from '../../core/claims';
import { isWildcardHost, routeKeyPath, traefikMatch, WirePathType } from '../http';

/** One Traefik route of the App. */
export interface TraefikRouteEntry {
  readonly host?: string;
  /** The path as matched (a Prefix path without its trailing '/'). */
  readonly path: string;
  readonly exact: boolean;
  /** Traefik's default priority: the length of the rule. */
  readonly length: number;
}

/** The App's Traefik routes, one claim each (keyed by their order of registration). */
const TRAEFIK_ROUTE = new ClaimKind<TraefikRouteEntry>('traefik-route');

/** The priorities of the App's Traefik routes, derived from `TRAEFIK_ROUTE` once per change. */
const TRAEFIK_PRIORITIES = new ClaimKind<Map<TraefikRouteEntry, number>>('traefik-priorities');

/**
 * Records a Traefik route of the App; its priority is known once every route is added
 * (`traefikPriority`, from a Lazy value).
 */
export function addTraefikRoute(scope: IConstruct, host: string | undefined, path: string, pathType: WirePathType): TraefikRouteEntry {
  const entry: TraefikRouteEntry = {
    host,
    path: routeKeyPath(path, pathType),
    exact: pathType === 'Exact',
    length: traefikMatch(host, path, pathType).length,
  };
  const claims = AppClaims.of(scope);
  claims.add(TRAEFIK_ROUTE, String(claims.count(TRAEFIK_ROUTE)), entry);
  return entry;
}

/**
 * The priority to write for `entry` of the App of `scope`, or undefined when Traefik's default
 * is right. Assigned once per change of the App's routes; never throws (it runs in a Lazy).
 */
export function traefikPriority(scope: IConstruct, entry: TraefikRouteEntry): number | undefined {
  const priorities = AppClaims.of(scope).derived(TRAEFIK_PRIORITIES, TRAEFIK_ROUTE,
    assignPriorities);
  const priority = priorities.get(entry);
  return priority === undefined || priority === entry.length ? undefined : priority;
}

/** Per path of a group of finished routes: the highest priority at and below it. */
interface GroupIndex {
  /** Prefix routes at exactly this path. */
  readonly prefixAt: Map<string, number>;
  /** Exact routes at exactly this path. */
  readonly exactAt: Map<string, number>;
  /** Every route at or below this path. */
  readonly below: Map<string, number>;
}

/** The priority of every route (see the module comment). */
export function assignPriorities(entries: readonly TraefikRouteEntry[]): Map<TraefikRouteEntry, number> {
  const byHost = new Map<string, TraefikRouteEntry[]>();
  for (const entry of entries) {
    const key = entry.host ?? '';
    const group = byHost.get(key);
    if (group) group.push(entry);
    else byHost.set(key, [entry]);
  }
  const rank = (host: string) => (host === '' ? 0 : isWildcardHost(host) ? 1 : 2);
  // Less specific hosts first: every route a route must beat on another host is then final.
  const hosts = [...byHost.keys()].sort((a, b) => rank(a) - rank(b));
  const result = new Map<TraefikRouteEntry, number>();
  const indexes = new Map<string, GroupIndex>();
  for (const host of hosts) {
    // The less specific hosts a route of `host` can share requests with: none, and the wildcard that covers it.
    const wildcard = rank(host) === 2 && host.includes('.') ? `*${host.slice(host.indexOf('.'))}` : undefined;
    const others = [host === '' ? undefined : indexes.get(''), wildcard === undefined ? undefined : indexes.get(wildcard)]
      .filter((index): index is GroupIndex => index !== undefined);
    indexes.set(host, assignGroup(byHost.get(host) ?? [], others, result));
  }
  return result;
}

/**
 * Assigns the routes of one host, least specific first (shorter paths, then Prefix before
 * Exact); routes of equal specificity are assigned together, so that none raises another.
 */
function assignGroup(group: TraefikRouteEntry[], others: GroupIndex[], result: Map<TraefikRouteEntry, number>): GroupIndex {
  const sorted = [...group].sort((a, b) => (a.path.length - b.path.length) || (Number(a.exact) - Number(b.exact)));
  const own: GroupIndex = { prefixAt: new Map(), exactAt: new Map(), below: new Map() };
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end < sorted.length && sorted[end].path.length === sorted[start].path.length && sorted[end].exact === sorted[start].exact) end++;
    const batch = sorted.slice(start, end);
    const priorities = batch.map((entry) => {
      let floor = 0;
      // Same host: the Prefix routes along the path are less specific and match some of its requests.
      for (const at of ancestorsOrSelf(entry.path)) floor = Math.max(floor, (own.prefixAt.get(at) ?? -1) + 1);
      for (const other of others) floor = Math.max(floor, overlapMax(other, entry) + 1);
      return Math.max(entry.length, floor);
    });
    batch.forEach((entry, i) => {
      result.set(entry, priorities[i]);
      raise(entry.exact ? own.exactAt : own.prefixAt, entry.path, priorities[i]);
      for (const at of ancestorsOrSelf(entry.path)) raise(own.below, at, priorities[i]);
    });
    start = end;
  }
  return own;
}

/** The highest priority of a route of `index` that matches some request `entry` matches; -1 for none. */
function overlapMax(index: GroupIndex, entry: TraefikRouteEntry): number {
  let max = -1;
  for (const at of ancestorsOrSelf(entry.path)) max = Math.max(max, index.prefixAt.get(at) ?? -1);
  if (entry.exact) return Math.max(max, index.exactAt.get(entry.path) ?? -1);
  return Math.max(max, index.below.get(entry.path) ?? -1);
}

function raise(map: Map<string, number>, key: string, value: number): void {
  const current = map.get(key);
  if (current === undefined || current < value) map.set(key, value);
}

/** `/a/b` -> `/`, `/a`, `/a/b` (a Prefix path matches its own path and every path below it). */
function ancestorsOrSelf(path: string): string[] {
  const result = ['/'];
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '/') result.push(path.slice(0, i));
  }
  if (path !== '/') result.push(path);
  return result;
}
