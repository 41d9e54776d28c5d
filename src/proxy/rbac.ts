/**
 * RBAC helpers for the API server proxy: the resource names the authorizer sees for
 * `services/<name>/proxy`, subject checks, and the `kubectl proxy` filter regexps.
 *
 * Upstream behaviour this file encodes (kubernetes/kubernetes):
 * - `staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go` (`NewRequestInfo`): for
 *   `/api/v1/namespaces/<ns>/services/<id>/proxy/<path>` the request's `Name` is the whole path
 *   segment `<id>` (e.g. `https:web:443`) and its `Subresource` is `proxy`; GET/HEAD map to verb
 *   `get`, POST `create`, PUT `update`, PATCH `patch`, DELETE `delete`, anything else (OPTIONS) to "".
 * - `plugin/pkg/auth/authorizer/rbac/rbac.go` (`RuleAllows`) and `pkg/apis/rbac/v1/evaluation_helpers.go`
 *   (`ResourceNameMatches`): `resourceNames` is compared to that `Name` by string equality.
 * - `pkg/registry/core/service/storage/storage.go` (`(*REST).ResourceLocation`) parses `<id>` with
 *   `SplitSchemeNamePort` (`staging/src/k8s.io/apimachinery/pkg/util/net/port_split.go`):
 *   `name`, `name:port` or `scheme:name:port`, scheme `http`, `https` or empty, port a port name
 *   or number (a number is mapped to the Service port's name; an empty port selects the unnamed port).
 * So every spelling of a Service port is a different RBAC resource name.
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { Checker } from '../core/errors';
import { DEFAULT_NAMESPACE, ExposedServicePort } from '../core/exposure';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';

/** The RBAC API group, the only one User and Group subjects may use. */
export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** The schemes the service proxy accepts in front of a name (`SplitSchemeNamePort`'s validSchemes). */
const PROXY_SCHEMES = ['', 'http', 'https'];

/**
 * `JoinSchemeNamePort` (k8s.io/apimachinery/pkg/util/net): how kubectl and the docs spell a
 * Service port in a proxy path.
 */
export function joinSchemeNamePort(scheme: string, name: string, port: string): string {
  if (scheme.length > 0) return `${scheme}:${name}:${port}`;
  if (port.length > 0) return `${name}:${port}`;
  return name;
}

/**
 * Every proxy name that reaches `port` of Service `name`: `JoinSchemeNamePort(scheme, name, ref)`
 * for scheme "", `http`, `https` and ref the port's name (empty for the unnamed port) or number.
 * For an unnamed port this includes `web` and `https:web:` (kubectl cluster-info's spelling).
 */
export function proxyNamesForPort(name: string, port: ExposedServicePort): string[] {
  const refs = [port.name ?? '', String(port.port)];
  const names: string[] = [];
  for (const scheme of PROXY_SCHEMES) {
    for (const ref of refs) {
      const joined = joinSchemeNamePort(scheme, name, ref);
      if (!names.includes(joined)) names.push(joined);
    }
  }
  return names;
}

/**
 * The scheme kubectl cluster-info guesses for a Service port: `https` when the port is named
 * `https` or is 443, else `http` (staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go).
 */
export function guessScheme(port: ExposedServicePort): string {
  return port.name === 'https' || port.port === 443 ? 'https' : 'http';
}

/** Escapes RE2 metacharacters (kubectl proxy's filters are Go regexps). */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Groups that stand for everyone (or every anonymous client, or every workload) in the cluster. */
const BROAD_GROUPS: { [name: string]: string } = {
  'system:unauthenticated': 'every anonymous client',
  'system:authenticated': 'every authenticated identity, including every service account',
  'system:serviceaccounts': 'every service account of every namespace',
};

/** Users that stand for anonymous requests. */
const BROAD_USERS: { [name: string]: string } = {
  'system:anonymous': 'anonymous requests',
};

/**
 * Resolves and checks the subjects of a RoleBinding the way the API server validates them
 * (`pkg/apis/rbac/validation/validation.go`, `validateRoleBindingSubject`): kind User, Group or
 * ServiceAccount; non-empty names; User and Group in the RBAC API group; ServiceAccount names
 * DNS-1123 subdomains, API group empty. ServiceAccount subjects get an explicit namespace
 * (the object's, its chart's or `default`), and groups that stand for everyone are refused.
 */
export function resolveSubjects(check: Checker, prop: string, subjects: kplus.ISubject[]): kplus.k8s.Subject[] {
  check.list(prop, subjects, {
    noun: 'subject',
    minLength: 1,
    fix: 'Pass kplus.User.fromName(scope, id, name), kplus.Group.fromName(scope, id, name) or a kplus.ServiceAccount.',
  });
  const result: kplus.k8s.Subject[] = [];
  const seen = new Set<string>();
  subjects.forEach((subject, i) => {
    const where = `${prop}[${i}]`;
    check.implementation(where, subject, ['toSubjectConfiguration'], 'kplus.ISubject',
      'Pass kplus.User.fromName(), kplus.Group.fromName() or a kplus.ServiceAccount.');
    const config = subject.toSubjectConfiguration();
    const name = config.name;
    const apiGroup = config.apiGroup === 'core' ? '' : (config.apiGroup ?? undefined);
    let resolved: kplus.k8s.Subject;
    switch (config.kind) {
      case 'User':
      case 'Group': {
        if (typeof name !== 'string' || name.length === 0) {
          check.fail(`${where}.name`, `must be a non-empty ${config.kind.toLowerCase()} name`, name,
            `Use the ${config.kind.toLowerCase()} name your authenticator reports (e.g. the certificate's ${config.kind === 'User' ? 'CN' : 'O'}).`);
        }
        if (apiGroup !== undefined && apiGroup !== RBAC_API_GROUP) {
          check.fail(`${where}.apiGroup`, `must be "${RBAC_API_GROUP}" for a ${config.kind}`, apiGroup,
            `Use kplus.${config.kind}.fromName().`);
        }
        const broad = config.kind === 'User' ? BROAD_USERS[name] : BROAD_GROUPS[name];
        if (broad) {
          check.fail(`${where}.name`, `stands for ${broad}, which would open the Services to far more than the intended people`, name,
            'Bind named users, groups or service accounts.');
        }
        resolved = { kind: config.kind, name, apiGroup: RBAC_API_GROUP };
        break;
      }
      case 'ServiceAccount': {
        const problem = dns1123SubdomainProblem(name);
        if (problem) {
          check.fail(`${where}.name`, `${problem} (service account name)`, name,
            'Reference an existing service account, e.g. kplus.ServiceAccount.fromServiceAccountName(scope, id, "ci").');
        }
        if (apiGroup !== undefined && apiGroup !== '') {
          check.fail(`${where}.apiGroup`, 'must be empty for a ServiceAccount', apiGroup, 'Use a kplus.ServiceAccount.');
        }
        const namespace = config.namespace ?? namespaceOf(subject);
        const nsProblem = dns1123LabelProblem(namespace);
        if (nsProblem) {
          check.fail(`${where}.namespace`, nsProblem, namespace, 'Use the namespace the service account lives in.');
        }
        resolved = { kind: 'ServiceAccount', name, namespace };
        break;
      }
      default:
        check.fail(`${where}.kind`, 'must be User, Group or ServiceAccount', config.kind,
          'Pass kplus.User.fromName(), kplus.Group.fromName() or a kplus.ServiceAccount.');
    }
    const key = `${resolved.kind}/${resolved.namespace ?? ''}/${resolved.name}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(resolved);
    }
  });
  return result;
}

/** The namespace of a subject created without one: its chart's, or `default`. */
function namespaceOf(subject: IConstruct): string {
  try {
    return Chart.of(subject).namespace ?? DEFAULT_NAMESPACE;
  } catch {
    return DEFAULT_NAMESPACE;
  }
}
