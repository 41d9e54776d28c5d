/**
 * Benchmark of cdk8s-expose against the baselines, every measurement in a fresh node process
 * (scripts/bench/child.ts), reported as the median of several processes, with the ratios measured
 * in the same run. The ratios compare CPU time (user + system) of the measured work, which other
 * processes on a shared machine barely disturb; wall time is printed next to it:
 *
 *   (a) `require()` of the library and the first read of one pattern (`NodePortService`, what an
 *       App using it loads: the index is lazy, scripts/lazy-index.ts) vs
 *       `require('cdk8s-plus-27')`                                            target <= 1.15x
 *       (a') the same with every export read (the whole library): printed, not a target
 *   (b) N NodePort Services + synth: the library vs the typed L1 (KubeService)   aim 1.2x
 *       (also vs a bare cdk8s ApiObject, and the same plain objects through cdk8s' YAML
 *       serializer); each Service selects its own pods, so the library variant also makes a
 *       `kplus.Pods.select` per Service. (b') is the same with one shared selector.
 *       The `floor` variant is the L1 in the library's construct tree without the library's
 *       code (each KubeService the `Resource` child of a bare Construct, next to the same
 *       `Pods.select`): what cdk8s charges for the constructs any L2 with this API adds, so
 *       `lib / floor` is the cost of the library's own code (printed, not a target).
 *   (c) N apps (Deployment + NodePort Service, both as the Deployment's child `Service`): the
 *       library vs cdk8s-plus-27 `exposeViaService`                         target <= 1.0x
 *       (15 processes per variant, 7 at the largest N); its `floor` (the same objects without
 *       the library's code) shows what the library's own code costs, and the CPU time before
 *       `synthYaml()` splits each difference into construction and synthesis (printed, not
 *       targets)
 *   (d) scaling: 10x N must cost <= 11x the time, for (b) and (c)
 *   (e) one App with N HTTP routes (`IngressRoute`, 10 routes per construct under one wildcard
 *       route every host overlaps) per flavour: Traefik (with its App-wide priorities) / Ingress
 *       target <= 2.0x; and 10x N routes must cost <= 11x the time for Traefik (the App-wide
 *       priority assignment stays near-linear)
 * with the peak memory (maxRSS) of each.
 *
 * The library is measured as compiled JavaScript, as users load it: the script compiles src/ with
 * tsc (the project's tsconfig, outDir bench.out/lib) and makes its index lazy as the compile task
 * does (scripts/lazy-index.ts), unless BENCH_LIB names an already compiled directory (e.g. `lib`
 * after the jsii build). Outside (a), every export is read before the timed work. The child script is compiled to bench.out/child.
 * Nothing is written outside bench.out/ (git-ignored).
 *
 * Usage (from the repository root):
 *   ts-node --project test/tsconfig.json scripts/bench.ts
 * Environment: BENCH_RUNS (processes per measurement; default 5, and 3 at the largest N),
 * BENCH_N (comma-separated sizes; default 1000,10000), BENCH_LIB (compiled library directory),
 * BENCH_PROFILE=1 (also write CPU profiles of the library runs at the largest N to
 * bench.out/profiles and print their hottest functions).
 * Exits 1 when a target (not an aim) is missed (BENCH_NO_FAIL=1 only reports).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Task } from './bench/child';
import { median, ratioInterval } from './bench/stats';
import { lazifyIndex } from './lazy-index';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench.out');
const SIZES = (process.env.BENCH_N ?? '1000,10000').split(',').map((s) => Number(s.trim()));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LARGE_RUNS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * Processes per variant for (c), whose limit sits within a few percent of the measured ratio: at
 * 5 and 3 processes its verdict flipped from run to run on the machine's spread alone.
 */
const APPS_RUNS = Number(process.env.BENCH_RUNS ?? 15);
const LARGE_APPS_RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Sample {
  readonly cpuMs: number;
  readonly ms: number;
  /** CPU time before synthesis (the `apps` scenario only). */
  readonly constructionCpuMs?: number;
  readonly maxRssMb: number;
  readonly heapUsedMb: number;
  readonly bytes: number;
  readonly sha: string;
  /** The sha without the lines only cdk8s-plus-27 emits (`externalIPs: []`). */
  readonly normalizedSha: string;
}

interface Measurement {
  readonly task: Task;
  readonly samples: Sample[];
  /** Median CPU time of the work (what the ratios compare). */
  readonly cpuMs: number;
  /** Median wall time of the work. */
  readonly ms: number;
  readonly maxRssMb: number;
}

interface Check {
  readonly name: string;
  readonly value: number;
  /**
   * The 95% interval of the ratio: a bootstrap over the processes of both measurements (each
   * resampled on its own, the ratio of the medians taken). It shows how far this machine's
   * spread carries the ratio: a ratio near its target can pass or miss by run.
   */
  readonly interval: readonly [number, number];
  readonly target: number;
  readonly pass: boolean;
  /**
   * An aim, not a limit: reported, never failing the run. (b) is one: the floor (the constructs
   * any L2 with this API adds, without the library's code) already costs about 1.1-1.4x the L1.
   */
  readonly aim?: boolean;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    // tsc emits despite type errors (noEmitOnError is off here): report them, go on if JS was written.
    process.stderr.write(`bench: ${path.basename(command)} ${args.join(' ')} exited ${result.status}\n${(result.stdout + result.stderr).slice(0, 4000)}\n`);
  }
}

/** Compiles the library (unless BENCH_LIB) and the child; returns the library directory. */
function compile(): { libDir: string; childJs: string } {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
  let libDir: string;
  if (process.env.BENCH_LIB) {
    libDir = path.resolve(ROOT, process.env.BENCH_LIB);
  } else {
    libDir = path.join(OUT, 'lib');
    fs.rmSync(libDir, { recursive: true, force: true });
    run(tsc, ['-p', 'tsconfig.json', '--outDir', libDir, '--noEmitOnError', 'false', '--declaration', 'false']);
    lazifyIndex(libDir);
  }
  if (!fs.existsSync(path.join(libDir, 'index.js'))) {
    throw new Error(`bench: no compiled library at ${libDir}/index.js`);
  }
  const childDir = path.join(OUT, 'child');
  run(tsc, [path.join('scripts', 'bench', 'child.ts'), '--outDir', childDir, '--rootDir', path.join('scripts', 'bench'),
    '--module', 'commonjs', '--target', 'es2022', '--types', 'node', '--skipLibCheck', '--strict']);
  return { libDir, childJs: path.join(childDir, 'child.js') };
}

function sample(childJs: string, task: Task, extraArgs: string[] = []): Sample {
  const result = spawnSync(process.execPath, [...extraArgs, childJs, JSON.stringify(task)], {
    cwd: OUT, encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`bench: ${task.scenario}/${task.variant}/${task.n} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** Runs each task `runs` times, interleaved (a, b, c, a, b, c, ...) so that drift hits all alike. */
function measure(childJs: string, tasks: Task[], runs: number): Measurement[] {
  const samples: Sample[][] = tasks.map(() => []);
  for (let r = 0; r < runs; r++) {
    tasks.forEach((task, i) => samples[i].push(sample(childJs, task)));
  }
  return tasks.map((task, i) => ({
    task,
    samples: samples[i],
    cpuMs: median(samples[i].map((s) => s.cpuMs)),
    ms: median(samples[i].map((s) => s.ms)),
    maxRssMb: median(samples[i].map((s) => s.maxRssMb)),
  }));
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** A signed number: `+3.2`, `-1.0`. */
const signed = (n: number) => `${n < 0 ? '' : '+'}${fmt(n)}`;

/**
 * Where a difference in (c) lies: the medians of the construction CPU time (before `synthYaml()`)
 * and of the rest (synthesis), in microseconds per app, `over` minus `base`.
 */
function phaseDifference(over: Measurement, base: Measurement, n: number): string {
  const construction = (m: Measurement) => median(m.samples.map((s) => s.constructionCpuMs ?? NaN));
  const synthesis = (m: Measurement) => median(m.samples.map((s) => s.cpuMs - (s.constructionCpuMs ?? NaN)));
  const perApp = (ms: number) => signed((ms * 1000) / n);
  return `construction ${perApp(construction(over) - construction(base))} us, synthesis ${perApp(synthesis(over) - synthesis(base))} us`;
}

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  const { libDir, childJs } = compile();
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  const task = (scenario: Task['scenario'], variant: Task['variant'], n: number): Task => ({ scenario, variant, n, libDir });
  const find = (scenario: string, variant: string, n: number) =>
    measurements.find((m) => m.task.scenario === scenario && m.task.variant === variant && m.task.n === n)!;
  const addCheck = (name: string, over: Measurement, base: Measurement, target: number, aim = false) => {
    const value = over.cpuMs / base.cpuMs;
    const interval = ratioInterval(over.samples.map((x) => x.cpuMs), base.samples.map((x) => x.cpuMs));
    checks.push({ name, value, interval, target, pass: value <= target, aim });
  };

  // (a) require
  measurements.push(...measure(childJs, [task('require', 'lib', 0), task('require', 'lib-all', 0), task('require', 'kplus', 0)], Math.max(RUNS, 15)));
  addCheck('(a) require + NodePortService: cdk8s-expose / cdk8s-plus-27', find('require', 'lib', 0), find('require', 'kplus', 0), 1.15);
  notes.push(`(a') require + every export (the whole library) / cdk8s-plus-27: ${
    fmt(find('require', 'lib-all', 0).cpuMs / find('require', 'kplus', 0).cpuMs, 2)}x (not a target: an App loads the patterns it uses)`);

  // (b) Services, (c) apps, at each size
  for (const n of SIZES) {
    const runs = n === Math.max(...SIZES) && SIZES.length > 1 ? LARGE_RUNS : RUNS;
    const serviceVariants: Task['variant'][] = ['lib', 'l1', 'floor', 'apiobject', 'yaml'];
    measurements.push(...measure(childJs, serviceVariants.map((v) => task('services', v, n)), runs));
    const outputs = new Set(serviceVariants.map((v) => find('services', v, n).samples[0].sha));
    if (outputs.size !== 1) notes.push(`(b) N=${n}: the variants' YAML differs (sha ${[...outputs].join(', ')}): the comparison is not like for like`);
    addCheck(`(b) N=${n} Services: cdk8s-expose / L1 KubeService`, find('services', 'lib', n), find('services', 'l1', n), 1.2, true);
    measurements.push(...measure(childJs, [task('services-shared', 'lib', n), task('services-shared', 'l1', n), task('services-shared', 'floor', n)], runs));
    if (new Set(['lib', 'l1', 'floor'].map((v) => find('services-shared', v, n).samples[0].sha)).size !== 1) {
      notes.push(`(b') N=${n}: the variants' YAML differs: the comparison is not like for like`);
    }
    addCheck(`(b') N=${n} Services, one shared selector: cdk8s-expose / L1 KubeService`,
      find('services-shared', 'lib', n), find('services-shared', 'l1', n), 1.2, true);
    const appsRuns = n === Math.max(...SIZES) && SIZES.length > 1 ? LARGE_APPS_RUNS : APPS_RUNS;
    measurements.push(...measure(childJs, [task('apps', 'lib', n), task('apps', 'kplus', n), task('apps', 'floor', n)], appsRuns));
    if (new Set(['lib', 'kplus', 'floor'].map((v) => find('apps', v, n).samples[0].normalizedSha)).size !== 1) {
      notes.push(`(c) N=${n}: the variants' YAML differs (beyond cdk8s-plus-27's \`externalIPs: []\`): the comparison is not like for like`);
    }
    addCheck(`(c) N=${n} apps: cdk8s-expose / cdk8s-plus-27 exposeViaService`, find('apps', 'lib', n), find('apps', 'kplus', n), 1.0);
    measurements.push(...measure(childJs, [task('routes', 'ingress', n), task('routes', 'traefik', n), task('routes', 'gateway', n)], runs));
    addCheck(`(e) N=${n} routes in one App: TRAEFIK / INGRESS`, find('routes', 'traefik', n), find('routes', 'ingress', n), 2.0);
  }
  if (SIZES.length > 1) {
    const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
    const factor = large / small;
    for (const scenario of ['services', 'apps']) {
      addCheck(`(d) ${scenario}: time(N=${large}) / time(N=${small}) (${factor}x objects)`,
        find(scenario, 'lib', large), find(scenario, 'lib', small), factor * 1.1);
    }
    addCheck(`(e) TRAEFIK routes: time(N=${large}) / time(N=${small}) (${factor}x routes, App-wide priorities)`,
      find('routes', 'traefik', large), find('routes', 'traefik', small), factor * 1.1);
  }

  // Report
  const lines: string[] = [];
  lines.push(`cdk8s-expose benchmark: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), `
    + `library from ${path.relative(ROOT, libDir) || '.'}; CPU time (user + system) of the measured work, medians of fresh processes (${RUNS} per measurement, ${LARGE_RUNS} at the largest N, ${Math.max(RUNS, 15)} for require)`);
  lines.push('');
  lines.push('| measurement | variant | N | CPU ms | us / object | ratio to baseline | wall ms | maxRSS MB |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  const baselineOf: { [scenario: string]: string } = { 'require': 'kplus', 'services': 'l1', 'services-shared': 'l1', 'apps': 'kplus', 'routes': 'ingress' };
  const label: { [variant: string]: string } = {
    'lib': 'cdk8s-expose',
    'lib-all': 'cdk8s-expose, every export read',
    'l1': 'L1 KubeService',
    'floor': 'L1 in the library\'s construct tree (floor)',
    'apiobject': 'cdk8s ApiObject',
    'yaml': 'plain objects + YAML',
    'kplus': 'cdk8s-plus-27',
    'ingress': 'RouteFlavour.ingress()',
    'traefik': 'RouteFlavour.traefik()',
    'gateway': 'RouteFlavour.gatewayApi()',
  };
  const title: { [scenario: string]: string } = {
    'require': '(a) require',
    'services': '(b) NodePort Services + synth',
    'services-shared': '(b\') the same, one shared selector',
    'apps': '(c) Deployment + NodePort Service apps + synth',
    'routes': '(e) HTTP routes in one App + synth',
  };
  for (const m of measurements) {
    const base = find(m.task.scenario, baselineOf[m.task.scenario], m.task.n);
    lines.push(`| ${title[m.task.scenario]} | ${label[m.task.variant]} | ${m.task.n || '-'} | ${fmt(m.cpuMs)} | ${m.task.n ? fmt((m.cpuMs * 1000) / m.task.n) : '-'} `
      + `| ${fmt(m.cpuMs / base.cpuMs, 2)}x | ${fmt(m.ms)} | ${fmt(m.maxRssMb, 0)} |`);
  }
  lines.push('');
  lines.push('The library\'s own code, beyond the constructs any L2 adds (cdk8s-expose / floor; not a target):');
  lines.push('');
  for (const n of SIZES) {
    for (const scenario of ['services', 'services-shared']) {
      const lib = find(scenario, 'lib', n);
      const floor = find(scenario, 'floor', n);
      const l1 = find(scenario, 'l1', n);
      lines.push(`- ${title[scenario]} N=${n}: floor / L1 ${fmt(floor.cpuMs / l1.cpuMs, 2)}x, cdk8s-expose / floor ${fmt(lib.cpuMs / floor.cpuMs, 2)}x `
        + `(${signed(((lib.cpuMs - floor.cpuMs) * 1000) / n)} us per Service)`);
    }
    const [lib, floor, kplus] = ['lib', 'floor', 'kplus'].map((v) => find('apps', v, n));
    lines.push(`- ${title.apps} N=${n}: floor / cdk8s-plus-27 ${fmt(floor.cpuMs / kplus.cpuMs, 2)}x, cdk8s-expose / floor ${fmt(lib.cpuMs / floor.cpuMs, 2)}x `
      + `(${signed(((lib.cpuMs - floor.cpuMs) * 1000) / n)} us per app); cdk8s-expose - cdk8s-plus-27 per app: ${phaseDifference(lib, kplus, n)}`);
  }
  lines.push('');
  lines.push('| target | measured | 95% interval | limit | result |');
  lines.push('|---|---:|---:|---:|---|');
  for (const c of checks) {
    const result = c.aim ? `aim ${c.pass ? 'met' : 'not met'}` : c.pass ? 'PASS' : 'MISS';
    // Whether the machine's spread alone could flip the result (the interval holds the limit).
    const inSpread = c.interval[0] <= c.target && c.target <= c.interval[1] ? ' (the limit is inside the interval)' : '';
    lines.push(`| ${c.name} | ${fmt(c.value, 2)}x | ${fmt(c.interval[0], 2)}-${fmt(c.interval[1], 2)}x | ${c.aim ? 'aim ' : ''}${fmt(c.target, 2)}x | ${result}${inSpread} |`);
  }
  for (const note of notes) lines.push(`\nnote: ${note}`);

  if (process.env.BENCH_PROFILE === '1') lines.push('', ...profile(childJs, libDir));
  lines.push('', `finished in ${fmt((Date.now() - started) / 1000, 0)} s`);

  const report = lines.join('\n');
  process.stdout.write(`${report}\n`);
  fs.writeFileSync(path.join(OUT, 'results.md'), `${report}\n`);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ node: process.version, measurements, checks, notes }, null, 2));
  if (checks.some((c) => !c.pass && !c.aim) && process.env.BENCH_NO_FAIL !== '1') {
    process.exitCode = 1;
  }
}

/**
 * CPU profiles of the library variants at the largest N (`node --cpu-prof`), and each one's
 * hottest functions by self time.
 */
function profile(childJs: string, libDir: string): string[] {
  const dir = path.join(OUT, 'profiles');
  fs.rmSync(dir, { recursive: true, force: true });
  const n = Math.max(...SIZES);
  const lines: string[] = [`CPU profiles (${path.relative(ROOT, dir)}), hottest functions by self time:`];
  for (const scenario of ['services', 'apps'] as const) {
    const before = new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
    sample(childJs, { scenario, variant: 'lib', n, libDir }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const file = fs.readdirSync(dir).find((f) => !before.has(f))!;
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const self = new Map<string, number>();
    const byId = new Map<number, any>(prof.nodes.map((node: any) => [node.id, node]));
    const dt = (prof.endTime - prof.startTime) / prof.samples.length / 1000;
    for (const id of prof.samples) {
      const frame = byId.get(id).callFrame;
      const where = `${frame.functionName || '(anonymous)'} ${path.relative(ROOT, frame.url.replace('file://', '')) || frame.url}:${frame.lineNumber + 1}`;
      self.set(where, (self.get(where) ?? 0) + dt);
    }
    lines.push(`- ${scenario} N=${n} (${file}):`);
    for (const [where, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      lines.push(`    ${fmt(ms, 0).padStart(6)} ms  ${where}`);
    }
  }
  return lines;
}

main();
