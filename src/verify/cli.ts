#!/usr/bin/env node
/**
 * The `cdk8s-expose` command. `cdk8s-expose verify [access.json ...]` probes every access point of
 * the access guides against the cluster of the current kubeconfig.
 */
import { ClusterClient, KubectlClusterClient } from './cluster';
import { DEFAULT_GUIDE_DIR, findGuides, GuideApp, readGuide, relocate, VerifyError } from './guide';
import { LocalProber, NetProber } from './probe';
import { EXIT_ERROR, exitStatus, renderJson, renderTable } from './report';
import { verifyApps } from './verify';

/** `--timeout` when not given: the total wait for readiness and addresses. */
export const DEFAULT_TIMEOUT_SECONDS = 120;
/** `--probe-timeout` when not given. */
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 5;
/** `--probe-image` when not given. */
export const DEFAULT_PROBE_IMAGE = 'busybox';

export const USAGE = `Usage: cdk8s-expose verify [access.json ...] [options]

Probes every access point of the access guides (default: every access.json under ${DEFAULT_GUIDE_DIR}/)
on the cluster of the current kubeconfig, from where each is meant to be reachable: outside
points from this machine, cluster-internal points from a short-lived probe pod, API-server
points through kubectl proxy. Exit status 0 only when every probed point is reachable; 1 when a
probe failed; 2 on bad input, an unreachable cluster or missing permissions.

Options:
  --timeout SECONDS        total wait for pods, endpoints and load balancer addresses (default ${DEFAULT_TIMEOUT_SECONDS})
  --probe-timeout SECONDS  per probe (default ${DEFAULT_PROBE_TIMEOUT_SECONDS})
  --probe-image IMAGE      image of the probe pod; needs sh, timeout, wget, nc (default ${DEFAULT_PROBE_IMAGE})
  --negative               also check that what is not exposed does not answer: cluster-internal
                           Service addresses from this machine, load balancers from a client
                           outside loadBalancerSourceRanges
  --namespace NS           the apps the guide places in "default" were applied with kubectl -n NS
  --proxy-as USER          run kubectl proxy as USER (impersonation), e.g. a subject of ApiProxyAccess
  --proxy-as-group GROUP   with --proxy-as: a group of that user (repeatable)
  --json                   print the report as JSON
  --kubeconfig FILE, --context NAME, --as USER, --as-group GROUP   as kubectl has them
  -h, --help               this text
`;

/** Parsed command line. */
export interface CliOptions {
  readonly files: string[];
  readonly timeoutSeconds: number;
  readonly probeTimeoutSeconds: number;
  readonly probeImage: string;
  readonly negative: boolean;
  readonly json: boolean;
  readonly namespace?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly as?: string;
  readonly asGroups: string[];
  readonly proxyAs?: string;
  readonly proxyAsGroups: string[];
  readonly help: boolean;
}

const VALUE_FLAGS = ['timeout', 'probe-timeout', 'probe-image', 'namespace', 'kubeconfig', 'context', 'as', 'as-group', 'proxy-as', 'proxy-as-group'];
const BOOLEAN_FLAGS = ['negative', 'json', 'help'];

/** Parses `verify`'s arguments (without the `verify` word); a VerifyError on bad usage. */
export function parseArgs(argv: string[]): CliOptions {
  const values: { [flag: string]: string[] } = {};
  const flags = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') { flags.add('help'); continue; }
    if (!arg.startsWith('--')) { files.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (BOOLEAN_FLAGS.includes(name) && eq < 0) { flags.add(name); continue; }
    if (!VALUE_FLAGS.includes(name)) throw new VerifyError(`unknown option ${arg} (see cdk8s-expose verify --help)`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new VerifyError(`option --${name} needs a value`);
    (values[name] ??= []).push(value);
  }
  const one = (name: string) => values[name]?.[values[name].length - 1];
  const seconds = (name: string, dflt: number) => {
    const text = one(name);
    if (text === undefined) return dflt;
    const m = /^([0-9]+(?:\.[0-9]+)?)(s|m)?$/.exec(text);
    if (!m || Number(m[1]) <= 0) throw new VerifyError(`option --${name} must be a positive number of seconds (e.g. 90, 90s or 2m); got ${text}`);
    return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
  };
  return {
    files,
    timeoutSeconds: seconds('timeout', DEFAULT_TIMEOUT_SECONDS),
    probeTimeoutSeconds: seconds('probe-timeout', DEFAULT_PROBE_TIMEOUT_SECONDS),
    probeImage: one('probe-image') ?? DEFAULT_PROBE_IMAGE,
    negative: flags.has('negative'),
    json: flags.has('json'),
    help: flags.has('help'),
    namespace: one('namespace'),
    kubeconfig: one('kubeconfig'),
    context: one('context'),
    as: one('as'),
    asGroups: values['as-group'] ?? [],
    proxyAs: one('proxy-as'),
    proxyAsGroups: values['proxy-as-group'] ?? [],
  };
}

/** Where the command writes, and what it talks to: the real ones, or the unit tests' fakes. */
export interface CliEnvironment {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only then). */
  readonly interactive: boolean;
  readonly client?: (options: CliOptions) => ClusterClient;
  readonly prober?: LocalProber;
}

/** Runs the command; resolves to the exit status. Never throws. */
export async function main(argv: string[], env: CliEnvironment): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help') {
      env.stdout(USAGE);
      return command === undefined ? EXIT_ERROR : 0;
    }
    if (command !== 'verify') throw new VerifyError(`unknown command "${command}"; the only command is verify (cdk8s-expose verify --help)`);
    const options = parseArgs(rest);
    if (options.help) {
      env.stdout(USAGE);
      return 0;
    }
    const files = options.files.length > 0 ? options.files : findGuides(DEFAULT_GUIDE_DIR);
    const apps: GuideApp[] = relocate(files.flatMap((f) => readGuide(f)), options.namespace);
    const client = env.client?.(options) ?? new KubectlClusterClient({
      kubeconfig: options.kubeconfig, context: options.context, as: options.as, asGroups: options.asGroups,
    });
    const progress = env.interactive ? (line: string) => env.stderr(`  ${line}\n`) : undefined;
    const results = await verifyApps(apps, {
      timeoutMs: options.timeoutSeconds * 1000,
      probeTimeoutMs: options.probeTimeoutSeconds * 1000,
      probeImage: options.probeImage,
      negative: options.negative,
      proxyIdentity: options.proxyAs ? { user: options.proxyAs, groups: options.proxyAsGroups } : undefined,
    }, client, env.prober ?? new NetProber(), progress);
    env.stdout(options.json ? renderJson(results) : renderTable(results));
    return exitStatus(results);
  } catch (e: any) {
    const message = e instanceof VerifyError ? e.message : `unexpected error: ${e?.message ?? e}`;
    env.stderr(`cdk8s-expose verify: ${message.split('\n')[0]}\n`);
    return EXIT_ERROR;
  }
}

/* istanbul ignore next: the process entry point */
if (require.main === module) {
  void main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: process.stderr.isTTY === true,
  }).then((code) => { process.exitCode = code; });
}
