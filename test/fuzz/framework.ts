/**
 * Property-based fuzzing of the exposure patterns.
 *
 * A pattern plugs in with one generator module (test/fuzz/<pattern>.ts) exporting a
 * `PatternFuzzer`: an arbitrary of its inputs (valid and invalid mixed) and a `build` that
 * creates the construct from one input and returns the pattern's own invariants.
 *
 * One generated case is an App of three charts (`a` without a namespace, `b` in namespace `web`,
 * `7c` whose id starts with a digit)
 * holding one to five constructs: mostly of the pattern under test, some of the other registered
 * patterns (so that App-wide claims meet). The property, for every case:
 *
 * 1. each construct either builds, or throws an `Error` in the library's one format
 *    `[<its path>] <Class>: <prop> <problem>; got <value>. <fix>` (then the case ends there, as
 *    the user's program would);
 * 2. when all build, synthesis either fails with `node.addValidation` messages in that format,
 *    or produces documents that pass the schema harness (test/util.ts), the API server's value
 *    rules and the cluster-wide facts (test/fuzz/k8s-rules.ts: one object per
 *    kind/namespace/name, one Service per nodePort and cluster IP, hostPort = containerPort under
 *    hostNetwork, ...), and every pattern's own invariants;
 * 3. synthesis is deterministic: the same case, built again in a fresh App, gives byte-identical
 *    YAML (`App.synthYaml()`);
 * 4. what a JavaScript caller passes instead of typed props (a misspelt prop, a `null` list entry,
 *    `"true"` for a boolean, a plain object for a construct, no props: `CallerMutation`) is
 *    refused with the library's error, never accepted.
 *
 * Nothing else may escape: a TypeError, a message in another format or a throw from a Lazy
 * producer fails the property, and fast-check shrinks it to a minimal case.
 */
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import { applyCallerMutation, CallerMutation, callerMutation } from './arbitraries';
import { clusterProblems } from './k8s-rules';
import { KNOWN_ISSUES } from './known-issues';
import { expectValidManifests, validateTree } from '../util';

/** What a generator's `build` made. */
export interface Built {
  /** The construct under test. */
  readonly construct: IConstruct;
  /**
   * The pattern's own invariants, checked against every document of the App after synthesis:
   * the problems found (empty when all hold).
   */
  readonly check: (docs: any[]) => string[];
}

/** The generator module of one pattern. */
export interface PatternFuzzer<I = any> {
  /** The pattern's class name: the `<Class>` its errors carry. */
  readonly className: string;
  /**
   * Inputs of one construct: valid ones (mostly) and invalid ones (near-boundary numbers,
   * malformed names, wrong types), from small pools so that constructs of one App collide.
   */
  readonly input: fc.Arbitrary<I>;
  /** Other class names the construct's errors may carry (child constructs of the library). */
  readonly otherClassNames?: string[];
  /**
   * True for a pattern an App holds once (a second one is always refused): cases then rarely
   * hold two, so that most reach synthesis.
   */
  readonly singleton?: boolean;
  /** True when `build` passes its props through `caller`. */
  readonly javascriptCallers?: boolean;
  /**
   * Creates the construct `id` in `scope` (a chart) from `input`; may throw the library's error.
   * A generator that passes its props object through `caller` (`new X(scope, id, caller(props))`)
   * also gets JavaScript callers' inputs (`CallerMutation`).
   */
  build(scope: Chart, id: string, input: I, caller: <P>(props: P) => P): Built;
}

/** One construct of a case: which pattern, in which chart, from which input. */
export interface Entry {
  readonly pattern: string;
  readonly chart: number;
  readonly input: unknown;
  /** What a JavaScript caller does to the props, when it does something. */
  readonly caller?: CallerMutation;
}

/** Every registered generator, by pattern name: `registerFuzzers` fills it. */
const REGISTRY = new Map<string, PatternFuzzer>();

/** Makes generators known to `runCase` (by their class name). */
export function registerFuzzers(fuzzers: readonly PatternFuzzer[]): void {
  for (const fuzzer of fuzzers) REGISTRY.set(fuzzer.className, fuzzer);
}

function fuzzerOf(entry: Entry): PatternFuzzer {
  const fuzzer = REGISTRY.get(entry.pattern);
  if (!fuzzer) throw new Error(`no fuzz generator registered for ${entry.pattern}`);
  return fuzzer;
}

/** How one case ended. */
export type Outcome =
  | { readonly kind: 'rejected'; readonly prop: string; readonly message: string }
  | { readonly kind: 'invalid-at-synth'; readonly message: string }
  | { readonly kind: 'synthesized'; readonly constructs: number; readonly documents: number };

/** Counts of one pattern's run, for the report. */
export interface FuzzStats {
  runs: number;
  synthesized: number;
  rejectedAtConstruction: number;
  rejectedAtSynth: number;
  constructs: number;
  documents: number;
  /** How often each prop was the reason of a rejection. */
  readonly rejectedProps: Map<string, number>;
  /** The distinct rejection messages (construct paths and values left in), for review. */
  readonly messages: Set<string>;
}

/**
 * The charts of a case. `7c` starts with a digit: the names cdk8s derives from its paths are
 * valid DNS-1123 subdomains but not DNS-1035 labels, so its Services need an explicit name.
 */
const CHARTS: { id: string; namespace?: string }[] = [{ id: 'a' }, { id: 'b', namespace: 'web' }, { id: '7c' }];

/** The namespace a construct of `entry` lands in, as far as its input says (`namespace` or its chart's). */
export function entryNamespace(entry: Entry): unknown {
  return (entry.input as any)?.namespace ?? CHARTS[entry.chart % CHARTS.length].namespace ?? 'default';
}

/** Never written to: the App only synthesizes in memory. */
const OUTDIR = path.join(os.tmpdir(), 'cdk8s-expose-fuzz');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The library's error format for a construct at `constructPath` of one of `classNames`.
 * `<prop>` is a prop path such as `ports[0].nodePort` or `nodeSelector["kubernetes.io/hostname"]` (or an
 * object such as `BGPConfiguration "default"`); the value and fix may span lines.
 */
function errorFormat(constructPath: string, classNames: string[]): RegExp {
  return new RegExp(`^\\[${escapeRegExp(constructPath)}\\] (${classNames.map(escapeRegExp).join('|')}): ([A-Za-z][\\w.]*(?:\\[[^\\]]*\\][\\w.]*)*(?: "[^"]*")?) \\S[\\s\\S]*?; got [\\s\\S]*?\\. \\S[\\s\\S]*$`);
}

/** Builds one case into a fresh App; returns the App and what was built, or the rejection. */
function buildCase(entries: readonly Entry[]): { app: App; built: Built[]; rejection?: Outcome } {
  const app = new App({ outdir: OUTDIR });
  const charts = CHARTS.map((c) => new Chart(app, c.id, { namespace: c.namespace }));
  const built: Built[] = [];
  for (const [i, entry] of entries.entries()) {
    const chart = charts[entry.chart % charts.length];
    const id = `C${i}`;
    const fuzzer = fuzzerOf(entry);
    let mutated: string | undefined;
    const caller = <P>(props: P): P => {
      if (entry.caller === undefined) return props;
      const applied = applyCallerMutation(props, entry.caller);
      mutated = applied.description;
      return applied.props;
    };
    try {
      built.push(fuzzer.build(chart, id, entry.input, caller));
    } catch (error) {
      const constructPath = `${chart.node.id}/${id}`;
      const classNames = [fuzzer.className, ...(fuzzer.otherClassNames ?? [])];
      if (!(error instanceof Error)) {
        throw new Error(`[${constructPath}] threw a non-Error: ${String(error)}`);
      }
      const match = errorFormat(constructPath, classNames).exec(error.message);
      if (!match) {
        throw new Error(`[${constructPath}] threw an error that is not in the library's format `
          + `"[${constructPath}] ${classNames.join('|')}: <prop> <problem>; got <value>. <fix>":\n${error.stack}`);
      }
      return { app, built, rejection: { kind: 'rejected', prop: match[2].replace(/\[\d+\]/g, '[]'), message: error.message } };
    }
    if (mutated !== undefined) {
      throw new Error(`[${chart.node.id}/${id}] ${fuzzer.className} accepted a JavaScript caller's input (${mutated}) instead of refusing it`);
    }
  }
  return { app, built };
}

const VALIDATION_HEADER = 'Validation failed with the following errors:\n';

/**
 * Runs one case and checks the property; throws (failing the property) when it does not hold.
 */
export function runCase(entries: readonly Entry[]): Outcome {
  const { app, built, rejection } = buildCase(entries);
  if (rejection) return rejection;

  // Synthesis: addValidation messages in the format, or documents the cluster accepts.
  let docs: any[];
  try {
    validateTree(app);
  } catch (error: any) {
    const message: string = error?.message ?? String(error);
    if (!message.startsWith(VALIDATION_HEADER)) throw error;
    const lines = message.slice(VALIDATION_HEADER.length).split('\n  ').map((l) => l.trim());
    const classNames = entries.map(fuzzerOf).flatMap((f) => [f.className, ...(f.otherClassNames ?? [])]);
    for (const line of lines) {
      const at = /^\[([^\]]+)\]/.exec(line)?.[1] ?? '';
      if (!errorFormat(at, classNames).test(line)) {
        throw new Error(`a node.addValidation message is not in the library's format: ${line}`);
      }
    }
    return { kind: 'invalid-at-synth', message };
  }
  try {
    docs = app.charts.flatMap((c) => c.toJson());
  } catch (error: any) {
    throw new Error(`synthesis crashed after validation passed (a throw inside a Lazy producer?): ${error?.stack ?? error}`);
  }
  expectValidManifests(docs);
  const problems = [...clusterProblems(docs), ...built.flatMap((b) => b.check(docs).map((p) => `[${b.construct.node.path}] ${p}`))];
  if (problems.length > 0) {
    throw new Error(`the synthesized App breaks ${problems.length} rule(s):\n  ${problems.join('\n  ')}`);
  }

  // Determinism: the same case in a fresh App gives the same bytes.
  const first = app.synthYaml();
  const again = buildCase(entries);
  if (again.rejection) throw new Error(`the same case was rejected on the second build: ${again.rejection.kind}`);
  const second = again.app.synthYaml();
  if (first !== second) {
    throw new Error(`synthesis is not deterministic: two builds of the same case differ\n--- first\n${first}\n--- second\n${second}`);
  }
  return { kind: 'synthesized', constructs: built.length, documents: docs.length };
}

/** The number of runs per pattern (`FUZZ_RUNS`, default `defaultRuns`). */
export function fuzzRuns(defaultRuns: number): number {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer; got ${process.env.FUZZ_RUNS}`);
  return runs;
}

/** The seed (`FUZZ_SEED`, default fixed so CI is reproducible) and replay path (`FUZZ_PATH`). */
export function fuzzParameters(defaultSeed: number): { seed: number; path?: string } {
  const seed = Number(process.env.FUZZ_SEED ?? defaultSeed);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer; got ${process.env.FUZZ_SEED}`);
  return { seed, path: process.env.FUZZ_PATH };
}

/**
 * The arbitrary of whole cases for `target`: one to five constructs, at least one of `target`,
 * the others of `target` (three in four) or of a neighbour pattern.
 */
export function caseArbitrary(target: PatternFuzzer, neighbours: readonly PatternFuzzer[]): fc.Arbitrary<Entry[]> {
  registerFuzzers([target, ...neighbours]);
  const entry = (fuzzer: PatternFuzzer): fc.Arbitrary<Entry> =>
    fc.record({
      chart: fc.nat({ max: CHARTS.length - 1 }),
      input: fuzzer.input,
      // One construct in eight gets a JavaScript caller's input, when its generator takes them.
      caller: fuzzer.javascriptCallers
        ? fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: callerMutation })
        : fc.constant(undefined),
    }).map((e) => (e.caller === undefined ? { pattern: fuzzer.className, chart: e.chart, input: e.input } : { pattern: fuzzer.className, ...e }));
  const others = neighbours.filter((n) => n !== target);
  const any = others.length === 0
    ? entry(target)
    : fc.oneof(
      { weight: target.singleton ? 1 : 3 * others.length, arbitrary: entry(target) },
      ...others.map((n) => ({ weight: 1, arbitrary: entry(n) })),
    );
  return fc.tuple(entry(target), fc.array(any, { maxLength: 4 }), fc.nat())
    .map(([own, rest, at]) => {
      const entries = [...rest];
      entries.splice(at % (rest.length + 1), 0, own);
      return entries;
    })
    .filter((entries) => !KNOWN_ISSUES.some((issue) => issue.matches(entries)));
}

/** An empty stats record. */
export function newStats(): FuzzStats {
  return {
    runs: 0,
    synthesized: 0,
    rejectedAtConstruction: 0,
    rejectedAtSynth: 0,
    constructs: 0,
    documents: 0,
    rejectedProps: new Map(),
    messages: new Set(),
  };
}

/** Adds one outcome to `stats`. */
export function record(stats: FuzzStats, outcome: Outcome): void {
  stats.runs++;
  if (outcome.kind === 'rejected') {
    stats.rejectedAtConstruction++;
    stats.rejectedProps.set(outcome.prop, (stats.rejectedProps.get(outcome.prop) ?? 0) + 1);
    stats.messages.add(outcome.message);
  } else if (outcome.kind === 'invalid-at-synth') {
    stats.rejectedAtSynth++;
    stats.messages.add(outcome.message);
  } else {
    stats.synthesized++;
    stats.constructs += outcome.constructs;
    stats.documents += outcome.documents;
  }
}

/** One line per pattern for the log. */
export function summary(name: string, stats: FuzzStats, seed: number): string {
  const props = [...stats.rejectedProps.entries()].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ${n}`).join(', ');
  return `fuzz ${name}: ${stats.runs} cases (seed ${seed}): ${stats.synthesized} synthesized `
    + `(${stats.constructs} constructs, ${stats.documents} documents), ${stats.rejectedAtConstruction} rejected at construction, `
    + `${stats.rejectedAtSynth} at synth; rejected props: ${props || 'none'}`;
}
