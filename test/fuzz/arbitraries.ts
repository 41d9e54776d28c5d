/**
 * Shared fast-check arbitraries: valid values mixed with the near-boundary and malformed ones a
 * user can type (0, 1, 65535, 65536, 29999, 30000, 32767, 32768, non-integers, NaN, long and
 * uppercase names), drawn from small pools so that several constructs of one App collide
 * (duplicate nodePorts, names, addresses).
 *
 * Each value family comes as `validX` (what the API server accepts) and `anyX` (valid values
 * mostly, malformed ones often enough to reach every check).
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { dns1123LabelProblem } from '../../src/core/names';

/** Values of the wrong JavaScript type, as an untyped (JavaScript) caller could pass them. */
const wrongType = fc.constantFrom<any>('80', null, true, {}, []);

// --- numbers ------------------------------------------------------------------------------------

/** A valid port number, biased to the boundaries and to a small pool (for collisions). */
export const validPort: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 80, 443, 8080, 8086, 65535) },
);

/** Numbers that are not port numbers. */
export const invalidPort: fc.Arbitrary<any> = fc.oneof(
  fc.constantFrom(0, -1, 65536, 70000, 2 ** 31, 1.5, 80.000001, NaN, Infinity, -Infinity),
  fc.double({ min: -1e6, max: 1e6, noNaN: false }),
  wrongType,
);

/** Mostly valid ports, sometimes not. */
export const anyPort: fc.Arbitrary<any> = fc.oneof({ weight: 6, arbitrary: validPort }, { weight: 1, arbitrary: invalidPort });

/** A nodePort of the default range, biased to its ends and to a pool shared by all constructs. */
export const validNodePort: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 30000, max: 32767 }) },
  { weight: 3, arbitrary: fc.constantFrom(30000, 30001, 30080, 32767) },
);

/** Mostly valid nodePorts of the default range; the neighbours of its ends and malformed numbers too. */
export const anyNodePort: fc.Arbitrary<any> = fc.oneof(
  { weight: 5, arbitrary: validNodePort },
  { weight: 2, arbitrary: fc.constantFrom(29999, 32768, 0, 1, 80, 65535, 65536, 30000.5, NaN) },
  { weight: 1, arbitrary: invalidPort },
);

// --- names --------------------------------------------------------------------------------------

/** Valid IANA service names (port names), from a small pool so that duplicates occur. */
export const validPortName = fc.constantFrom('http', 'https', 'metrics', 'dns', 'a', 'web-1', 'x1', 'abcdefghijklmno');

/** Strings that are not IANA service names. */
export const invalidPortName = fc.constantFrom<any>('', 'HTTP', 'abcdefghijklmnop', '1234', 'a--b', '-web', 'web-', 'web_1', 'web.1', ' http');

export const anyPortName: fc.Arbitrary<any> = fc.oneof({ weight: 6, arbitrary: validPortName }, { weight: 1, arbitrary: invalidPortName });

/** Valid DNS-1035 labels (Service names), from a small pool so that duplicates occur. */
export const validServiceName = fc.constantFrom('web', 'db', 'a', 'web-1', `s${'a'.repeat(62)}`);

/** Strings that are not DNS-1035 labels. */
export const invalidServiceName = fc.constantFrom<any>('', 'Web', '1web', 'web-', '-web', 'web_1', 'web.example', `s${'a'.repeat(63)}`, 'wéb');

export const anyServiceName: fc.Arbitrary<any> = fc.oneof({ weight: 5, arbitrary: validServiceName }, { weight: 1, arbitrary: invalidServiceName });

/** Valid namespaces (DNS-1123 labels). */
export const validNamespace = fc.constantFrom('default', 'web', 'kube-system', '1ns', `n${'a'.repeat(62)}`);

/** Strings that are not namespaces. */
export const invalidNamespace = fc.constantFrom<any>('', 'Web', 'web_ns', '-web', `n${'a'.repeat(63)}`, 'a.b');

/** An optional namespace: mostly unset (the chart's), sometimes valid, sometimes not. */
export const anyNamespace: fc.Arbitrary<any> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: validNamespace },
  { weight: 1, arbitrary: invalidNamespace },
);

/** The transport protocol: mostly unset or valid, sometimes a string no enum member carries. */
export const anyProtocol: fc.Arbitrary<any> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, kplus.Protocol.TCP, kplus.Protocol.UDP, kplus.Protocol.SCTP) },
  { weight: 1, arbitrary: fc.constantFrom('tcp', 'HTTP', '') },
);

// --- addresses ----------------------------------------------------------------------------------

/** Valid IPv4 and IPv6 addresses, from a pool so that two constructs may pick the same one. */
export const validIp = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('10.96.0.10', '10.96.0.11', '192.168.9.1', 'fd00::10', 'fd00:0:0::10', '0.0.0.0', '255.255.255.255') },
  { weight: 1, arbitrary: fc.ipV4() },
  { weight: 1, arbitrary: fc.ipV6() },
);

/** Strings that are not IP addresses (as Kubernetes parses them). */
export const invalidIp = fc.constantFrom<any>('', 'None', '10.0.0.256', '010.0.0.1', '10.0.0', '10.0.0.1/32', ' 10.0.0.1', 'fe80::1%eth0', '[fd00::1]', 'localhost', '::g');

// --- selectors ----------------------------------------------------------------------------------

const validLabelKey = fc.constantFrom('app', 'tier', 'app.kubernetes.io/name', 'example.com/role', `k${'a'.repeat(62)}`);
const validLabelValue = fc.constantFrom('web', 'db', 'v1.2', 'a_b', '', `v${'a'.repeat(62)}`);
const invalidLabelKey = fc.constantFrom('bad key', 'Example.com/x', '/x', 'a/b/c', `k${'a'.repeat(63)}`, '-app', '');
const invalidLabelValue = fc.constantFrom('-web', 'web-', 'a b', `v${'a'.repeat(63)}`, 'wéb');

/** A label map: valid mostly, sometimes empty or with an invalid key or value. */
export const anyLabels: fc.Arbitrary<{ [key: string]: string }> = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(validLabelKey, validLabelValue, { minKeys: 1, maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.oneof(validLabelKey, invalidLabelKey), fc.oneof(validLabelValue, invalidLabelValue)).map(([k, v]) => ({ [k]: v })),
  },
);

/** A container port of a generated workload (always valid: the workload is the test's setup). */
export interface WorkloadPort {
  readonly number: number;
  readonly name?: string;
}

/**
 * How a pattern's `selector` is made:
 * - `deployment`: a kplus.Deployment in the Service's namespace (`same`) or another one (`other`);
 * - `labels`: `kplus.Pods.select` with a label map (possibly empty or invalid);
 * - `expressions`: a set-based selector, which a Service cannot express;
 * - `all-namespaces`: pods of every namespace, which a Service cannot select.
 */
export type SelectorSpec =
  | {
    readonly kind: 'deployment';
    readonly namespace: 'same' | 'other';
    readonly ports: WorkloadPort[];
    /** Whether the container also declares the Service's numeric target ports (most valid cases do). */
    readonly declaresTargets?: boolean;
  }
  | { readonly kind: 'labels'; readonly labels: { [key: string]: string } }
  | { readonly kind: 'expressions' }
  | { readonly kind: 'all-namespaces' };

const workloadPorts: fc.Arbitrary<WorkloadPort[]> = fc.uniqueArray(
  fc.record({ number: validPort, name: validPortName }), { minLength: 1, maxLength: 3, selector: (p) => p.number },
).map((ports) => {
  const seen = new Set<string>();
  return ports.map((p) => {
    const unique = !seen.has(p.name);
    seen.add(p.name);
    return unique ? p : { number: p.number };
  });
});

/** A selector that a Service can use. */
export const validSelector: fc.Arbitrary<SelectorSpec> = fc.oneof(
  fc.record({ kind: fc.constant('deployment' as const), namespace: fc.constant('same' as const), ports: workloadPorts, declaresTargets: fc.constantFrom(true, true, true, false) }),
  fc.record({ kind: fc.constant('labels' as const), labels: fc.dictionary(validLabelKey, validLabelValue, { minKeys: 1, maxKeys: 3 }) }),
);

/** Any selector, the ones a Service cannot use included. */
export const anySelector: fc.Arbitrary<SelectorSpec> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('deployment' as const), namespace: fc.constantFrom<'same' | 'other'>('same', 'same', 'same', 'other'), ports: workloadPorts }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('labels' as const), labels: anyLabels }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expressions' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'all-namespaces' as const }) },
);

/** What `makeSelector` made, for the invariants. */
export interface MadeSelector {
  readonly selector: kplus.IPodSelector;
  /** The Deployment, when the selector is one. */
  readonly deployment?: kplus.Deployment;
  /** The labels the Service must select by, when known up front (`labels` selectors). */
  readonly labels?: { [key: string]: string };
}

/**
 * Builds the selector `spec` describes as `<id>Pods` in `scope`, for a pattern whose objects
 * land in `namespace`.
 */
export function makeSelector(scope: Chart, id: string, spec: SelectorSpec, namespace: unknown, servicePorts?: unknown): MadeSelector {
  const podsId = `${id}Pods`;
  switch (spec.kind) {
    case 'deployment': {
      // Only a valid namespace is given to the Deployment: the pattern must report a bad one.
      const target = spec.namespace === 'other' ? 'other-ns' : namespace;
      const metadataNamespace = typeof target === 'string' && !dns1123LabelProblem(target) ? target : undefined;
      const deployment = new kplus.Deployment(scope, podsId, {
        metadata: metadataNamespace === undefined ? undefined : { namespace: metadataNamespace },
        replicas: 1,
        containers: [{
          image: 'registry.example.com/app:1.0',
          ports: [
            ...spec.ports.map((p) => (p.name === undefined ? { number: p.number } : { number: p.number, name: p.name })),
            ...(spec.declaresTargets ? targetsToDeclare(spec.ports, servicePorts) : []),
          ],
        }],
      });
      return { selector: deployment, deployment };
    }
    case 'labels':
      return { selector: kplus.Pods.select(scope, podsId, { labels: spec.labels }), labels: spec.labels };
    case 'expressions':
      return {
        selector: kplus.Pods.select(scope, podsId, {
          labels: { app: 'web' },
          expressions: [kplus.LabelExpression.in('tier', ['a', 'b'])],
        }),
      };
    case 'all-namespaces':
      return {
        selector: kplus.Pods.select(scope, podsId, {
          labels: { app: 'web' },
          namespaces: kplus.Namespaces.all(scope, `${podsId}Namespaces`),
        }),
      };
  }
}

/**
 * The numeric target ports (with their protocols) of well-formed Service port specs that the
 * container does not declare yet, each once: a workload that serves what its Service points at.
 */
function targetsToDeclare(declared: readonly WorkloadPort[], servicePorts: unknown): kplus.ContainerPort[] {
  if (!Array.isArray(servicePorts)) return [];
  const seen = new Set(declared.map((p) => `${p.number}/${kplus.Protocol.TCP}`));
  const result: kplus.ContainerPort[] = [];
  for (const spec of servicePorts) {
    if (spec === null || typeof spec !== 'object') continue;
    const target = spec.targetPort ?? spec.port;
    const protocol = Object.values(kplus.Protocol).includes(spec.protocol) ? spec.protocol as kplus.Protocol : kplus.Protocol.TCP;
    if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > 65535) continue;
    const key = `${target}/${protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ number: target, protocol });
  }
  return result;
}

/** `fc.option` that leaves the key out (rather than `undefined`) when not drawn: use with `fc.record`'s `requiredKeys`. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, freq = 3): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { freq, nil: undefined });
}

// --- allowFrom ----------------------------------------------------------------------------------

/** One `allowFrom` peer, as the generator describes it (built by `makeAllowFrom`). */
export type PeerSpec =
  | { readonly kind: 'ipv4'; readonly cidr: string; readonly except?: string[] }
  | { readonly kind: 'ipv6'; readonly cidr: string }
  | { readonly kind: 'pods'; readonly labels: { [key: string]: string } }
  | { readonly kind: 'namespaces'; readonly labels: { [key: string]: string } };

const peerSpec: fc.Arbitrary<PeerSpec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ipv4' as const),
      // Host bits set in some: the library must refuse them (kplus only checks the syntax).
      cidr: fc.constantFrom('203.0.113.0/24', '10.0.0.0/8', '0.0.0.0/0', '192.168.1.10/32', '10.0.0.1/8', '203.0.113.7/24'),
      except: sometimes(fc.constantFrom(['10.1.0.0/16'], ['203.0.113.128/25'], ['10.0.0.0/8'], ['192.168.0.0/16']), 2),
    }).map(dropUndefinedKeys),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ipv6' as const), cidr: fc.constantFrom('fd00::/8', '2001:db8::/32', 'fd00::1/8', '::/0') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pods' as const), labels: fc.dictionary(validLabelKey, validLabelValue, { minKeys: 1, maxKeys: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('namespaces' as const), labels: fc.dictionary(validLabelKey, validLabelValue, { maxKeys: 2 }) }) },
);

/** `allowFrom`: mostly unset, else one or two peers, sometimes an empty list. */
export const anyAllowFrom: fc.Arbitrary<PeerSpec[] | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.array(peerSpec, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constant([]) },
);

/** Builds the `allowFrom` peers `specs` describe as `<id>AllowFrom<i>` in `scope`. */
export function makeAllowFrom(scope: Chart, id: string, specs: PeerSpec[] | undefined): kplus.INetworkPolicyPeer[] | undefined {
  return specs?.map((spec, i) => {
    const peerId = `${id}AllowFrom${i}`;
    switch (spec.kind) {
      case 'ipv4': return kplus.NetworkPolicyIpBlock.ipv4(scope, peerId, spec.cidr, spec.except);
      case 'ipv6': return kplus.NetworkPolicyIpBlock.ipv6(scope, peerId, spec.cidr);
      case 'pods': return kplus.Pods.select(scope, peerId, { labels: spec.labels });
      case 'namespaces': return kplus.Namespaces.select(scope, peerId, { labels: spec.labels });
    }
  });
}

function dropUndefinedKeys<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The invariants of an `allowFrom` NetworkPolicy: present exactly when `allowFrom` was given, in
 * the pattern's namespace, selecting pods that carry `podLabels` (when known), admitting only on
 * `ports` (`<port>/<protocol>`).
 */
export function allowFromInvariants(policyName: string | undefined, given: PeerSpec[] | undefined, namespace: string,
  podLabels: { [key: string]: string } | undefined, ports: string[], docs: any[]): string[] {
  if (given === undefined) {
    return policyName === undefined ? [] : [`a NetworkPolicy ${policyName} exists although allowFrom was not given`];
  }
  const policy = docs.find((d) => d.kind === 'NetworkPolicy' && d.metadata?.name === policyName && (d.metadata?.namespace ?? 'default') === namespace);
  if (!policy) return [`allowFrom was given but no NetworkPolicy ${policyName} in namespace ${namespace}`];
  const problems: string[] = [];
  if (!(policy.spec?.policyTypes ?? []).includes('Ingress')) problems.push(`NetworkPolicy ${policyName} does not isolate ingress`);
  const selector = policy.spec?.podSelector?.matchLabels ?? {};
  if (Object.keys(selector).length === 0) problems.push(`NetworkPolicy ${policyName} selects every pod of the namespace`);
  if (podLabels && !Object.entries(selector).every(([k, v]) => podLabels[k] === v)) {
    problems.push(`NetworkPolicy ${policyName} selects ${JSON.stringify(selector)}, not the exposed pods ${JSON.stringify(podLabels)}`);
  }
  const admitted = new Set<string>();
  for (const rule of policy.spec?.ingress ?? []) {
    if (!rule.ports || rule.ports.length === 0) problems.push(`NetworkPolicy ${policyName} has an ingress rule on every port`);
    for (const p of rule.ports ?? []) admitted.add(`${p.port}/${p.protocol ?? 'TCP'}`);
    if (!rule.from || rule.from.length === 0) problems.push(`NetworkPolicy ${policyName} has an ingress rule from every source`);
  }
  const expected = new Set(ports);
  if ([...admitted].some((p) => !expected.has(p)) || [...expected].some((p) => !admitted.has(p))) {
    problems.push(`NetworkPolicy ${policyName} admits ${[...admitted].sort().join(',')}, the exposed ports are ${[...expected].sort().join(',')}`);
  }
  return problems;
}

// --- JavaScript callers -------------------------------------------------------------------------

/**
 * What a JavaScript caller (or a loosely typed value from another jsii language) does to a props
 * object that the types would refuse; `at` picks which prop (modulo the props that apply):
 * - `misspell`: a prop written with another case, a letter dropped or one added (`allowfrom`);
 * - `entry-misspell`: the same inside the first entry of a list of objects (`ports[0].nodeport`);
 * - `null-entry`: a `null` appended to a list (ports, peers, services, ...);
 * - `swap-type`: a string for a boolean or number (`"true"`, `"80"`), a number for a string, a
 *   plain copy (or a string) for a construct or class instance;
 * - `no-props`: no props object at all.
 * Every one of them must end in the library's error: never a TypeError, never accepted.
 */
export interface CallerMutation {
  readonly kind: 'misspell' | 'entry-misspell' | 'null-entry' | 'swap-type' | 'no-props';
  readonly at: number;
  /** Which spelling mistake, for `misspell`. */
  readonly spelling: number;
}

export const callerMutation: fc.Arbitrary<CallerMutation> = fc.record({
  kind: fc.constantFrom<CallerMutation['kind']>('misspell', 'misspell', 'entry-misspell', 'null-entry', 'swap-type', 'swap-type', 'no-props'),
  at: fc.nat({ max: 20 }),
  spelling: fc.nat({ max: 3 }),
});

/** A misspelling of `key` that is not `key` itself. */
function misspell(key: string, spelling: number): string {
  const variants = [key.toLowerCase(), `${key}s`, key.slice(0, -1), `${key.charAt(0).toUpperCase()}${key.slice(1)}`]
    .filter((k) => k !== key && k.length > 0);
  return variants[spelling % variants.length];
}

const isPlainObject = (value: unknown): value is { [key: string]: unknown } =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** A value of another type than `value` that no prop of that type accepts; undefined when none is known. */
function swapped(value: unknown): { value: unknown } | undefined {
  if (typeof value === 'boolean') return { value: String(value) };
  if (typeof value === 'number') return { value: String(value) };
  // A string that reads as a number or boolean may be the generator's own mistyped value (replicas
  // "2"): its swap could be the right type, so only other strings become numbers.
  if (typeof value === 'string') return /^-?\d+$|^(true|false)$/.test(value) ? undefined : { value: value.length + 80 };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isPlainObject(value)) {
    // A construct or class instance (a selector, a pool, an advertisement): an object literal of its
    // public fields, as a JavaScript caller would write it (the library's internal `_` fields left out).
    return { value: Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_'))) };
  }
  return undefined;
}

/**
 * Applies `mutation` to `props`: the props a JavaScript caller would pass instead, and what was
 * done (undefined when the mutation does not apply to these props, which are then passed as they are).
 */
export function applyCallerMutation(props: any, mutation: CallerMutation): { props: any; description?: string } {
  if (mutation.kind === 'no-props') return { props: undefined, description: 'no props object' };
  if (!isPlainObject(props)) return { props };
  const keys = Object.keys(props).filter((k) => props[k] !== undefined);
  const pick = (candidates: string[]) => (candidates.length === 0 ? undefined : candidates[mutation.at % candidates.length]);
  switch (mutation.kind) {
    case 'misspell': {
      const key = pick(keys);
      if (key === undefined) return { props };
      const typo = misspell(key, mutation.spelling);
      const { [key]: value, ...rest } = props;
      return { props: { ...rest, [typo]: value }, description: `${key} misspelt as ${typo}` };
    }
    case 'entry-misspell': {
      const key = pick(keys.filter((k) => Array.isArray(props[k]) && isPlainObject(props[k][0]) && Object.keys(props[k][0]).length > 0));
      if (key === undefined) return { props };
      const [first, ...others] = props[key] as any[];
      const entryKey = Object.keys(first)[mutation.at % Object.keys(first).length];
      const typo = misspell(entryKey, mutation.spelling);
      const { [entryKey]: value, ...rest } = first;
      return { props: { ...props, [key]: [{ ...rest, [typo]: value }, ...others] }, description: `${key}[0].${entryKey} misspelt as ${typo}` };
    }
    case 'null-entry': {
      const key = pick(keys.filter((k) => Array.isArray(props[k])));
      if (key === undefined) return { props };
      return { props: { ...props, [key]: [...(props[key] as unknown[]), null] }, description: `a null entry in ${key}` };
    }
    case 'swap-type': {
      const key = pick(keys.filter((k) => swapped(props[k]) !== undefined));
      if (key === undefined) return { props };
      const value = swapped(props[key])!.value;
      return { props: { ...props, [key]: value }, description: `${key} given as a ${isPlainObject(value) ? 'plain object' : typeof value}` };
    }
  }
}
