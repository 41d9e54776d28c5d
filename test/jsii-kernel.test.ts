/**
 * The library driven through the jsii kernel, the runtime that the Python, Java, .NET and Go
 * packages talk to, exactly as they do: the npm tarball of this package (dist/js, the one those
 * packages embed) and those of constructs, cdk8s and cdk8s-plus-27 are loaded into
 * `@jsii/kernel`, and every app is built with wire values only (plain-JSON structs, enums as
 * `{"$jsii.enum": "<fqn>/<MEMBER>"}`, objects by reference), `create`, `sinvoke`, `invoke` and
 * `get`, as a Python program would. Each app is synthesized and compared with the same app built
 * in TypeScript (the examples in examples/, and the tour below): the YAML, the access guide and
 * every property of every construct of this library, read back through the kernel, are identical.
 *
 * Coverage is taken from the assembly: every concrete construct class must be created, every
 * static factory and every method called, every property read through the kernel at least once,
 * so new API needs a recipe here. Errors must reach the caller in the project's format.
 *
 * Needs lib/, .jsii and dist/js: it runs in the `test:dist` task, which the build spawns after
 * `package:js` (`npx projen test:dist` after a build to run it alone).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { api, Kernel } from '@jsii/kernel';
import * as cdk8s from 'cdk8s';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as constructs from 'constructs';
import { IConstruct } from 'constructs';
import { EXAMPLES } from '../examples';
import { NGINX_CONTAINER, ROOT_IMAGE_SECURITY_CONTEXT } from '../examples/images';
import * as expose from '../src';

const ROOT = path.join(__dirname, '..');
const NAME = 'cdk8s-expose';

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

const OWN = readAssembly(ROOT);
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
const CONSTRUCTS = ownClasses.filter((t) => !t.abstract && t.initializer !== undefined && classChain(t.fqn).includes('constructs.Construct')).map((t) => t.fqn).sort();
/** Every static method (the factories): each must be called through the kernel. */
const STATICS = ownClasses.flatMap((t) => (t.methods ?? []).filter((m) => m.static).map((m) => `${t.fqn}.${m.name}`)).sort();
/** Every public instance method. */
const METHODS = ownClasses.flatMap((t) => (t.methods ?? []).filter((m) => !m.static && !m.protected).map((m) => `${t.fqn}.${m.name}`)).sort();
/** Every public instance property of a class. */
const PROPERTIES = ownClasses.flatMap((t) => ownProperties(t.fqn).map((p) => `${t.fqn}.${p.name}`)).sort();

function ownProperties(fqn: string) {
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

type Wire = any;

/** How structs cross: as plain JSON maps, or typed (`$jsii.struct`), as the Python and Java runtimes send them. */
type StructEncoding = 'plain' | 'typed';

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
function enumRef(type: string, member: string): api.WireEnum {
  return { [api.TOKEN_ENUM]: `${NAME}.${type}/${member}` };
}

function refFqn(ref: api.ObjRef): string {
  return ref[api.TOKEN_REF].replace(/@\d+$/, '');
}

/** A jsii client: only wire values (JSON) cross, and every call is recorded for coverage. */
class JsiiClient {
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
function readBack(k: JsiiClient, value: Wire, seen = new Map<string, unknown>()): unknown {
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
function readLocal(value: unknown, fqns: string[] | undefined, seen = new Set<unknown>()): unknown {
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
function ownTypesOf(value: object): string[] {
  const fqn = jsiiClassOf(value);
  return fqn && OWN[fqn] ? classChain(fqn) : [];
}

/** The types of this library a declared type names (structs and interfaces, or an enum). */
function typeFqns(type: JsiiTypeRef): string[] | undefined {
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

// ---------------------------------------------------------------------------------------------
// Recipes: each app, built through the kernel, beside the same app in TypeScript
// ---------------------------------------------------------------------------------------------

interface Recipe {
  /** Builds the app in TypeScript. */
  readonly ts: (app: App) => void;
  /** Builds the same app through the kernel, as a Python program would. */
  readonly kernel: (k: JsiiClient, app: api.ObjRef) => void;
}

const E = NAME;
const chart = (k: JsiiClient, app: api.ObjRef, id: string, props?: object) => k.create('cdk8s.Chart', app, id, props);
const deployment = (k: JsiiClient, scope: api.ObjRef, id: string, props: object) => k.create('cdk8s-plus-27.Deployment', scope, id, props);
const pods = (k: JsiiClient, scope: api.ObjRef, id: string, labels: object) => k.sinvoke('cdk8s-plus-27.Pods', 'select', scope, id, { labels });
/** examples/images.ts `EXAMPLE_RESOURCES`: its Cpu and Size values are objects, made through the kernel. */
const exampleResources = (k: JsiiClient) => ({
  cpu: { request: k.sinvoke('cdk8s-plus-27.Cpu', 'millis', 50), limit: k.sinvoke('cdk8s-plus-27.Cpu', 'millis', 250) },
  memory: { request: k.sinvoke('cdk8s.Size', 'mebibytes', 64), limit: k.sinvoke('cdk8s.Size', 'mebibytes', 128) },
});
/** examples/images.ts `NGINX_CONTAINER`, as another language builds it. */
const nginxContainer = (k: JsiiClient) => ({ ...NGINX_CONTAINER, resources: exampleResources(k) });
/** The seeds' nginx Deployment (examples/images.ts `seedNginxDeployment`). */
const seedNginx = (k: JsiiClient, scope: api.ObjRef) => deployment(k, scope, 'Nginx', {
  metadata: { name: 'nginx' }, replicas: 1, podMetadata: { labels: { name: 'nginx' } }, containers: [nginxContainer(k)],
});

/** The examples (examples/*.ts), built through the kernel. Keys are the example ids. */
const EXAMPLE_RECIPES: { [id: string]: Recipe['kernel'] } = {
  'eks-internal-nlb': (k, app) => {
    const c = chart(k, app, 'eks-internal-nlb');
    k.invoke(k.sinvoke(`${E}.ClusterProfile`, 'eks'), 'applyTo', c);
    const nginx = seedNginx(k, c);
    k.create(`${E}.LoadBalancerService`, c, 'NginxLoadBalancer', {
      name: 'nginx',
      selector: nginx,
      ports: [{ name: 'http', port: 80, appProtocol: 'http' }],
      ipFamilies: [enumRef('IpFamily', 'IPV4')],
      loadBalancerSourceRanges: ['10.20.0.0/16'],
    });
  },
  'k3d': (k, app) => {
    const c = chart(k, app, 'k3d');
    k.invoke(k.sinvoke(`${E}.ClusterProfile`, 'k3d', { clusterName: 'test' }), 'applyTo', c);
    const nginx = seedNginx(k, c);
    deployment(k, c, 'Influxdb', {
      metadata: { name: 'influxdb' },
      replicas: 1,
      podMetadata: { labels: { name: 'influxdb' } },
      containers: [{ name: 'influxdb', image: 'influxdb', ports: [{ number: 8086, name: 'http' }], securityContext: ROOT_IMAGE_SECURITY_CONTEXT, resources: exampleResources(k) }],
    });
    k.create(`${E}.NodePortService`, c, 'InfluxdbNodePort', {
      name: 'influxdb-service',
      selector: pods(k, c, 'InfluxdbPods', { name: 'influxdb' }),
      ports: [{ port: 8086, nodePort: 30000, appProtocol: 'http' }],
    });
    k.create(`${E}.LoadBalancerService`, c, 'NginxLoadBalancer', {
      name: 'nginx-lb', selector: nginx, ports: [{ port: 8081, targetPort: 80, appProtocol: 'http' }],
    });
    const backend = k.create(`${E}.ClusterIpService`, c, 'NginxService', { name: 'nginx', selector: nginx, ports: [{ port: 80, name: 'http' }] });
    k.create(`${E}.IngressRoute`, c, 'NginxRoute', { name: 'nginx', rules: [{ backend, port: 80 }] });
  },
  'host-network': (k, app) => {
    k.create(`${E}.HostNetworkApp`, chart(k, app, 'host-network'), 'Nginx', {
      name: 'nginx',
      image: 'nginx',
      ports: [{ port: 80, name: 'http' }],
      namespace: 'host-network',
      createNamespace: true,
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
  },
  'host-port': (k, app) => {
    k.create(`${E}.HostPortApp`, chart(k, app, 'host-port'), 'Influxdb', {
      name: 'influxdb',
      image: 'influxdb',
      ports: [{ containerPort: 8086, hostPort: 8086, name: 'http' }],
      namespace: 'host-port',
      createNamespace: true,
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
  },
  'node-port': (k, app) => {
    const c = chart(k, app, 'node-port');
    seedNginx(k, c);
    k.create(`${E}.NodePortService`, c, 'NginxNodePort', {
      name: 'nginx', selector: pods(k, c, 'NginxPods', { name: 'nginx' }), ports: [{ name: 'nginx', port: 80, nodePort: 30018, appProtocol: 'http' }],
    });
    deployment(k, c, 'Influxdb', {
      metadata: { name: 'influxdb' },
      replicas: 1,
      podMetadata: { labels: { name: 'influxdb' } },
      containers: [{ name: 'influxdb', image: 'influxdb', ports: [{ number: 8086, name: 'http' }], securityContext: ROOT_IMAGE_SECURITY_CONTEXT, resources: exampleResources(k) }],
    });
    k.create(`${E}.NodePortService`, c, 'InfluxdbNodePort', {
      name: 'influxdb-service', selector: pods(k, c, 'InfluxdbPods', { name: 'influxdb' }), ports: [{ port: 8086, nodePort: 30000, appProtocol: 'http' }],
    });
  },
  'cluster-ip': (k, app) => {
    const c = chart(k, app, 'cluster-ip');
    const web = deployment(k, c, 'Web', { replicas: 2, containers: [nginxContainer(k)] });
    k.create(`${E}.ClusterIpService`, c, 'WebService', { name: 'web', selector: web, ports: [{ port: 80, name: 'http', appProtocol: 'http' }] });
  },
  'headless': (k, app) => {
    const c = chart(k, app, 'headless');
    const peers = deployment(k, c, 'Peers', { replicas: 3, containers: [nginxContainer(k)] });
    k.create(`${E}.HeadlessService`, c, 'PeersService', { name: 'web-peers', selector: peers, ports: [{ port: 80, name: 'http' }] });
  },
  'metallb-l2': (k, app) => {
    const c = chart(k, app, 'metallb-l2');
    seedNginx(k, c);
    const pool = k.create(`${E}.MetalLbAddressPool`, c, 'LanPool', {
      name: 'lan-pool', addresses: ['192.168.9.0/24'], avoidBuggyIPs: false, advertisement: k.sinvoke(`${E}.MetalLbAdvertisement`, 'l2'),
    });
    k.create(`${E}.MetalLbLoadBalancer`, c, 'NginxLoadBalancer', {
      name: 'nginx',
      selector: pods(k, c, 'NginxPods', { name: 'nginx' }),
      ports: [{ port: 80, name: 'nginx', appProtocol: 'http' }],
      pool,
      loadBalancerIPs: ['192.168.9.0'],
      loadBalancerSourceRanges: ['192.168.0.0/16'],
    });
  },
  'metallb-bgp': (k, app) => {
    const c = chart(k, app, 'metallb-bgp', { namespace: 'web' });
    const nginx = deployment(k, c, 'Nginx', { replicas: 3, containers: [nginxContainer(k)] });
    const pool = k.create(`${E}.MetalLbAddressPool`, c, 'PublicPool', {
      name: 'public',
      addresses: ['198.51.100.0/26'],
      avoidBuggyIPs: true,
      advertisement: k.sinvoke(`${E}.MetalLbAdvertisement`, 'bgp', {
        peers: [{ peerAddress: '192.168.0.1', peerASN: 64500, myASN: 64501, passwordSecretName: 'router-bgp-password' }],
        nodeSelectors: [k.sinvoke('cdk8s-plus-27.LabelSelector', 'of', { labels: { 'node-role.example.com/edge': 'true' } })],
        communities: ['64500:100'],
      }),
    });
    k.create(`${E}.MetalLbLoadBalancer`, c, 'Web', {
      name: 'web',
      selector: nginx,
      ports: [{ port: 80, name: 'http', appProtocol: 'http' }],
      pool,
      loadBalancerIPs: ['198.51.100.10'],
      externalTrafficPolicy: enumRef('ExternalTrafficPolicy', 'LOCAL'),
    });
  },
  'ingress-nginx': (k, app) => ingressNginx(k, app, 'ingress-nginx', 'INGRESS'),
  'ingress-nginx-traefik': (k, app) => ingressNginx(k, app, 'ingress-nginx-traefik', 'TRAEFIK'),
  'ingress-nginx-gateway-api': (k, app) => ingressNginx(k, app, 'ingress-nginx-gateway-api', 'GATEWAY_API'),
  'ingress-controller-node-port': (k, app) => {
    const c = chart(k, app, 'ingress-controller-node-port');
    const traefik = pods(k, c, 'TraefikPods', { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' });
    k.create(`${E}.NodePortService`, c, 'TraefikNodePort', {
      name: 'traefik-node-port',
      namespace: 'kube-system',
      selector: traefik,
      ports: [{ name: 'web', port: 80, targetPort: 8000, nodePort: 30080 }, { name: 'websecure', port: 443, targetPort: 8443, nodePort: 30443 }],
    });
  },
  'api-proxy': (k, app) => {
    const c = chart(k, app, 'api-proxy', { namespace: 'web' });
    const web = deployment(k, c, 'Web', { replicas: 2, containers: [nginxContainer(k)] });
    const service = k.create(`${E}.ClusterIpService`, c, 'WebService', { name: 'web', selector: web, ports: [{ port: 80, name: 'http' }] });
    k.create(`${E}.ApiProxyAccess`, c, 'Developers', {
      services: [service],
      subjects: [k.sinvoke('cdk8s-plus-27.Group', 'fromName', c, 'DevelopersGroup', 'developers'), k.sinvoke('cdk8s-plus-27.User', 'fromName', c, 'Alice', 'alice')],
      proxyPort: 8080,
    });
  },
  'pod-ip': (k, app) => {
    const c = chart(k, app, 'pod-ip');
    k.create(`${E}.PodIpReachability`, c, 'PodIp', {
      podCidr: '10.244.0.0/16',
      asNumber: 64512,
      peers: [
        { peerIP: '192.168.1.1', asNumber: 64501, nodeSelector: { rack: 'a' }, name: 'tor-rack-a' },
        { peerIP: '192.168.2.1', asNumber: 64502, nodeSelector: { rack: 'b' }, name: 'tor-rack-b' },
      ],
      advertiseServiceLoadBalancerIPs: ['192.168.10.0/24'],
    });
    const pool = k.create(`${E}.MetalLbAddressPool`, c, 'RoutedPool', {
      name: 'routed-pool', addresses: ['192.168.10.0/24'], advertisement: k.sinvoke(`${E}.MetalLbAdvertisement`, 'none'),
    });
    deployment(k, c, 'Web', { replicas: 1, podMetadata: { labels: { app: 'web' } }, containers: [nginxContainer(k)] });
    k.create(`${E}.MetalLbLoadBalancer`, c, 'WebLoadBalancer', {
      name: 'web-routed',
      selector: pods(k, c, 'WebPods', { app: 'web' }),
      ports: [{ port: 80, name: 'http' }],
      pool,
      loadBalancerIPs: ['192.168.10.10'],
      loadBalancerSourceRanges: ['192.168.0.0/16'],
    });
  },
};

function ingressNginx(k: JsiiClient, app: api.ObjRef, id: string, flavour: string): void {
  const c = chart(k, app, id);
  const nginx = deployment(k, c, 'Nginx', { replicas: 1, containers: [nginxContainer(k)] });
  const service = k.create(`${E}.ClusterIpService`, c, 'NginxService', { name: 'nginx', selector: nginx, ports: [{ port: 80, name: 'http' }] });
  k.create(`${E}.IngressRoute`, c, 'NginxRoute', {
    name: 'nginx',
    flavour: flavour === 'GATEWAY_API'
      ? k.sinvoke(`${E}.RouteFlavour`, 'gatewayApi', { gateway: { name: 'traefik-gateway', namespace: 'kube-system' } })
      : k.sinvoke(`${E}.RouteFlavour`, flavour === 'TRAEFIK' ? 'traefik' : 'ingress'),
    rules: [{ host: 'nginx.example.com', backend: service, port: 80 }],
  });
}

/**
 * What the examples do not use: Services made elsewhere (`ExposedService`), a host app as a pod
 * selector, `Exposure.isExposure`, the guide written to files. Both halves are written here.
 */
const TOUR: Recipe = {
  ts: (app) => {
    const c = new Chart(app, 'tour', { namespace: 'tour' });
    const other = new kplus.Service(c, 'Other', { metadata: { name: 'other' }, ports: [{ port: 8080, name: 'http' }] });
    const host = new expose.HostPortApp(c, 'Agent', {
      name: 'agent',
      image: 'nginx',
      ports: [{ containerPort: 80, hostPort: 8080 }],
      workloadKind: expose.WorkloadKind.DEPLOYMENT,
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
    new expose.ClusterIpService(c, 'AgentService', { selector: host, ports: [{ port: 80 }] });
    new expose.IngressRoute(c, 'Routes', {
      flavour: expose.RouteFlavour.ingress(),
      rules: [
        { host: 'other.example.com', backend: expose.ExposedService.fromService(other), port: 8080, pathType: expose.PathType.EXACT, path: '/api' },
        { host: 'legacy.example.com', backend: expose.ExposedService.fromAttributes('legacy', 'tour', [{ port: 80, name: 'http' }]), port: 80 },
      ],
    });
  },
  kernel: (k, app) => {
    const c = chart(k, app, 'tour', { namespace: 'tour' });
    const other = k.create('cdk8s-plus-27.Service', c, 'Other', { metadata: { name: 'other' }, ports: [{ port: 8080, name: 'http' }] });
    const host = k.create(`${E}.HostPortApp`, c, 'Agent', {
      name: 'agent',
      image: 'nginx',
      ports: [{ containerPort: 80, hostPort: 8080 }],
      workloadKind: enumRef('WorkloadKind', 'DEPLOYMENT'),
      securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
    });
    k.create(`${E}.ClusterIpService`, c, 'AgentService', { selector: host, ports: [{ port: 80 }] });
    k.create(`${E}.IngressRoute`, c, 'Routes', {
      flavour: k.sinvoke(`${E}.RouteFlavour`, 'ingress'),
      rules: [
        { host: 'other.example.com', backend: k.sinvoke(`${E}.ExposedService`, 'fromService', other), port: 8080, pathType: enumRef('PathType', 'EXACT'), path: '/api' },
        { host: 'legacy.example.com', backend: k.sinvoke(`${E}.ExposedService`, 'fromAttributes', 'legacy', 'tour', [{ port: 80, name: 'http' }]), port: 80 },
      ],
    });
    // A host app is a pod selector (cdk8s-plus IPodSelector), as other languages see it too.
    expect(k.invoke(host, 'toPodSelectorConfig')).toBeDefined();
    expect(k.sinvoke(`${E}.Exposure`, 'isExposure', host)).toBe(true);
    expect(k.sinvoke(`${E}.Exposure`, 'isExposure', other)).toBe(false);
  },
};

const RECIPES: { [id: string]: Recipe } = {
  ...Object.fromEntries(Object.entries(EXAMPLES).map(([id, factory]) => [id, {
    ts: (app: App) => {
      factory(app);
    },
    kernel: EXAMPLE_RECIPES[id],
  }])),
  tour: TOUR,
};

// ---------------------------------------------------------------------------------------------

/** The built npm tarball of this package (what the other languages' packages embed). */
function ownTarball(): string {
  const dir = path.join(ROOT, 'dist', 'js');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) {
    throw new Error(`expected one tarball in dist/js, found ${tarballs.length}: run \`npx projen package:js\` first (the build's test:dist task runs after it)`);
  }
  return path.join(dir, tarballs[0]);
}

/** A dependency's package as a tarball, as the other languages' packages ship it. */
function packDependency(name: string, into: string): { name: string; version: string; tarball: string } {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const tarball = path.join(into, `${name}.tgz`);
  execFileSync('tar', ['czf', tarball, '-C', path.dirname(dir), path.basename(dir)]);
  return { name, version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version, tarball };
}

/** The constructs of this library created in `app`, by path. */
function ownConstructs(root: IConstruct): Map<string, IConstruct> {
  return new Map(root.node.findAll().filter((c) => ownTypesOf(c).length > 0).map((c) => [c.node.path, c]));
}

describe('through the jsii kernel', () => {
  let tmp: string;
  let kernel: Kernel;
  let k: JsiiClient;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jsii-kernel-test-'));
    kernel = new Kernel(() => {
      throw new Error('no callbacks: nothing here overrides a jsii method');
    });
    for (const dependency of ['constructs', 'cdk8s', 'cdk8s-plus-27']) kernel.load(packDependency(dependency, tmp));
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(kernel.load({ name: NAME, version, tarball: ownTarball() })).toStrictEqual({ assembly: NAME, types: Object.keys(OWN).length });
    k = new JsiiClient(kernel);
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => {
    k.structs = 'plain';
  });

  test('every example has a kernel recipe', () => {
    expect(Object.keys(EXAMPLES).filter((id) => !EXAMPLE_RECIPES[id])).toStrictEqual([]);
  });

  describe.each(Object.keys(RECIPES))('%s', (id) => {
    test.each<[StructEncoding, string]>([
      ['plain', 'structs as plain JSON'],
      ['typed', 'structs as $jsii.struct, as the Python and Java runtimes send them'],
    ])('the app built through the kernel (%s: %s) synthesizes the same YAML, guide and properties as in TypeScript', (structs) => {
      k.structs = structs;
      k.typedArguments = 0;
      const recipe = RECIPES[id];
      const local = new App();
      recipe.ts(local);

      const app = k.create('cdk8s.App');
      recipe.kernel(k, app);

      expect(k.invoke(app, 'synthYaml')).toBe(local.synthYaml());
      const guide = k.sinvoke(`${E}.AccessGuide`, 'of', app);
      const localGuide = expose.AccessGuide.of(local);
      expect(k.invoke(guide, 'toMarkdown')).toBe(localGuide.toMarkdown());
      expect(k.invoke(guide, 'toJson')).toStrictEqual(localGuide.toJson());
      expect(readBack(k, guide)).toStrictEqual(readLocal(localGuide, undefined));

      // Every construct of this library in the app, every property read through the kernel.
      const created = new Map<string, unknown>();
      const visit = (ref: api.ObjRef) => {
        if (OWN[refFqn(ref)]) created.set(k.path(ref), readBack(k, ref));
        k.children(ref).forEach(visit);
      };
      k.children(app).forEach(visit);
      const expected = new Map([...ownConstructs(local)].map(([p, c]) => [p, readLocal(c, undefined)]));
      expect([...created.keys()].sort()).toStrictEqual([...expected.keys()].sort());
      expect(Object.fromEntries(created)).toStrictEqual(Object.fromEntries(expected));
      if (structs === 'typed') expect(k.typedArguments).toBeGreaterThan(0);
    });
  });

  test('AccessGuide.writeFiles writes the guide from another language', () => {
    const app = k.create('cdk8s.App');
    EXAMPLE_RECIPES['node-port'](k, app);
    const dir = path.join(tmp, 'guide');
    k.invoke(k.sinvoke(`${E}.AccessGuide`, 'of', app), 'writeFiles', dir);
    const local = new App();
    EXAMPLES['node-port'](local);
    expect(fs.readFileSync(path.join(dir, 'ACCESS.md'), 'utf8')).toBe(expose.AccessGuide.of(local).toMarkdown());
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'access.json'), 'utf8'))).toStrictEqual(expose.AccessGuide.of(local).toJson());
  });

  describe('errors reach the caller in the project format, as in TypeScript', () => {
    /** The message the kernel raises for `build`, and the one TypeScript throws for `local`. */
    function messages(build: (k: JsiiClient, chart: api.ObjRef) => void, local: (chart: Chart) => void): [string, string] {
      let remote = '<no error>';
      try {
        const app = k.create('cdk8s.App');
        build(k, chart(k, app, 'errors'));
        k.invoke(app, 'synthYaml');
      } catch (e) {
        remote = (e as Error).message;
      }
      let mine = '<no error>';
      try {
        const app = new App();
        local(new Chart(app, 'errors'));
        app.synthYaml();
      } catch (e) {
        mine = (e as Error).message;
      }
      return [remote, mine];
    }
    const FORMAT = /^\[errors\/[^\]]+\] \w+: \S+ [^;]+; got .+\. .+/m;

    test('fails if an eager check (a nodePort out of range) does not reach the caller', () => {
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.NodePortService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80, nodePort: 8080 }] }),
        (c) => new expose.NodePortService(c, 'Web', { selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80, nodePort: 8080 }] }),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toMatch(/^\[errors\/Web\] NodePortService: ports\[0\]\.nodePort must be within 30000-32767; got 8080\./);
      expect(remote).toBe(local);
    });

    test('fails if a bad CIDR in a struct list does not reach the caller', () => {
      const props = { podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }], advertiseServiceLoadBalancerIPs: ['10.0.0.0/33'] };
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.PodIpReachability`, c, 'PodIp', props),
        (c) => new expose.PodIpReachability(c, 'PodIp', props),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toBe(local);
    });

    test('fails if a member of another enum (which the kernel passes on) does not reach the caller', () => {
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.NodePortService`, c, 'Web', {
          selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80 }], externalTrafficPolicy: enumRef('IpFamily', 'IPV6'),
        }),
        (c) => new expose.NodePortService(c, 'Web', {
          selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80 }], externalTrafficPolicy: expose.IpFamily.IPV6 as any,
        }),
      );
      expect(remote).toMatch(FORMAT);
      expect(remote).toBe(local);
    });

    test('a value of the wrong primitive type is refused by the kernel itself, naming the value', () => {
      // The kernel checks primitives against the assembly before the library sees them (and the
      // Python/Java/C#/Go bindings check their types before the kernel): the message is the kernel's.
      const [remote] = messages(
        (kk, c) => kk.create(`${E}.ClusterIpService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: '80' }] }),
        () => undefined,
      );
      expect(remote).toMatch(/got "80" \(string\)/);
    });

    test('an unknown struct key is refused in TypeScript and dropped by the kernel (the bindings refuse it before)', () => {
      // The kernel keeps only a struct's declared fields (@jsii/kernel serialization: "Don't map if
      // unknown property"), so the library never sees a typo sent through the kernel. The bindings
      // refuse it before: Python's generated classes take the fields as keyword arguments (a
      // TypeError), Java builders, C# initializers and Go struct literals do not compile.
      const [remote, local] = messages(
        (kk, c) => kk.create(`${E}.ClusterIpService`, c, 'Web', { selector: pods(kk, c, 'P', { app: 'web' }), ports: [{ port: 80 }], nmae: 'web' }),
        (c) => new expose.ClusterIpService(c, 'Web', { selector: kplus.Pods.select(c, 'P', { labels: { app: 'web' } }), ports: [{ port: 80 }], nmae: 'web' } as any),
      );
      expect(local).toMatch(FORMAT);
      expect(local).toMatch(/nmae is not a property of ClusterIpServiceProps/);
      expect(remote).toBe('<no error>');
    });

    test('fails if a synth-time check (two Services claiming one nodePort) does not reach the caller', () => {
      const twice = (kk: JsiiClient, c: api.ObjRef) => {
        for (const id of ['A', 'B']) kk.create(`${E}.NodePortService`, c, id, { selector: pods(kk, c, `${id}Pods`, { app: id }), ports: [{ port: 80, nodePort: 30080 }] });
      };
      const [remote, local] = messages(twice, (c) => {
        for (const id of ['A', 'B']) new expose.NodePortService(c, id, { selector: kplus.Pods.select(c, `${id}Pods`, { labels: { app: id } }), ports: [{ port: 80, nodePort: 30080 }] });
      });
      expect(remote).toMatch(/30080/);
      expect(remote).toBe(local);
    });
  });

  test('every ClusterProfile factory crosses the boundary, and its facts read back as in TypeScript', () => {
    const cases: Array<[string, Wire[], expose.ClusterProfile]> = [
      ['k3s', [], expose.ClusterProfile.k3s()],
      ['k3d', [{ clusterName: 'dev' }], expose.ClusterProfile.k3d({ clusterName: 'dev' })],
      ['kubeadm', [{ cni: enumRef('Cni', 'CALICO') }], expose.ClusterProfile.kubeadm({ cni: expose.Cni.CALICO })],
      ['eks', [], expose.ClusterProfile.eks()],
      ['gke', [], expose.ClusterProfile.gke()],
      ['aks', [], expose.ClusterProfile.aks()],
    ];
    const props = ownProperties(`${E}.ClusterProfile`);
    expect(props.length).toBeGreaterThanOrEqual(5);
    for (const [factory, args, local] of cases) {
      const remote = k.sinvoke(`${E}.ClusterProfile`, factory, ...args);
      for (const p of props) {
        const expected = readLocal((local as any)[p.name], typeFqns(p.type));
        expect([factory, p.name, readBack(k, k.get(remote, p.name))]).toStrictEqual([factory, p.name, expected]);
      }
    }
    // `of` finds the profile attached to a scope, through the kernel.
    const app = k.create('cdk8s.App');
    const c = chart(k, app, 'profiled');
    const profile = k.sinvoke(`${E}.ClusterProfile`, 'k3s');
    k.invoke(profile, 'applyTo', c);
    const found = k.sinvoke(`${E}.ClusterProfile`, 'of', c);
    expect(k.get(found, 'distribution')).toStrictEqual(k.get(profile, 'distribution'));
  });

  describe('coverage (new API needs a recipe above)', () => {
    // Runs after the recipes (jest runs tests in order): what they reached through the kernel.
    test('every concrete construct was created through the kernel', () => {
      expect(CONSTRUCTS.length).toBeGreaterThanOrEqual(10);
      expect(CONSTRUCTS.filter((fqn) => !k.created.has(fqn))).toStrictEqual([]);
    });
    test('every static factory was called through the kernel', () => {
      expect(STATICS.length).toBeGreaterThanOrEqual(6);
      expect(STATICS.filter((m) => !k.calledStatic.has(m))).toStrictEqual([]);
    });
    test('every method was called through the kernel', () => {
      expect(METHODS.filter((m) => !k.called.has(m))).toStrictEqual([]);
    });
    test('every property of every class was read back through the kernel', () => {
      expect(PROPERTIES.filter((p) => !k.read.has(p))).toStrictEqual([]);
    });
  });
});
