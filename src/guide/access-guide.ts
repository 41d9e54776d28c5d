import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { onNodeCommand } from './commands';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { parseIp } from '../core/net';
import { shellCommand } from '../core/shell';
import { clusterSetup, profiledGuide, ProfiledGuide } from '../profile/profile-guide';

/**
 * One exposed app in the access guide.
 */
export interface AccessGuideEntry {
  /** The construct path of the exposure pattern. */
  readonly path: string;
  /** The pattern, e.g. `NodePort Service`. */
  readonly patternName: string;
  /** The namespace of its objects. */
  readonly namespace: string;
  /** How it is reached. */
  readonly accessPoints: AccessPoint[];
  /** What the cluster needs for it to work. */
  readonly prerequisites: string[];
}

/** The file names `AccessGuide.writeFiles()` writes. */
export const ACCESS_GUIDE_MARKDOWN_FILE = 'ACCESS.md';
/** The JSON twin of the Markdown guide. */
export const ACCESS_GUIDE_JSON_FILE = 'access.json';

/** The guide's pointer to `cdk8s-expose verify`, which probes every access point of `access.json`. */
const VERIFY_LINE = `After \`kubectl apply\`, test every access point below at once with \`npx cdk8s-expose verify\` (it reads the \`${ACCESS_GUIDE_JSON_FILE}\` beside this file; see the README, "Verify a deployment").`;

const ORIGIN_TEXT: { [origin: string]: string } = {
  [AccessOrigin.OUTSIDE_CLUSTER]: 'from outside the cluster',
  [AccessOrigin.CLUSTER_NETWORK]: 'from inside the cluster only',
  [AccessOrigin.API_SERVER]: 'through the Kubernetes API server (authenticated users)',
  [AccessOrigin.ROUTED_NETWORK]: 'from networks that learn the pod routes over BGP',
};

const ENTRY_TEXT: { [method: string]: string } = {
  [AccessMethod.HOST_NETWORK]: 'node address (host network)',
  [AccessMethod.HOST_PORT]: 'node address (host port)',
  [AccessMethod.NODE_PORT]: 'any node address (node port)',
  [AccessMethod.LOAD_BALANCER]: 'load balancer IP',
  [AccessMethod.INGRESS]: 'ingress controller',
  [AccessMethod.API_SERVER_PROXY]: 'kubectl proxy -> API server',
  [AccessMethod.CLUSTER_IP]: 'Service virtual IP',
  [AccessMethod.POD_IP]: 'pod IPs',
};

/**
 * "How do I reach it": the access points of every exposure pattern under a scope (an App or a
 * Chart), rendered as Markdown for people and JSON for pipelines.
 *
 * The guide is deterministic: entries are ordered by construct path, and nothing in it depends
 * on the time or the machine.
 *
 * @example
 * const guide = AccessGuide.of(app);
 * app.synth();
 * guide.writeFiles(); // ACCESS.md and access.json next to the manifests
 */
export class AccessGuide {
  /**
   * The guide of every exposure pattern under `scope`.
   */
  public static of(scope: IConstruct): AccessGuide {
    return new AccessGuide(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * The exposed apps, ordered by construct path. Read when called, so patterns added after
   * `of()` are included.
   */
  public get entries(): AccessGuideEntry[] {
    return this.exposures()
      .map((e) => ({
        path: e.node.path,
        patternName: e.patternName,
        namespace: e.namespace,
        // As the cluster profile of the pattern's scope shows them (k3d: the port mappings).
        ...withoutMappings(guideOf(e)),
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private exposures(): Exposure[] {
    return this.scope.node.findAll().filter((c): c is Exposure => Exposure.isExposure(c));
  }

  /**
   * The guide as JSON (the same content as the Markdown), for pipelines.
   */
  public toJson(): any {
    return {
      apps: this.entries.map((entry) => ({
        path: entry.path,
        pattern: entry.patternName,
        namespace: entry.namespace,
        prerequisites: entry.prerequisites,
        accessPoints: entry.accessPoints.map((point) => ({
          ...withoutUndefined(point),
          address: addressOf(point),
          testCommand: testCommandOf(point, entry.namespace),
        })),
      })),
    };
  }

  /**
   * The guide as Markdown: one section per exposed app with how it is reached, the commands to
   * find the address and to test it, the prerequisites and a Mermaid diagram of the traffic path.
   */
  public toMarkdown(): string {
    const lines: string[] = ['# How to reach what this app exposes', '', VERIFY_LINE, ''];
    const entries = this.entries;
    lines.push(...clusterSetup(this.scope, this.exposures().map(guideOf)));
    if (entries.length === 0) {
      lines.push('Nothing here is exposed by a cdk8s-expose pattern.', '');
    }
    for (const entry of entries) {
      lines.push(`## ${entry.patternName}: \`${entry.path}\``, '');
      lines.push(`Namespace \`${entry.namespace}\`.`, '');
      const origins = unique(entry.accessPoints.map(reachableFrom));
      lines.push(`Reachable ${origins.join('; ')}.`, '');
      lines.push('| address | protocol | reachable | how |', '| --- | --- | --- | --- |');
      for (const point of entry.accessPoints) {
        lines.push(`| \`${addressOf(point)}\` | ${point.protocol} | ${reachableFrom(point)} | ${escapeCell(point.description)} |`);
      }
      lines.push('');
      const lookups = unique(entry.accessPoints.flatMap((p) => [p.hostLookupCommand, p.portLookupCommand]).filter((c): c is string => !!c));
      if (lookups.length > 0) {
        lines.push('Find the address:', '', '```sh', ...lookups, '```', '');
      }
      lines.push('Test it:', '', '```sh', ...unique(entry.accessPoints.map((p) => testCommandOf(p, entry.namespace))), '```', '');
      if (entry.prerequisites.length > 0) {
        lines.push('Prerequisites:', '', ...entry.prerequisites.map((p) => `- ${p}`), '');
      }
      lines.push('Traffic path:', '', '```mermaid', ...mermaid(entry.accessPoints), '```', '');
    }
    return lines.join('\n');
  }

  /**
   * Writes `ACCESS.md` and `access.json` into `directory` (the App's output directory by default).
   * Call it after `app.synth()`.
   *
   * @param directory where to write the files
   * @default - the output directory of the App of the scope
   */
  public writeFiles(directory?: string): void {
    const dir = directory ?? App.of(this.scope).outdir;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, ACCESS_GUIDE_MARKDOWN_FILE), this.toMarkdown());
    fs.writeFileSync(path.join(dir, ACCESS_GUIDE_JSON_FILE), `${JSON.stringify(this.toJson(), undefined, 2)}\n`);
  }
}

/** The access points and prerequisites of `e` as the cluster profile of its scope shows them. */
function guideOf(e: Exposure): ProfiledGuide {
  return profiledGuide(e, e.accessPoints, e.prerequisites);
}

function withoutMappings(guide: ProfiledGuide): Pick<ProfiledGuide, 'accessPoints' | 'prerequisites'> {
  return { accessPoints: guide.accessPoints, prerequisites: guide.prerequisites };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function withoutUndefined(point: AccessPoint): { [key: string]: unknown } {
  return Object.fromEntries(Object.entries(point).filter(([, v]) => v !== undefined));
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') && !host.startsWith('<') ? `[${host}]` : host;
}

/** `scheme://host:port/path`, or `host:port` without a scheme. */
function addressOf(point: AccessPoint): string {
  const port = point.port === undefined ? ':<port>' : defaultPort(point) ? '' : `:${point.port}`;
  const base = `${hostForUrl(point.host)}${port}${point.path ?? ''}`;
  return point.scheme ? `${point.scheme}://${base}` : base;
}

function defaultPort(point: AccessPoint): boolean {
  return (point.scheme === 'http' && point.port === 80) || (point.scheme === 'https' && point.port === 443);
}

/**
 * True for an access point that only the node itself reaches: bound to a loopback address
 * (127.0.0.0/8, ::1) of the node. A probe pod's loopback is its own, so it is tested on the node.
 * (`kubectl proxy`'s 127.0.0.1 is the user's own machine: that point is reached through the API
 * server, not the cluster network, and is not one of these.)
 */
function isNodeLoopback(point: AccessPoint): boolean {
  if (point.origin !== AccessOrigin.CLUSTER_NETWORK) return false;
  const ip = parseIp(point.host);
  return ip !== undefined && (ip.family === 4 ? ip.value >= 0x7f000000n && ip.value <= 0x7fffffffn : ip.value === 1n);
}

/** From where an access point is reachable, as the guide says it. */
function reachableFrom(point: AccessPoint): string {
  return isNodeLoopback(point) ? 'from the node itself only (a loopback address)' : ORIGIN_TEXT[point.origin];
}

/**
 * How to test an access point from where it is reachable: `curl -v` for HTTP(S), `nc -vz` for
 * other ports; from a throw-away pod when only the cluster network reaches it; on the node (a node
 * debugging pod shares its network) for a loopback address. Every argument is shell-quoted.
 */
function testCommandOf(point: AccessPoint, namespace: string): string {
  if (point.testCommand) return point.testCommand;
  const port = point.port === undefined ? '<port>' : String(point.port);
  const http = point.scheme === 'http' || point.scheme === 'https';
  const args = http
    ? ['curl', '-v', addressOf(point)]
    : ['nc', `-vz${point.protocol === kplus.Protocol.UDP ? 'u' : ''}`, point.host, port];
  const image = http ? 'curlimages/curl' : 'busybox';
  if (isNodeLoopback(point)) return onNodeCommand(image, ...args);
  if (point.origin !== AccessOrigin.CLUSTER_NETWORK) return shellCommand(...args);
  return shellCommand('kubectl', '-n', namespace, 'run', 'probe', '--rm', '-i', '--restart=Never', `--image=${image}`, '--', ...args);
}

/**
 * A Mermaid flowchart: client -> entry point(s) -> backend -> pods, one node per distinct entry
 * point (method, address and protocol): two addresses on one port are two nodes, one address
 * listed twice is one.
 */
function mermaid(points: AccessPoint[]): string[] {
  const lines = ['flowchart LR'];
  const seen = new Set<string>();
  const edge = (line: string) => {
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(`  ${line}`);
    }
  };
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const entryIdOf = (point: AccessPoint): string => {
    const key = `${point.method}|${addressOf(point)}|${point.protocol}`;
    let id = ids.get(key);
    if (id === undefined) {
      const base = `entry_${point.method}_${point.port ?? 'port'}_${point.protocol}`.replace(/[^A-Za-z0-9_]/g, '_');
      id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
      ids.set(key, id);
      taken.add(id);
    }
    return id;
  };
  points.forEach((point) => {
    const client = isNodeLoopback(point) ? 'node_client([process on the node])'
      : point.origin === AccessOrigin.CLUSTER_NETWORK ? 'client([client pod])' : 'client([client])';
    const entryId = entryIdOf(point);
    const label = point.method === AccessMethod.CLUSTER_IP && point.backend ? point.backend : ENTRY_TEXT[point.method];
    const entry = `${entryId}["${mermaidText(label)}<br/>${mermaidText(addressOf(point))}"]`;
    edge(`${client} --> ${entry}`);
    if (point.backend && point.method !== AccessMethod.CLUSTER_IP) {
      const backendId = `backend_${point.backend}`.replace(/[^A-Za-z0-9_]/g, '_');
      edge(`${entryId} --> ${backendId}["${mermaidText(point.backend)}"]`);
      edge(`${backendId} --> pods[(pods)]`);
    } else {
      edge(`${entryId} --> pods[(pods)]`);
    }
  });
  return lines;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
