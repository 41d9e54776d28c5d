import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { find, findAll, synthApp, synthChart, toYaml } from './util';
import { AccessMethod, AccessOrigin, ExposedService, IExposedService } from '../src/core/exposure';
import { ApiProxyAccess, ApiProxyAccessLevel, ApiProxyAccessProps, DEFAULT_API_PROXY_ACCESS, DEFAULT_KUBECTL_PROXY_PORT } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';

function web(chart: Chart, ports = [{ port: 80, name: 'http' }], name = 'web', namespace?: string): ClusterIpService {
  const pods = kplus.Pods.select(chart, `${name}-pods-${namespace ?? ''}`, { labels: { app: name } });
  return new ClusterIpService(chart, `${name}-${namespace ?? 'svc'}`, { name, namespace, selector: pods, ports });
}

function alice(chart: Chart): kplus.User {
  return kplus.User.fromName(chart, 'Alice', 'alice');
}

function access(chart: Chart, props: Partial<ApiProxyAccessProps> = {}): ApiProxyAccess {
  return new ApiProxyAccess(chart, 'Access', {
    services: props.services ?? [web(chart)],
    subjects: props.subjects ?? [alice(chart)],
    ...props,
  });
}

/** The `--accept-paths` regexps of a kubectl proxy command line (Go RE2; the syntax used here is also JS). */
function acceptPaths(command: string): RegExp[] {
  const match = /--accept-paths='([^']*)'/.exec(command);
  if (!match) throw new Error(`no --accept-paths in ${command}`);
  return match[1].split(',').map((re) => new RegExp(re));
}

/**
 * A small model of the API server's authorization of a proxy request: RequestInfo parsing
 * (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) and RBAC RuleAllows
 * (plugin/pkg/auth/authorizer/rbac/rbac.go) over the synthesized Roles.
 */
function authorized(docs: any[], method: string, path: string): boolean {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'namespaces') return false;
  const namespace = parts[3];
  const [resource, name, subresource] = parts.slice(4);
  const verb = ({ GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as any)[method] ?? '';
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return findAll(docs, 'Role').filter((r) => r.metadata.namespace === namespace).some((role) => (role.rules as any[]).some((rule) =>
    (rule.verbs.includes(verb) || rule.verbs.includes('*'))
    && (rule.apiGroups.includes('') || rule.apiGroups.includes('*'))
    && (rule.resources.includes(combined) || rule.resources.includes('*'))
    && (!rule.resourceNames || rule.resourceNames.length === 0 || rule.resourceNames.includes(name))));
}

describe('ApiProxyAccess', () => {
  test('defaults: read-only Role on services/proxy for the Service, bound to the subjects, kubectl proxy on 127.0.0.1:8001', () => {
    const chart = Testing.chart();
    const a = access(chart);
    expect(DEFAULT_API_PROXY_ACCESS).toBe(ApiProxyAccessLevel.READ_ONLY);
    expect(DEFAULT_KUBECTL_PROXY_PORT).toBe(8001);
    expect(a.access).toBe(ApiProxyAccessLevel.READ_ONLY);
    expect(a.verbs).toEqual(['get']);
    expect(a.includePods).toBe(false);
    expect(a.proxyPort).toBe(8001);
    expect(a.namespaces).toEqual(['default']);
    expect(a.patternName).toBe('API server proxy');
    const docs = synthChart(chart);
    const role = find(docs, 'Role');
    expect(role.metadata.namespace).toBe('default');
    expect(role.rules).toStrictEqual([{
      apiGroups: [''],
      resources: ['services/proxy'],
      resourceNames: ['web:http', 'web:80', 'http:web:http', 'http:web:80', 'https:web:http', 'https:web:80'],
      verbs: ['get'],
    }]);
    const binding = find(docs, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('default');
    expect(binding.roleRef).toStrictEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toStrictEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);
    expect(findAll(docs, 'ClusterRole')).toHaveLength(0);
    expect(findAll(docs, 'ClusterRoleBinding')).toHaveLength(0);
    expect(a.proxyPaths).toEqual(['/api/v1/namespaces/default/services/http:web:80/proxy/']);
    expect(a.proxyUrls).toEqual(['http://127.0.0.1:8001/api/v1/namespaces/default/services/http:web:80/proxy/']);
    expect(a.kubectlProxyCommand).toBe('kubectl proxy --address=127.0.0.1 --port=8001 '
      + '--accept-paths=\'^/api/v1/namespaces/default/services/(?:web:http|web:80|http:web:http|http:web:80|https:web:http|https:web:80)/proxy(?:/.*)?$\' '
      + '--reject-methods=\'^(?:POST|PUT|PATCH|DELETE)$\'');
    expect(a.accessPoints).toEqual([{
      origin: AccessOrigin.API_SERVER,
      method: AccessMethod.API_SERVER_PROXY,
      host: '127.0.0.1',
      port: 8001,
      protocol: kplus.Protocol.TCP,
      scheme: 'http',
      path: '/api/v1/namespaces/default/services/http:web:80/proxy/',
      portName: 'http',
      serviceName: 'web',
      serviceNamespace: 'default',
      servicePort: 80,
      description: expect.stringContaining('Service default/web, port 80'),
    }]);
    expect(a.prerequisites).toEqual(expect.arrayContaining([expect.stringContaining('RBAC')]));
  });

  test('pins generated names and child ids', () => {
    const chart = Testing.chart();
    const a = access(chart);
    expect(a.roles.map((r) => r.node.path)).toEqual(['test/Access/default/Role']);
    expect(a.roleBindings.map((b) => b.node.path)).toEqual(['test/Access/default/RoleBinding']);
    expect(a.roles[0].name).toBe('test-access-role-c818bfed');
    expect(a.roleBindings[0].name).toBe('test-access-rolebinding-c84f8ef5');
  });

  test('lists every spelling of an unnamed port, including the bare name and kubectl cluster-info\'s "https:web:"', () => {
    const chart = Testing.chart();
    access(chart, { services: [web(chart, [{ port: 8080 }] as any)] });
    expect(find(synthChart(chart), 'Role').rules[0].resourceNames).toEqual(
      ['web', 'web:8080', 'http:web:', 'http:web:8080', 'https:web:', 'https:web:8080']);
  });

  test('the documented URLs are authorized, nothing else is', () => {
    const chart = Testing.chart();
    const svc = web(chart, [{ port: 80, name: 'http' }, { port: 443, name: 'https' }, { port: 53, name: 'dns', protocol: kplus.Protocol.UDP }] as any);
    const a = access(chart, { services: [svc] });
    const docs = synthChart(chart);
    expect(a.proxyPaths).toEqual([
      '/api/v1/namespaces/default/services/http:web:80/proxy/',
      // kubectl cluster-info's guess: port named "https" or 443 -> https.
      '/api/v1/namespaces/default/services/https:web:443/proxy/',
    ]);
    const accept = acceptPaths(a.kubectlProxyCommand);
    const allowedByProxy = (path: string) => accept.some((re) => re.test(path));
    for (const path of [...a.proxyPaths, '/api/v1/namespaces/default/services/web:http/proxy/index.html',
      '/api/v1/namespaces/default/services/web:443/proxy', '/api/v1/namespaces/default/services/https:web:https/proxy/api?x=1']) {
      const clean = path.split('?')[0];
      expect({ path, rbac: authorized(docs, 'GET', clean), kubectl: allowedByProxy(clean) }).toEqual({ path, rbac: true, kubectl: true });
    }
    for (const path of [
      '/api/v1/namespaces/default/services/other:80/proxy/', // another Service
      '/api/v1/namespaces/default/services/web:dns/proxy/', // the UDP port
      '/api/v1/namespaces/default/services/web:53/proxy/',
      '/api/v1/namespaces/default/services/web/proxy/', // no unnamed port here
      '/api/v1/namespaces/kube-system/services/web:80/proxy/', // another namespace
      '/api/v1/namespaces/default/pods/web-0/proxy/',
      '/api/v1/namespaces/default/pods/web-0/exec',
      '/api/v1/namespaces/default/services/web:80',
      '/api/v1/namespaces/default/secrets/token',
    ]) {
      expect({ path, rbac: authorized(docs, 'GET', path), kubectl: allowedByProxy(path) }).toEqual({ path, rbac: false, kubectl: false });
    }
    expect(authorized(docs, 'POST', a.proxyPaths[0])).toBe(false);
    expect(authorized(docs, 'OPTIONS', a.proxyPaths[0])).toBe(false);
    expect(authorized(docs, 'HEAD', a.proxyPaths[0])).toBe(true);
  });

  test('READ_WRITE adds create, update, patch and delete and drops --reject-methods', () => {
    const chart = Testing.chart();
    const a = access(chart, { access: ApiProxyAccessLevel.READ_WRITE, proxyPort: 8080 });
    const docs = synthChart(chart);
    expect(find(docs, 'Role').rules[0].verbs).toEqual(['get', 'create', 'update', 'patch', 'delete']);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(authorized(docs, method, a.proxyPaths[0])).toBe(true);
    }
    expect(a.kubectlProxyCommand).not.toContain('--reject-methods');
    expect(a.kubectlProxyCommand).toContain('--port=8080');
    expect(a.proxyUrls[0]).toBe('http://127.0.0.1:8080/api/v1/namespaces/default/services/http:web:80/proxy/');
  });

  test('includePods grants pods/proxy in the namespace (no resourceNames) and accepts pod proxy paths', () => {
    const chart = Testing.chart();
    const a = access(chart, { includePods: true });
    const docs = synthChart(chart);
    expect(find(docs, 'Role').rules[1]).toStrictEqual({ apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] });
    expect(authorized(docs, 'GET', '/api/v1/namespaces/default/pods/web-abc:8080/proxy/')).toBe(true);
    expect(authorized(docs, 'GET', '/api/v1/namespaces/default/pods/web-abc/exec')).toBe(false);
    expect(authorized(docs, 'GET', '/api/v1/namespaces/default/pods/web-abc/attach')).toBe(false);
    expect(acceptPaths(a.kubectlProxyCommand).some((re) => re.test('/api/v1/namespaces/default/pods/web-abc:8080/proxy/'))).toBe(true);
    expect(a.accessPoints[1]).toMatchObject({ path: '/api/v1/namespaces/default/pods/<pod-name>:<port>/proxy/' });
  });

  test('one Role and RoleBinding per namespace, each naming only its Services', () => {
    const chart = Testing.chart();
    const a = access(chart, { services: [web(chart, undefined, 'web', 'shop'), web(chart, undefined, 'api', 'shop'), web(chart, undefined, 'web', 'blog')] });
    const docs = synthChart(chart);
    expect(a.namespaces).toEqual(['shop', 'blog']);
    const roles = findAll(docs, 'Role');
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['shop', 'blog']);
    expect(roles[0].rules[0].resourceNames).toEqual(expect.arrayContaining(['http:web:80', 'http:api:80']));
    expect(roles[1].rules[0].resourceNames).not.toContain('http:api:80');
    expect(findAll(docs, 'RoleBinding').map((b) => [b.metadata.namespace, b.roleRef.name]))
      .toEqual([['shop', roles[0].metadata.name], ['blog', roles[1].metadata.name]]);
    expect(acceptPaths(a.kubectlProxyCommand)).toHaveLength(2);
  });

  test('accepts a kplus.Service through ExposedService.fromService, groups and service accounts', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'tools' });
    const deployment = new kplus.Deployment(chart, 'Grafana', { containers: [{ image: 'grafana/grafana', portNumber: 3000 }] });
    const svc = deployment.exposeViaService({ name: 'grafana', ports: [{ port: 3000 }] });
    const ci = new kplus.ServiceAccount(chart, 'Ci');
    const other = kplus.ServiceAccount.fromServiceAccountName(chart, 'Robot', 'robot', { namespaceName: 'bots' });
    new ApiProxyAccess(chart, 'Access', {
      services: [ExposedService.fromService(svc)],
      subjects: [kplus.Group.fromName(chart, 'Ops', 'ops'), ci, other, kplus.Group.fromName(chart, 'Ops2', 'ops')],
    });
    const docs = synthApp(app);
    expect(find(docs, 'Role').metadata.namespace).toBe('tools');
    expect(find(docs, 'Role').rules[0].resourceNames).toEqual(['grafana', 'grafana:3000', 'http:grafana:', 'http:grafana:3000', 'https:grafana:', 'https:grafana:3000']);
    expect(find(docs, 'RoleBinding').subjects).toStrictEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ops' },
      { kind: 'ServiceAccount', name: ci.name, namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'bots' },
    ]);
  });

  test('never grants node proxy, exec, attach or anything cluster-wide', () => {
    const chart = Testing.chart();
    access(chart, { access: ApiProxyAccessLevel.READ_WRITE, includePods: true });
    const docs = synthChart(chart);
    expect(docs.map((d) => d.kind).sort()).toEqual(['Role', 'RoleBinding', 'Service']);
    const resources = find(docs, 'Role').rules.flatMap((r: any) => r.resources);
    expect(resources).toEqual(['services/proxy', 'pods/proxy']);
    expect(find(docs, 'Role').rules.flatMap((r: any) => r.verbs)).not.toContain('*');
  });

  test('a Role that may only GET the proxy of this Service\'s ports (and of pods), bound to the user (and the whole manifest)', () => {
    const chart = Testing.chart();
    access(chart, { includePods: true });
    const docs = synthChart(chart);
    const role = find(docs, 'Role');
    expect(role.metadata.namespace).toBe('default');
    expect(role.rules.map((r: any) => [r.resources, r.verbs])).toEqual([[['services/proxy'], ['get']], [['pods/proxy'], ['get']]]);
    // Only this Service, by its port's name and number, with and without a scheme.
    expect(role.rules[0].resourceNames).toEqual(['web:http', 'web:80', 'http:web:http', 'http:web:80', 'https:web:http', 'https:web:80']);
    const binding = find(docs, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);
    expect(toYaml(docs)).toMatchSnapshot();
  });

  describe('bad input', () => {
    test('fails if no Services are given (full message format)', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { services: [] })).toThrow(
        '[test/Access] ApiProxyAccess: services must list at least one Service; got []. '
        + 'Pass this library\'s Service patterns, or ExposedService.fromService(svc) for a kplus.Service.');
    });

    test('fails if no subjects are given', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { subjects: [] })).toThrow(
        /^\[test\/Access\] ApiProxyAccess: subjects must list at least one subject; got \[\]\. Pass kplus\.User\.fromName/);
    });

    test('fails if a Service has no ports', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { services: [ExposedService.fromAttributes('web', 'default', [])] })).toThrow(
        /^\[test\/Access\] ApiProxyAccess: services\[0\]\.servicePorts must list at least one port; got \[\]\. /);
    });

    test('fails if a Service has no TCP port', () => {
      const chart = Testing.chart();
      const dns = ExposedService.fromAttributes('dns', 'default', [{ port: 53, protocol: kplus.Protocol.UDP }]);
      expect(() => access(chart, { services: [dns] })).toThrow(
        /services\[0\]\.servicePorts has no TCP port; the API server proxy only speaks HTTP\(S\) over TCP; got \[/);
    });

    test('fails if a Service port is invalid', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { services: [ExposedService.fromAttributes('web', 'default', [{ port: 0 }])] })).toThrow(
        /services\[0\]\.servicePorts\[0\]\.port must be an integer within 1-65535; got 0\./);
    });

    test('fails if a kplus.Service is passed without ExposedService.fromService', () => {
      const chart = Testing.chart();
      const svc = new kplus.Service(chart, 'Raw', { ports: [{ port: 80 }] });
      expect(() => access(chart, { services: [svc as unknown as IExposedService] })).toThrow(
        /services\[0\] must be an IExposedService; got "test\/Raw"\. Wrap a kplus\.Service with ExposedService\.fromService\(svc\)/);
    });

    test('fails if a Service name is not a Service name', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { services: [ExposedService.fromAttributes('Web_1', 'default', [{ port: 80 }])] })).toThrow(
        /services\[0\]\.serviceName must be a DNS-1035 label .*; got "Web_1"\./);
    });

    test('fails if a Service is listed twice', () => {
      const chart = Testing.chart();
      const svc = web(chart);
      expect(() => new ApiProxyAccess(chart, 'Access', { services: [svc, ExposedService.fromAttributes('web', 'default', [{ port: 80 }])], subjects: [alice(chart)] }))
        .toThrow(/services\[1\] duplicates services\[0\]; got "default\/web"\. List each Service once\./);
    });

    test('fails if a user name is empty', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { subjects: [kplus.User.fromName(chart, 'Nobody', '')] })).toThrow(
        /^\[test\/Access\] ApiProxyAccess: subjects\[0\]\.name must be a non-empty user name; got ""\. /);
    });

    test('fails if a group name is empty', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { subjects: [kplus.Group.fromName(chart, 'G', '')] })).toThrow(
        /subjects\[0\]\.name must be a non-empty group name; got ""\./);
    });

    test('fails if a group stands for everyone', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { subjects: [kplus.Group.fromName(chart, 'All', 'system:authenticated')] })).toThrow(
        /subjects\[0\]\.name stands for every authenticated identity, including every service account, .*; got "system:authenticated"\. Bind named users/);
      const other = Testing.chart();
      expect(() => access(other, { subjects: [kplus.Group.fromName(other, 'Anon', 'system:unauthenticated')] })).toThrow(
        /subjects\[0\]\.name stands for every anonymous client/);
    });

    test('fails if the user is system:anonymous', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { subjects: [kplus.User.fromName(chart, 'Anon', 'system:anonymous')] })).toThrow(
        /subjects\[0\]\.name stands for anonymous requests/);
    });

    test('fails if a service account reference has an empty name', () => {
      const chart = Testing.chart();
      const sa = kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', '');
      expect(() => access(chart, { subjects: [sa] })).toThrow(
        /subjects\[0\]\.name must be a non-empty DNS-1123 subdomain \(service account name\); got ""\./);
    });

    test('fails if a service account name is not a DNS-1123 subdomain', () => {
      const chart = Testing.chart();
      const sa = kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'CI_Bot');
      expect(() => access(chart, { subjects: [sa] })).toThrow(/subjects\[0\]\.name must be a DNS-1123 subdomain .*; got "CI_Bot"\./);
    });

    test('fails if a service account namespace is invalid', () => {
      const chart = Testing.chart();
      const sa = kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'ci', { namespaceName: 'Bad_NS' });
      expect(() => access(chart, { subjects: [sa] })).toThrow(/subjects\[0\]\.namespace must be a DNS-1123 label .*; got "Bad_NS"\./);
    });

    test('fails if a subject has an unknown kind', () => {
      const chart = Testing.chart();
      class Robot extends Construct implements kplus.ISubject {
        public toSubjectConfiguration(): kplus.SubjectConfiguration { return { kind: 'Robot', name: 'r2' }; }
      }
      expect(() => access(chart, { subjects: [new Robot(chart, 'R2')] })).toThrow(
        /subjects\[0\]\.kind must be User, Group or ServiceAccount; got "Robot"\./);
    });

    test('fails if proxyPort is not a port', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { proxyPort: 70000 })).toThrow(/proxyPort must be an integer within 1-65535; got 70000\./);
    });

    test('fails if access is not an ApiProxyAccessLevel', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { access: 'admin' as ApiProxyAccessLevel })).toThrow(/access must be an ApiProxyAccessLevel; got "admin"\./);
    });

    test('fails if namespace is passed', () => {
      const chart = Testing.chart();
      expect(() => access(chart, { namespace: 'web' } as any)).toThrow(
        /namespace does not apply: the Role and RoleBinding go to each Service's namespace; got "web"\./);
    });
  });
});
