/**
 * Fuzz generator of ApiProxyAccess.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { anyPort, sometimes, validNamespace, validPortName, validServiceName } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { namespaceOf } from './k8s-rules';
import { dropUndefined } from './services';
import { ExposedService } from '../../src/core/exposure';
import { ApiProxyAccess, ApiProxyAccessLevel } from '../../src/proxy/api-proxy-access';

type SubjectSpec =
  | { readonly kind: 'user' | 'group'; readonly name: string }
  | { readonly kind: 'serviceAccount'; readonly namespace?: string };

interface ServiceSpec {
  readonly name: any;
  readonly namespace: any;
  readonly ports: any;
}

interface Input {
  readonly services: ServiceSpec[] | any;
  readonly subjects: SubjectSpec[];
  readonly access?: any;
  readonly includePods?: any;
  readonly proxyPort?: any;
}

const servicePort = fc.record({
  port: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(80, 443, 8080, 8443, 9090) }, { weight: 1, arbitrary: anyPort }),
  name: sometimes(fc.oneof(validPortName, fc.constantFrom('https', 'web-tls')), 2),
  protocol: fc.constantFrom<any>(undefined, undefined, kplus.Protocol.TCP, kplus.Protocol.UDP),
}).map(dropUndefined);

/** One or two TCP ports, unique by number, named when there are two. */
const validPorts = fc.uniqueArray(
  fc.record({ port: fc.constantFrom(80, 443, 8080, 8443, 9090), name: fc.constantFrom('http', 'https', 'web-tls', 'metrics') }),
  { minLength: 1, maxLength: 2, selector: (p) => p.port },
).filter((ports) => new Set(ports.map((p) => p.name)).size === ports.length)
  .chain((ports) => (ports.length === 1 ? fc.constantFrom(ports, [{ port: ports[0].port }]) : fc.constant(ports)));

const service = (edgy: boolean): fc.Arbitrary<ServiceSpec> => fc.record({
  name: edgy ? fc.oneof<any>(validServiceName, fc.constantFrom('Web', '', '1web')) : validServiceName,
  namespace: edgy ? fc.oneof<any>(validNamespace, fc.constantFrom('Web', '', 'a/b')) : validNamespace,
  ports: edgy ? fc.array(servicePort, { maxLength: 3 }) : validPorts,
});

const subject = (edgy: boolean): fc.Arbitrary<SubjectSpec> => fc.oneof(
  fc.record({
    kind: fc.constantFrom<'user' | 'group'>('user', 'group'),
    name: edgy
      ? fc.constantFrom('alice', 'dev', '', 'system:anonymous', 'system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:web')
      : fc.constantFrom('alice', 'bob', 'dev', 'oidc:team-a'),
  }),
  fc.record({ kind: fc.constant('serviceAccount' as const), namespace: sometimes(validNamespace) }).map(dropUndefined),
);

const input = (edgy: boolean): fc.Arbitrary<Input> => fc.record({
  services: edgy
    ? fc.oneof<any>({ weight: 8, arbitrary: fc.array(service(true), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'web') })
    : fc.array(service(false), { minLength: 1, maxLength: 3 }),
  subjects: fc.array(subject(edgy), { minLength: edgy ? 0 : 1, maxLength: 2 }),
  access: edgy
    ? fc.constantFrom<any>(undefined, ApiProxyAccessLevel.READ_ONLY, ApiProxyAccessLevel.READ_WRITE, 'admin')
    : fc.constantFrom(undefined, ApiProxyAccessLevel.READ_ONLY, ApiProxyAccessLevel.READ_WRITE),
  includePods: fc.constantFrom(undefined, false, true),
  proxyPort: edgy ? sometimes(anyPort) : sometimes(fc.constantFrom(8001, 18001)),
}).map(dropUndefined);

const RBAC = 'rbac.authorization.k8s.io';

export const apiProxyFuzzer: PatternFuzzer<Input> = {
  className: 'ApiProxyAccess',
  input: fc.oneof({ weight: 3, arbitrary: input(false) }, { weight: 1, arbitrary: input(true) }),
  javascriptCallers: true,
  build(scope: Chart, id: string, given: Input, caller): Built {
    const services = Array.isArray(given.services)
      ? given.services.map((s: ServiceSpec) => ExposedService.fromAttributes(s.name, s.namespace, s.ports))
      : given.services;
    const subjects = given.subjects.map((s, i): kplus.ISubject => {
      switch (s.kind) {
        case 'user': return kplus.User.fromName(scope, `${id}User${i}`, s.name);
        case 'group': return kplus.Group.fromName(scope, `${id}Group${i}`, s.name);
        case 'serviceAccount': return new kplus.ServiceAccount(scope, `${id}Sa${i}`, { metadata: s.namespace ? { namespace: s.namespace } : undefined });
      }
    });
    const access = new ApiProxyAccess(scope, id, caller({
      services, subjects, access: given.access, includePods: given.includePods, proxyPort: given.proxyPort,
    }));
    return {
      construct: access,
      check: (docs) => {
        const problems: string[] = [];
        const verbs = given.access === ApiProxyAccessLevel.READ_WRITE ? ['get', 'create', 'update', 'patch', 'delete'] : ['get'];
        if (docs.some((d) => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')) problems.push('a cluster-wide RBAC object was created');
        const specs = given.services as ServiceSpec[];
        for (const namespace of new Set(specs.map((s) => s.namespace))) {
          const role = docs.find((d) => d.kind === 'Role' && namespaceOf(d) === namespace
            && access.roles.some((r) => r.name === d.metadata.name));
          if (!role) {
            problems.push(`no Role in namespace ${namespace}`);
            continue;
          }
          for (const rule of role.rules ?? []) {
            if ((rule.verbs ?? []).some((v: string) => v === '*') || (rule.resources ?? []).some((r: string) => r.includes('*'))) problems.push(`Role ${role.metadata.name} has a wildcard`);
            if (JSON.stringify(rule.verbs) !== JSON.stringify(verbs)) problems.push(`Role ${role.metadata.name} grants ${rule.verbs}, expected ${verbs}`);
            const resources = JSON.stringify(rule.resources);
            if (resources === '["services/proxy"]') {
              if (!rule.resourceNames || rule.resourceNames.length === 0) problems.push(`Role ${role.metadata.name} grants services/proxy on every Service`);
              const names = new Set<string>(rule.resourceNames ?? []);
              for (const s of specs.filter((x) => x.namespace === namespace)) {
                for (const p of (s.ports as any[]).filter((x) => (x.protocol ?? 'TCP') === 'TCP')) {
                  for (const want of [`${s.name}:${p.port}`, `https:${s.name}:${p.port}`, `http:${s.name}:${p.port}`]) {
                    if (!names.has(want)) problems.push(`Role ${role.metadata.name} lacks resourceName ${want}`);
                  }
                }
                for (const n of names) {
                  const svc = n.split(':').length === 1 ? n : n.split(':')[n.split(':').length === 2 ? 0 : 1];
                  if (!specs.some((x) => x.namespace === namespace && x.name === svc)) problems.push(`Role ${role.metadata.name} names ${n}, not one of the Services`);
                }
              }
            } else if (resources !== '["pods/proxy"]' || given.includePods !== true) {
              problems.push(`Role ${role.metadata.name} grants ${resources}`);
            }
          }
          const binding = docs.find((d) => d.kind === 'RoleBinding' && namespaceOf(d) === namespace && d.roleRef?.name === role.metadata.name);
          if (!binding) {
            problems.push(`no RoleBinding to Role ${role.metadata.name}`);
            continue;
          }
          if (binding.roleRef.kind !== 'Role' || binding.roleRef.apiGroup !== RBAC) problems.push(`RoleBinding ${binding.metadata.name} refers to ${JSON.stringify(binding.roleRef)}`);
          // Each distinct subject once (a repeated user or group is bound once).
          const distinct = new Set(given.subjects.map((s, i) => (s.kind === 'serviceAccount' ? `sa${i}` : `${s.kind}/${s.name}`))).size;
          if ((binding.subjects ?? []).length !== distinct) problems.push(`RoleBinding ${binding.metadata.name} binds ${binding.subjects?.length} subjects, ${distinct} given`);
          for (const s of binding.subjects ?? []) {
            if (s.kind === 'ServiceAccount' ? !s.namespace || s.apiGroup : s.apiGroup !== RBAC) problems.push(`RoleBinding ${binding.metadata.name} subject ${JSON.stringify(s)}`);
          }
        }
        return problems;
      },
    };
  },
};
