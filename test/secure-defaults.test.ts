/**
 * Secure by default, across the library: without an opt-in no pattern (and no example) emits
 * anything wider than asked, and every exposure documents its `Security:` considerations.
 *
 * `violations()` inspects the synthesized documents; each object is traced back to the pattern
 * that created it, so that what a pattern may do by design (hostNetwork in a HostNetworkApp) is
 * told apart from the same field anywhere else. Every rule has a test that makes it fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import * as ts from 'typescript';
import { synthApp } from './util';
import { EXAMPLES } from '../examples';
import { PodIpReachability } from '../src/calico/pod-ip-reachability';
import { Exposure } from '../src/core/exposure-base';
import { HostNetworkApp } from '../src/host/host-network';
import { HostPortApp } from '../src/host/host-port';
import { IngressRoute } from '../src/ingress/ingress-route';
import { RouteFlavour } from '../src/ingress/route-flavour';
import { IpFamily, MetalLbLoadBalancer } from '../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool } from '../src/metallb/metallb-pool';
import { ApiProxyAccess } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';
import { HeadlessService } from '../src/service/headless';
import { NodePortService } from '../src/service/node-port';
import { ExternalTrafficPolicy } from '../src/service/service-vocabulary';

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/** What a test opted into, and may therefore find in the documents. */
interface OptIns {
  /** A source range covering every address (`0.0.0.0/0`, `::/0`) was passed. */
  readonly everySource?: boolean;
  /** A MetalLB pool was given `autoAssign: true`. */
  readonly autoAssign?: boolean;
  /** A load balancer was given `allocateLoadBalancerNodePorts: true`. */
  readonly loadBalancerNodePorts?: boolean;
}

const EVERY_ADDRESS = /(^|[\s,])(0\.0\.0\.0\/0|::\/0)($|[\s,])/;
const FORBIDDEN_RESOURCES = new Set(['nodes/proxy', 'pods/exec', 'pods/attach', 'pods/portforward', 'secrets']);
const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The pattern (or pool) that created an API object: its nearest such ancestor. */
function ownerOf(obj: IConstruct): IConstruct | undefined {
  return [...obj.node.scopes].reverse().find((s) => Exposure.isExposure(s) || s instanceof MetalLbAddressPool);
}

/** Every API object of the app, by kind and name (a name may repeat across namespaces). */
function ownersByName(app: App): Map<string, { namespace?: string; owner?: IConstruct }[]> {
  const result = new Map<string, { namespace?: string; owner?: IConstruct }[]>();
  for (const obj of app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))) {
    const key = `${obj.kind}/${obj.name}`;
    result.set(key, [...(result.get(key) ?? []), { namespace: obj.metadata.namespace, owner: ownerOf(obj) }]);
  }
  return result;
}

/**
 * Calls `visit` for every key and value in `value` (array items with their index as key), depth
 * first, with a JSON-pointer-like path.
 */
function walk(value: any, where: string, visit: (key: string, value: any, where: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(String(i), item, `${where}/${i}`);
      walk(item, `${where}/${i}`, visit);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child, `${where}/${key}`);
      walk(child, `${where}/${key}`, visit);
    }
  }
}

/**
 * Everything in `docs` that is wider than the patterns' safe defaults and was not opted into.
 * Each entry: `<Kind>/<name> <where>: <what>`.
 */
function violations(app: App, docs: any[], optIns: OptIns = {}): string[] {
  const owners = ownersByName(app);
  const found: string[] = [];
  for (const doc of docs) {
    const name = doc.metadata?.name;
    const candidates = owners.get(`${doc.kind}/${name}`) ?? [];
    const owner = (candidates.find((c) => c.namespace === doc.metadata?.namespace) ?? (candidates.length === 1 ? candidates[0] : undefined))?.owner;
    const hostNetworkApp = owner instanceof HostNetworkApp;
    const hostLevelApp = hostNetworkApp || owner instanceof HostPortApp;
    const report = (where: string, what: string) => found.push(`${doc.kind}/${name} ${where}: ${what}`);

    walk(doc, '', (key, value, where) => {
      if (key === 'hostNetwork' && value === true && !hostNetworkApp) report(where, 'hostNetwork outside HostNetworkApp');
      if (key === 'hostPort' && !hostLevelApp) report(where, 'hostPort outside HostNetworkApp/HostPortApp');
      if ((key === 'hostPID' || key === 'hostIPC') && value === true) report(where, `${key} is never needed to expose a port`);
      if (key === 'hostPath') report(where, 'a hostPath volume');
      if (key === 'privileged' && value === true) report(where, 'a privileged container');
      if (key === 'allowPrivilegeEscalation' && value === true) report(where, 'privilege escalation allowed');
      if (typeof value === 'string' && EVERY_ADDRESS.test(value) && !optIns.everySource) report(where, `every source address (${value})`);
    });

    switch (doc.kind) {
      case 'ClusterRole':
      case 'ClusterRoleBinding':
        report('', 'cluster-wide RBAC');
        break;
      case 'RoleBinding':
        if (doc.roleRef?.kind === 'ClusterRole') report('/roleRef', `binds ClusterRole ${doc.roleRef.name}`);
        break;
      case 'Role':
        (doc.rules ?? []).forEach((rule: any, i: number) => {
          for (const field of ['verbs', 'resources', 'apiGroups']) {
            if ((rule[field] ?? []).includes('*')) report(`/rules/${i}/${field}`, 'a "*" wildcard');
          }
          for (const resource of rule.resources ?? []) {
            if (FORBIDDEN_RESOURCES.has(resource)) report(`/rules/${i}/resources`, `grants ${resource}`);
          }
        });
        break;
      case 'Namespace':
        if (doc.metadata?.labels?.[POD_SECURITY_ENFORCE] === 'privileged' && !(hostLevelApp && (owner as HostPortApp).createdNamespace !== undefined)) {
          report('/metadata/labels', 'Pod Security "privileged" without createNamespace');
        }
        break;
      case 'NetworkPolicy':
        if ((owner as any)?.networkPolicy === undefined) report('', 'a NetworkPolicy without allowFrom');
        break;
      case 'IPAddressPool':
        if (doc.spec?.autoAssign !== false && !optIns.autoAssign) report('/spec/autoAssign', 'assigned to every LoadBalancer Service that names no pool');
        break;
      case 'Service':
        if (doc.spec?.type === 'LoadBalancer' && doc.spec.allocateLoadBalancerNodePorts !== false && !optIns.loadBalancerNodePorts) {
          report('/spec/allocateLoadBalancerNodePorts', 'node ports on every node, outside loadBalancerSourceRanges');
        }
        break;
      default:
        break;
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Minimal props per pattern
// ---------------------------------------------------------------------------------------------

/** The pods every Service pattern selects (one selector per chart). */
function webPods(chart: Chart): kplus.Pods {
  return (chart.node.tryFindChild('WebPods') as kplus.Pods | undefined) ?? kplus.Pods.select(chart, 'WebPods', { labels: { app: 'web' } });
}

function clusterIp(chart: Chart) {
  return new ClusterIpService(chart, 'Backend', { selector: webPods(chart), ports: [{ port: 80 }] });
}

/** Every pattern, built with only its required props. */
const MINIMAL: { [pattern: string]: (chart: Chart) => void } = {
  'HostNetworkApp': (chart) => new HostNetworkApp(chart, 'App', { image: 'nginx', ports: [{ port: 8080 }] }),
  'HostPortApp': (chart) => new HostPortApp(chart, 'App', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] }),
  'NodePortService': (chart) => new NodePortService(chart, 'App', { selector: webPods(chart), ports: [{ port: 80 }] }),
  'ClusterIpService': (chart) => clusterIp(chart),
  'HeadlessService': (chart) => new HeadlessService(chart, 'App', { selector: webPods(chart) }),
  'MetalLbAddressPool': (chart) => new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'] }),
  'MetalLbLoadBalancer': (chart) => new MetalLbLoadBalancer(chart, 'App', { selector: webPods(chart), ports: [{ port: 80 }] }),
  'MetalLbLoadBalancer with a pool': (chart) => new MetalLbLoadBalancer(chart, 'App', {
    selector: webPods(chart), ports: [{ port: 80 }], pool: new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'] }),
  }),
  'IngressRoute (INGRESS)': (chart) => new IngressRoute(chart, 'App', { rules: [{ backend: clusterIp(chart), port: 80 }] }),
  'IngressRoute (TRAEFIK)': (chart) => new IngressRoute(chart, 'App', { flavour: RouteFlavour.traefik(), rules: [{ backend: clusterIp(chart), port: 80 }] }),
  'IngressRoute (GATEWAY_API)': (chart) => new IngressRoute(chart, 'App', {
    flavour: RouteFlavour.gatewayApi({ gateway: { name: 'web' } }), rules: [{ backend: clusterIp(chart), port: 80 }],
  }),
  'ApiProxyAccess': (chart) => new ApiProxyAccess(chart, 'App', { services: [clusterIp(chart)], subjects: [kplus.User.fromName(chart, 'Alice', 'alice')] }),
  'PodIpReachability': (chart) => new PodIpReachability(chart, 'App', { podCidr: '10.244.0.0/16', asNumber: 64512, peers: [{ peerIP: '192.168.1.1', asNumber: 64501 }] }),
};

/** Builds in a fresh App and returns the app and its validated documents. */
function build(make: (chart: Chart) => void): { app: App; docs: any[] } {
  const app = Testing.app();
  make(new Chart(app, 'test'));
  return { app, docs: synthApp(app) };
}

describe('secure defaults', () => {
  test.each(Object.keys(MINIMAL))('%s with minimal props emits nothing wider than asked', (pattern) => {
    const { app, docs } = build(MINIMAL[pattern]);
    expect(docs.length).toBeGreaterThan(0);
    expect(violations(app, docs)).toEqual([]);
  });

  test('the host-level fields are found where they belong (the checks see them)', () => {
    const host = build(MINIMAL.HostNetworkApp);
    const hostPort = build(MINIMAL.HostPortApp);
    const fields = (docs: any[]) => {
      const keys: string[] = [];
      docs.forEach((d) => walk(d, '', (key, value) => {
        if ((key === 'hostNetwork' && value === true) || key === 'hostPort') keys.push(key);
      }));
      return keys;
    };
    expect(fields(host.docs)).toEqual(['hostPort', 'hostNetwork']);
    expect(fields(hostPort.docs)).toEqual(['hostPort']);
  });

  test.each(Object.keys(EXAMPLES))('example %s emits nothing wider than it asks for', (id) => {
    const app = Testing.app();
    EXAMPLES[id](app);
    expect(violations(app, synthApp(app))).toEqual([]);
  });

  describe('each check fails on what it guards against', () => {
    test('hostNetwork and hostPort outside the host-level patterns', () => {
      const { app, docs } = build((chart) => new kplus.Deployment(chart, 'Raw', {
        hostNetwork: true,
        containers: [{ image: 'nginx', ports: [{ number: 80, hostPort: 80 }] }],
      }));
      const name = app.node.findAll().find(ApiObject.isApiObject)!.name;
      expect(violations(app, docs)).toEqual([
        `Deployment/${name} /spec/template/spec/containers/0/ports/0/hostPort: hostPort outside HostNetworkApp/HostPortApp`,
        `Deployment/${name} /spec/template/spec/hostNetwork: hostNetwork outside HostNetworkApp`,
      ]);
    });

    test('a HostPortApp may bind host ports but not use the node network', () => {
      const { app, docs } = build((chart) => {
        const hostPortApp = new HostPortApp(chart, 'App', { image: 'influxdb', ports: [{ containerPort: 8086, hostPort: 8086 }] });
        // An escape hatch that widens the pattern is caught like anything else.
        ApiObject.of(hostPortApp.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
      });
      expect(violations(app, docs)).toEqual([expect.stringMatching(/^DaemonSet\/.* \/spec\/template\/spec\/hostNetwork: hostNetwork outside HostNetworkApp$/)]);
    });

    test('a source range of every address, unless the test passed it', () => {
      const { app, docs } = build((chart) => new NodePortService(chart, 'App', {
        selector: webPods(chart),
        ports: [{ port: 80 }],
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
        allowFrom: [kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'Any'), kplus.NetworkPolicyIpBlock.anyIpv6(chart, 'AnyV6')],
      }));
      expect(violations(app, docs)).toEqual([
        expect.stringMatching(/^NetworkPolicy\/.* \/spec\/ingress\/0\/from\/0\/ipBlock\/cidr: every source address \(0\.0\.0\.0\/0\)$/),
        expect.stringMatching(/^NetworkPolicy\/.* \/spec\/ingress\/1\/from\/0\/ipBlock\/cidr: every source address \(::\/0\)$/),
      ]);
      expect(violations(app, docs, { everySource: true })).toEqual([]);
    });

    test('every source in loadBalancerSourceRanges and in a Traefik allow list', () => {
      const { app, docs } = build((chart) => {
        new MetalLbLoadBalancer(chart, 'Lb', { selector: webPods(chart), ports: [{ port: 80 }], ipFamilies: [IpFamily.IPV4], loadBalancerSourceRanges: ['0.0.0.0/0'] });
        new IngressRoute(chart, 'Route', {
          flavour: RouteFlavour.traefik(),
          rules: [{ backend: clusterIp(chart), port: 80 }],
          allowFrom: [kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'Any')],
        });
      });
      expect(violations(app, docs).map((v) => v.replace(/^(\w+)\/\S+/, '$1'))).toEqual([
        'Service /spec/loadBalancerSourceRanges/0: every source address (0.0.0.0/0)',
        'Middleware /spec/ipAllowList/sourceRange/0: every source address (0.0.0.0/0)',
      ]);
    });

    test('cluster-wide RBAC, wildcards and dangerous resources', () => {
      const { app, docs } = build((chart) => {
        new kplus.ClusterRole(chart, 'Admin').allow(['*'], kplus.ApiResource.PODS);
        const role = new kplus.Role(chart, 'Role');
        role.allow(['get'], kplus.ApiResource.SECRETS);
        role.allow(['create'], kplus.ApiResource.custom({ apiGroup: '', resourceType: 'pods/exec' }));
        new kplus.k8s.KubeRoleBinding(chart, 'Bind', {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
        });
      });
      const found = violations(app, docs).map((v) => v.replace(/^(\w+)\/\S+/, '$1'));
      expect(found).toEqual(expect.arrayContaining([
        'ClusterRole : cluster-wide RBAC',
        'Role /rules/0/resources: grants secrets',
        'Role /rules/1/resources: grants pods/exec',
        'RoleBinding /roleRef: binds ClusterRole edit',
      ]));
    });

    test('a "*" in a Role', () => {
      const { app, docs } = build((chart) => new kplus.Role(chart, 'Role').allow(['*'], kplus.ApiResource.custom({ apiGroup: '*', resourceType: '*' })));
      expect(violations(app, docs).map((v) => v.replace(/^(\w+)\/\S+/, '$1'))).toEqual([
        'Role /rules/0/verbs: a "*" wildcard', 'Role /rules/0/resources: a "*" wildcard', 'Role /rules/0/apiGroups: a "*" wildcard',
      ]);
    });

    test('privileged containers and privilege escalation', () => {
      const { app, docs } = build((chart) => new kplus.Deployment(chart, 'Raw', {
        containers: [{ image: 'nginx', securityContext: { privileged: true, allowPrivilegeEscalation: true } }],
      }));
      expect(violations(app, docs).map((v) => v.replace(/^(\w+)\/\S+/, '$1'))).toEqual([
        'Deployment /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation: privilege escalation allowed',
        'Deployment /spec/template/spec/containers/0/securityContext/privileged: a privileged container',
      ]);
    });

    test('a privileged namespace unless a host-level app was asked to create it', () => {
      const labels = { [POD_SECURITY_ENFORCE]: 'privileged' };
      const raw = build((chart) => new kplus.k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'edge', labels } }));
      expect(violations(raw.app, raw.docs)).toEqual(['Namespace/edge /metadata/labels: Pod Security "privileged" without createNamespace']);
      const created = build((chart) => new HostPortApp(chart, 'App', {
        image: 'influxdb', namespace: 'edge', createNamespace: true, ports: [{ containerPort: 8086, hostPort: 8086 }],
      }));
      expect(created.docs.map((d) => d.kind)).toContain('Namespace');
      expect(violations(created.app, created.docs)).toEqual([]);
    });

    test('a NetworkPolicy that allowFrom did not ask for; one it did is fine', () => {
      const raw = build((chart) => new kplus.NetworkPolicy(chart, 'Policy', { selector: webPods(chart) }));
      expect(violations(raw.app, raw.docs)).toEqual([expect.stringMatching(/^NetworkPolicy\/.* : a NetworkPolicy without allowFrom$/)]);
      const asked = build((chart) => new NodePortService(chart, 'App', {
        selector: webPods(chart),
        ports: [{ port: 80 }],
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
        allowFrom: [kplus.Pods.select(chart, 'Clients', { labels: { role: 'client' } })],
      }));
      expect(asked.docs.map((d) => d.kind)).toContain('NetworkPolicy');
      expect(violations(asked.app, asked.docs)).toEqual([]);
    });

    test('an auto-assigning MetalLB pool and load balancer node ports, unless asked', () => {
      const { app, docs } = build((chart) => new MetalLbLoadBalancer(chart, 'App', {
        selector: webPods(chart),
        ports: [{ port: 80 }],
        allocateLoadBalancerNodePorts: true,
        pool: new MetalLbAddressPool(chart, 'Pool', { addresses: ['192.168.9.0/24'], autoAssign: true }),
      }));
      expect(violations(app, docs).map((v) => v.replace(/^(\w+)\/\S+/, '$1'))).toEqual([
        'IPAddressPool /spec/autoAssign: assigned to every LoadBalancer Service that names no pool',
        'Service /spec/allocateLoadBalancerNodePorts: node ports on every node, outside loadBalancerSourceRanges',
      ]);
      expect(violations(app, docs, { autoAssign: true, loadBalancerNodePorts: true })).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// `Security:` in the TSDoc of every exposure
// ---------------------------------------------------------------------------------------------

/** The exported classes of `source` that extend `Exposure`, with the TSDoc block right above each. */
function exposureClassDocs(source: string, bases: ReadonlySet<string> = new Set(['Exposure'])): { name: string; doc?: string }[] {
  const file = ts.createSourceFile('source.ts', source, ts.ScriptTarget.Latest, true);
  const result: { name: string; doc?: string }[] = [];
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const exported = (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const extendsExposure = (statement.heritageClauses ?? []).some((h) => h.token === ts.SyntaxKind.ExtendsKeyword
      && h.types.some((t) => bases.has(t.expression.getText(file))));
    if (!exported || !extendsExposure) continue;
    const comments = (ts.getLeadingCommentRanges(source, statement.getFullStart()) ?? [])
      .map((r) => source.slice(r.pos, r.end))
      .filter((text) => text.startsWith('/**'));
    result.push({ name: statement.name.text, doc: comments[comments.length - 1] });
  }
  return result;
}

/** `Exposure` and the exported classes of `sources` that extend it, directly or through a base class. */
function exposureBases(sources: string[]): Set<string> {
  const bases = new Set(['Exposure']);
  for (let size = 0; size !== bases.size;) {
    size = bases.size;
    sources.forEach((s) => exposureClassDocs(s, bases).forEach((c) => bases.add(c.name)));
  }
  return bases;
}

/** The classes whose TSDoc has no paragraph starting with `Security:`. */
function missingSecurity(source: string, bases?: ReadonlySet<string>): string[] {
  return exposureClassDocs(source, bases).filter((c) => !/^\s*\*\s*Security:/m.test(c.doc ?? '')).map((c) => c.name);
}

describe('Security: paragraphs', () => {
  const SRC = path.join(__dirname, '..', 'src');
  const sources = (fs.readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.startsWith('imports'))
    .map((f) => fs.readFileSync(path.join(SRC, f), 'utf8'));
  const bases = exposureBases(sources);

  test('every exported class extending Exposure documents its security considerations', () => {
    const classes = sources.flatMap((s) => exposureClassDocs(s, bases).map((c) => c.name));
    // The finder works: it sees every pattern of the library.
    expect(classes).toEqual(expect.arrayContaining([
      'HostNetworkApp', 'HostPortApp', 'NodePortService', 'ClusterIpService', 'HeadlessService',
      'MetalLbLoadBalancer', 'IngressRoute', 'ApiProxyAccess', 'PodIpReachability',
    ]));
    expect(sources.flatMap((s) => missingSecurity(s, bases))).toEqual([]);
  });

  test('fails on a class without it, or with it only in another comment', () => {
    const source = `
      /**
       * A pattern.
       *
       * Security: documented.
       */
      export class Documented extends Exposure {}

      /** A pattern without the paragraph. */
      export class Undocumented extends Exposure {}

      export class NoDoc extends Exposure {}

      /**
       * Security: this paragraph belongs to the constant, not to the class below.
       */
      export const X = 1;
      // A line comment between the doc and the class.
      export class LineCommentOnly extends Exposure {}

      /** Mentions the word Security: but not as a paragraph. */
      export class Inline extends Exposure {}

      /** Not exported. */
      class Internal extends Exposure {}

      /** Extends something else. */
      export class Other extends Construct {}
    `;
    expect(exposureClassDocs(source).map((c) => c.name)).toEqual(['Documented', 'Undocumented', 'NoDoc', 'LineCommentOnly', 'Inline']);
    expect(missingSecurity(source)).toEqual(['Undocumented', 'NoDoc', 'LineCommentOnly', 'Inline']);
  });
});
