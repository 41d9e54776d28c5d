/**
 * The input of `cdk8s-expose verify`: access guides (`access.json`, written by
 * `AccessGuide.writeFiles()`), read and checked before anything touches the cluster.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A problem verify reports as one line on stderr (bad input, unreachable cluster, no rights). */
export class VerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

/** One access point as `access.json` carries it (see `AccessPoint` in src/core/exposure.ts). */
export interface GuidePoint {
  readonly origin: string;
  readonly method: string;
  readonly host: string;
  readonly port?: number;
  readonly protocol: string;
  readonly scheme?: string;
  readonly path?: string;
  readonly portName?: string;
  readonly address?: string;
  readonly serviceName?: string;
  readonly serviceNamespace?: string;
  readonly servicePort?: number;
  readonly podSelector?: { [key: string]: string };
  readonly backend?: string;
}

/** One exposed app of a guide. */
export interface GuideApp {
  readonly file: string;
  readonly path: string;
  readonly pattern: string;
  readonly namespace: string;
  readonly accessPoints: GuidePoint[];
}

/** The file name `AccessGuide.writeFiles()` gives the JSON guide. */
export const GUIDE_FILE = 'access.json';
/** Where `cdk8s synth` writes, and so where verify looks by default. */
export const DEFAULT_GUIDE_DIR = 'dist';

/** Every `access.json` under `dir` (sorted), or a VerifyError when there is none. */
export function findGuides(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === GUIDE_FILE) found.push(p);
    }
  };
  walk(dir);
  if (found.length === 0) {
    throw new VerifyError(`no ${GUIDE_FILE} under ${dir}/: write the guide with AccessGuide.of(app).writeFiles() after app.synth(), or name the files: cdk8s-expose verify path/to/${GUIDE_FILE}`);
  }
  return found.sort();
}

/** Reads and checks one guide file; any problem is a VerifyError naming the file. */
export function readGuide(file: string): GuideApp[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e: any) {
    throw new VerifyError(`${file}: cannot read it (${e.code ?? e.message})`);
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VerifyError(`${file}: not an access guide (not JSON); pass the access.json that AccessGuide.writeFiles() writes`);
  }
  return parseGuide(json, file);
}

/** Checks the shape of a parsed guide. */
export function parseGuide(json: any, file: string): GuideApp[] {
  const bad = (what: string): never => {
    throw new VerifyError(`${file}: not an access guide (${what}); pass the access.json that AccessGuide.writeFiles() writes`);
  };
  if (json === null || typeof json !== 'object' || !Array.isArray(json.apps)) bad('no "apps" list');
  return json.apps.map((app: any, i: number): GuideApp => {
    const where = `apps[${i}]`;
    if (app === null || typeof app !== 'object') bad(`${where} is not an object`);
    for (const key of ['path', 'namespace']) {
      if (typeof app[key] !== 'string' || app[key] === '') bad(`${where}.${key} is not a string`);
    }
    if (!Array.isArray(app.accessPoints)) bad(`${where}.accessPoints is not a list`);
    const points = app.accessPoints.map((p: any, j: number): GuidePoint => {
      const at = `${where}.accessPoints[${j}]`;
      if (p === null || typeof p !== 'object') bad(`${at} is not an object`);
      for (const key of ['origin', 'method', 'host', 'protocol']) {
        if (typeof p[key] !== 'string' || p[key] === '') bad(`${at}.${key} is not a string`);
      }
      for (const key of ['port', 'servicePort']) {
        if (p[key] !== undefined && !(Number.isInteger(p[key]) && p[key] >= 1 && p[key] <= 65535)) bad(`${at}.${key} is not a port number`);
      }
      return p;
    });
    return { file, path: app.path, pattern: String(app.pattern ?? ''), namespace: app.namespace, accessPoints: points };
  });
}

/**
 * Moves the apps that the guide places in `default` (no namespace chosen at synth time) into
 * `namespace`, for manifests applied with `kubectl apply -n NAMESPACE`: their namespace, Service
 * namespace, cluster DNS names and API paths.
 */
export function relocate(apps: GuideApp[], namespace: string | undefined): GuideApp[] {
  if (namespace === undefined) return apps;
  const move = (ns: string) => (ns === 'default' ? namespace : ns);
  return apps.map((app) => ({
    ...app,
    namespace: move(app.namespace),
    accessPoints: app.accessPoints.map((p) => ({
      ...p,
      host: p.host.replace(/^([a-z0-9-]+)\.default\.svc(\.|$)/, `$1.${namespace}.svc$2`),
      path: p.path?.replace(/^\/api\/v1\/namespaces\/default\//, `/api/v1/namespaces/${namespace}/`),
      serviceNamespace: p.serviceNamespace === undefined ? undefined : move(p.serviceNamespace),
      address: p.address?.replace(/\.default\.svc\./, `.${namespace}.svc.`).replace(/\/namespaces\/default\//, `/namespaces/${namespace}/`),
    })),
  }));
}
