import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RBAC_API_GROUP, escapeRegExp, guessScheme, proxyNamesForPort, resolveSubjects } from './rbac';
import { checkExposedService, EXPOSED_SERVICE_PORT } from '../core/checks';
import { claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { structKeys } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint, ExposedServicePort, IExposedService } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { dns1035LabelProblem, dns1123LabelProblem } from '../core/names';
import { definedOnly } from '../core/objects';
import { checkPortList, checkPortNumber, checkProtocol } from '../core/ports';
import { shellFlag } from '../core/shell';

/**
 * What the subjects may do through the API server proxy.
 *
 * The API server turns the proxied request's HTTP method into an RBAC verb on the `proxy`
 * subresource: GET and HEAD are `get`, POST `create`, PUT `update`, PATCH `patch`, DELETE
 * `delete`; any other method (OPTIONS, so CORS preflights) maps to no verb and is always refused.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
 */
export enum ApiProxyAccessLevel {
  /** Only GET and HEAD requests reach the Services (RBAC verb `get`). */
  READ_ONLY = 'read-only',
  /**
   * GET, HEAD, POST, PUT, PATCH and DELETE requests reach the Services (RBAC verbs `get`,
   * `create`, `update`, `patch`, `delete`).
   */
  READ_WRITE = 'read-write',
}

/** The access level when none is given: read-only. */
export const DEFAULT_API_PROXY_ACCESS = ApiProxyAccessLevel.READ_ONLY;

/** The port `kubectl proxy` listens on by default. */
export const DEFAULT_KUBECTL_PROXY_PORT = 8001;

/** The address the `kubectl proxy` command line binds to (loopback only). */
const PROXY_ADDRESS = '127.0.0.1';

const VERBS: { [level: string]: string[] } = {
  [ApiProxyAccessLevel.READ_ONLY]: ['get'],
  [ApiProxyAccessLevel.READ_WRITE]: ['get', 'create', 'update', 'patch', 'delete'],
};

/**
 * Properties of an `ApiProxyAccess`.
 */
export interface ApiProxyAccessProps {
  /**
   * The Services the subjects may reach (at least one): this library's Service patterns, or a
   * `kplus.Service` through `ExposedService.fromService(svc)`. Their TCP ports are granted; the
   * ports are read when `ApiProxyAccess` is created.
   */
  readonly services: IExposedService[];
  /**
   * Who may use the proxy (at least one): `kplus.User.fromName()`, `kplus.Group.fromName()` or a
   * `kplus.ServiceAccount` (bound in its own namespace: the object's, its chart's or `default`).
   * Groups that stand for everyone (`system:authenticated`, `system:unauthenticated`,
   * `system:serviceaccounts`) and the user `system:anonymous` are refused.
   */
  readonly subjects: kplus.ISubject[];
  /**
   * What the subjects may do through the proxy.
   * @default DEFAULT_API_PROXY_ACCESS (ApiProxyAccessLevel.READ_ONLY: GET and HEAD only)
   */
  readonly access?: ApiProxyAccessLevel;
  /**
   * Also grant `pods/proxy`, to reach single pods at
   * `/api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/`.
   *
   * Security: RBAC `resourceNames` cannot select pods by label and pod names are generated, so
   * the grant covers EVERY pod of each Service's namespace, on ANY port the pod listens on,
   * including ports no Service exposes (the pod proxy dials `<pod-ip>:<port>` directly). Keep it
   * off unless the namespace holds only the exposed app. Listing pods (to learn their names) is
   * not granted.
   * @default false
   */
  readonly includePods?: boolean;
  /**
   * The local port the generated `kubectl proxy` command line listens on.
   * @default DEFAULT_KUBECTL_PROXY_PORT (8001, kubectl proxy's own default)
   */
  readonly proxyPort?: number;
}

const API_PROXY_ACCESS_PROPS = structKeys<ApiProxyAccessProps>('ApiProxyAccessProps', {
  services: true, subjects: true, access: true, includePods: true, proxyPort: true,
});

interface CheckedService {
  readonly name: string;
  readonly namespace: string;
  /** The TCP ports: the API server proxy speaks HTTP(S) over TCP only. */
  readonly ports: ExposedServicePort[];
}

/**
 * Lets authenticated users reach Services through the API server's proxy (`kubectl proxy`),
 * with a least-privilege Role instead of the broad `edit` role usually handed out for it.
 *
 * For each namespace of the given Services it creates a `Role` that allows only the
 * `services/proxy` subresource, restricted by `resourceNames` to exactly these Services, and a
 * `RoleBinding` to the subjects. Nothing is opened on the nodes: traffic goes client ->
 * `kubectl proxy` on 127.0.0.1 -> API server (authenticated, authorized) -> a pod of the Service.
 *
 * How the names are chosen: for `/api/v1/namespaces/<ns>/services/https:web:443/proxy/` the
 * authorizer sees resource `services`, subresource `proxy` and name `https:web:443` (the whole
 * path segment, kubernetes `requestinfo.go`); RBAC compares `resourceNames` by string equality
 * (`plugin/pkg/auth/authorizer/rbac/rbac.go`); the proxy then parses the segment with
 * `SplitSchemeNamePort` (`name`, `name:port`, `scheme:name:port`; `service/storage/storage.go`).
 * So the Role lists, for every TCP port of every Service, each spelling
 * `JoinSchemeNamePort(scheme, name, port)` with scheme empty, `http` or `https` and port the
 * port's name or number (plus the bare name and `https:web:` for an unnamed port). Other
 * Services, `nodes/proxy`, `pods/exec`, `pods/attach` and anything cluster-wide stay refused.
 *
 * No `get` on `services` is granted: the proxy URL does not need it (`kubectl get svc` and
 * `kubectl cluster-info` will be refused, which is intended).
 *
 * Child constructs: one scope per namespace, named after the namespace, holding `Role` and
 * `RoleBinding`. `namespace` is the chart's; the objects go to each Service's namespace
 * (`namespaces`).
 *
 * Security: whoever is bound can send requests to the Services as if from inside the cluster;
 * with `READ_WRITE` that includes POST/PUT/PATCH/DELETE. The API server connects to the pods with
 * its own identity and does not verify an `https` backend's certificate. `READ_ONLY` limits HTTP
 * methods, not what the app does on GET.
 *
 * @see https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 */
export class ApiProxyAccess extends Exposure {
  /** The access level granted. */
  public readonly access: ApiProxyAccessLevel;
  /** The RBAC verbs granted on `services/proxy` (and `pods/proxy`). */
  public readonly verbs: string[];
  /** Whether `pods/proxy` is granted in the Services' namespaces. */
  public readonly includePods: boolean;
  /** The local port of the `kubectl proxy` command line. */
  public readonly proxyPort: number;
  /** The namespaces that got a Role and RoleBinding, in the order of `services`. */
  public readonly namespaces: string[];
  /** The `Role` objects, one per namespace (same order as `namespaces`). */
  public readonly roles: kplus.k8s.KubeRole[];
  /** The `RoleBinding` objects, one per namespace (same order as `namespaces`). */
  public readonly roleBindings: kplus.k8s.KubeRoleBinding[];
  /**
   * The API paths, one per Service and TCP port:
   * `/api/v1/namespaces/<ns>/services/<scheme>:<name>:<port>/proxy/`.
   */
  public readonly proxyPaths: string[];
  /** `proxyPaths` behind the local `kubectl proxy`: `http://127.0.0.1:<proxyPort>/api/v1/...`. */
  public readonly proxyUrls: string[];
  /**
   * The `kubectl proxy` command line: loopback only, requests limited by `--accept-paths` to these
   * Services (and, read-only, `--reject-methods` for POST/PUT/PATCH/DELETE); kubectl's default
   * `--reject-paths` (exec, attach) and `--accept-hosts` (localhost) stay in force.
   */
  public readonly kubectlProxyCommand: string;
  /** How the Services (or pods) are reached: one record per Service and TCP port (and per namespace for pods). */
  public readonly accessPoints: AccessPoint[];
  /** What the cluster and the users need for the access points to work. */
  public readonly prerequisites: string[];
  /** The pattern's name in the access guide. */
  public readonly patternName: string = 'API server proxy';

  constructor(scope: Construct, id: string, props: ApiProxyAccessProps) {
    super(scope, id, {}, 'ApiProxyAccess');
    const check = this._check;
    this._refuseNamespace(props, 'the Role and RoleBinding go to each Service\'s namespace',
      'Remove namespace; create the Services in the namespace you want.');
    check.props(props, API_PROXY_ACCESS_PROPS);
    this.access = check.enumValue('access', props.access, ApiProxyAccessLevel, 'ApiProxyAccessLevel') ?? DEFAULT_API_PROXY_ACCESS;
    this.verbs = [...VERBS[this.access]];
    this.includePods = check.boolean('includePods', props.includePods) ?? false;
    this.proxyPort = props.proxyPort ?? DEFAULT_KUBECTL_PROXY_PORT;
    checkPortNumber(this._check, 'proxyPort', this.proxyPort);

    const services = this.checkServices(props.services);
    const subjects = resolveSubjects(this._check, 'subjects', props.subjects);

    // One Role + RoleBinding per namespace, in the order the Services were given.
    const byNamespace = new Map<string, CheckedService[]>();
    for (const svc of services) {
      const list = byNamespace.get(svc.namespace) ?? [];
      list.push(svc);
      byNamespace.set(svc.namespace, list);
    }
    this.namespaces = [...byNamespace.keys()];
    this.roles = [];
    this.roleBindings = [];
    const acceptPaths: string[] = [];
    for (const [namespace, list] of byNamespace) {
      const resourceNames = list.flatMap((svc) => svc.ports.flatMap((p) => proxyNamesForPort(svc.name, p)));
      const rules: kplus.k8s.PolicyRule[] = [{
        apiGroups: [''],
        resources: ['services/proxy'],
        resourceNames,
        verbs: this.verbs,
      }];
      if (this.includePods) {
        rules.push({ apiGroups: [''], resources: ['pods/proxy'], verbs: this.verbs });
      }
      const nsScope = new Construct(this, namespace);
      const role = new kplus.k8s.KubeRole(nsScope, 'Role', { metadata: definedOnly({ namespace }), rules });
      const binding = new kplus.k8s.KubeRoleBinding(nsScope, 'RoleBinding', {
        metadata: definedOnly({ namespace }),
        roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name: role.name },
        subjects,
      });
      claimObjectName(this._check, 'services', role, DERIVED_NAME_FIX);
      claimObjectName(this._check, 'services', binding, DERIVED_NAME_FIX);
      this.roles.push(role);
      this.roleBindings.push(binding);
      const prefix = `^/api/v1/namespaces/${escapeRegExp(namespace)}`;
      acceptPaths.push(`${prefix}/services/(?:${resourceNames.map(escapeRegExp).join('|')})/proxy(?:/.*)?$`);
      if (this.includePods) {
        acceptPaths.push(`${prefix}/pods/[^/]+/proxy(?:/.*)?$`);
      }
    }

    const flags = [
      shellFlag('--address', PROXY_ADDRESS),
      shellFlag('--port', String(this.proxyPort)),
      shellFlag('--accept-paths', acceptPaths.join(',')),
    ];
    if (this.access === ApiProxyAccessLevel.READ_ONLY) {
      flags.push(shellFlag('--reject-methods', '^(?:POST|PUT|PATCH|DELETE)$'));
    }
    this.kubectlProxyCommand = `kubectl proxy ${flags.join(' ')}`;

    this.proxyPaths = [];
    this.accessPoints = [];
    for (const svc of services) {
      for (const p of svc.ports) {
        const scheme = guessScheme(p);
        const path = `/api/v1/namespaces/${svc.namespace}/services/${scheme}:${svc.name}:${p.port}/proxy/`;
        this.proxyPaths.push(path);
        this.accessPoints.push(this.proxyAccessPoint(path, p.name, { serviceName: svc.name, serviceNamespace: svc.namespace, servicePort: p.port },
          `Run \`kubectl proxy\` (see kubectlProxyCommand) as one of the bound subjects; the API server forwards ${this.verbs.join('/')} requests over ${scheme} to a pod of Service ${svc.namespace}/${svc.name}, port ${p.port}.`));
      }
    }
    if (this.includePods) {
      for (const namespace of this.namespaces) {
        this.accessPoints.push(this.proxyAccessPoint(`/api/v1/namespaces/${namespace}/pods/<pod-name>:<port>/proxy/`, undefined, {},
          `Any pod of namespace ${namespace}, on any port, through \`kubectl proxy\`; pod names are not discoverable with this grant alone.`));
      }
    }
    this.proxyUrls = this.proxyPaths.map((path) => `http://${PROXY_ADDRESS}:${this.proxyPort}${path}`);
    this.prerequisites = [
      'RBAC authorization enabled on the API server (--authorization-mode includes RBAC).',
      'kubectl configured with credentials of one of the bound subjects.',
      'The API server can reach pod IPs (it connects to a ready endpoint of the Service directly).',
    ];
  }

  /** An access point at `path` behind the local `kubectl proxy` (plain HTTP on the loopback address). */
  private proxyAccessPoint(path: string, portName: string | undefined, service: Pick<AccessPoint, 'serviceName' | 'serviceNamespace' | 'servicePort'>,
    description: string): AccessPoint {
    return definedOnly({
      origin: AccessOrigin.API_SERVER,
      method: AccessMethod.API_SERVER_PROXY,
      host: PROXY_ADDRESS,
      port: this.proxyPort,
      protocol: kplus.Protocol.TCP,
      scheme: 'http',
      path,
      portName,
      ...service,
      description,
    });
  }

  private checkServices(services: IExposedService[]): CheckedService[] {
    const check = this._check;
    check.list('services', services, {
      noun: 'Service',
      minLength: 1,
      fix: 'Pass this library\'s Service patterns, or ExposedService.fromService(svc) for a kplus.Service.',
    });
    const seen = new Map<string, number>();
    return services.map((svc, i): CheckedService => {
      const where = `services[${i}]`;
      checkExposedService(check, where, svc);
      const nameProblem = dns1035LabelProblem(svc.serviceName);
      if (nameProblem) {
        check.fail(`${where}.serviceName`, `${nameProblem} (Service name)`, svc.serviceName, 'Use the Service\'s metadata.name.');
      }
      const nsProblem = dns1123LabelProblem(svc.serviceNamespace);
      if (nsProblem) {
        check.fail(`${where}.serviceNamespace`, nsProblem, svc.serviceNamespace, 'Use the Service\'s namespace.');
      }
      const key = `${svc.serviceNamespace}/${svc.serviceName}`;
      const previous = seen.get(key);
      if (previous !== undefined) {
        check.duplicate(where, `services[${previous}]`, key, 'List each Service once.');
      }
      seen.set(key, i);
      const portsProp = `${where}.servicePorts`;
      check.structList(portsProp, svc.servicePorts, EXPOSED_SERVICE_PORT, {
        noun: 'port',
        minLength: 1,
        fix: 'The proxy needs a Service port: give the Service a port (a headless Service without ports cannot be proxied).',
      });
      const ports = svc.servicePorts.map((p, j) => {
        checkPortNumber(check, `${portsProp}[${j}].port`, p.port);
        return { port: p.port, name: p.name, protocol: checkProtocol(check, `${portsProp}[${j}].protocol`, p.protocol) };
      });
      checkPortList(check, portsProp, ports, 'port');
      const tcp = ports.filter((p) => p.protocol === kplus.Protocol.TCP);
      if (tcp.length === 0) {
        check.fail(portsProp, 'has no TCP port; the API server proxy only speaks HTTP(S) over TCP', svc.servicePorts,
          'Add a TCP port to the Service, or reach UDP/SCTP services another way.');
      }
      return { name: svc.serviceName, namespace: svc.serviceNamespace, ports: tcp.map((p) => definedOnly(p)) };
    });
  }
}
