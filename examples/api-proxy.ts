/**
 * The seed's "API server as proxy" flow (`kubectl proxy`), with least privilege: a `ClusterIP`
 * Service `web` in front of nginx, and a Role that lets the group `developers` and the user
 * `alice` reach only that Service through the API server, read-only.
 *
 * Terminal 1 (as alice, or a member of developers): run `kubectlProxyCommand` (kubectl proxy on
 * 127.0.0.1:8080, the seed's port, limited to this Service).
 * Terminal 2: `curl http://127.0.0.1:8080/api/v1/namespaces/web/services/http:web:80/proxy/`.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NGINX_CONTAINER } from './images';
import { ApiProxyAccess } from '../src/proxy/api-proxy-access';
import { ClusterIpService } from '../src/service/cluster-ip';

/** nginx behind a ClusterIP Service, reachable through the API server proxy. */
export class ApiProxyChart extends Chart {
  /** The Service. */
  public readonly web: ClusterIpService;
  /** The proxy grant. */
  public readonly access: ApiProxyAccess;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'web' });

    const deployment = new kplus.Deployment(this, 'Web', {
      replicas: 2,
      // nginx runs as root and writes to its filesystem: see examples/images.ts.
      containers: [NGINX_CONTAINER],
    });
    this.web = new ClusterIpService(this, 'WebService', {
      name: 'web',
      selector: deployment,
      ports: [{ port: 80, name: 'http' }],
    });
    this.access = new ApiProxyAccess(this, 'Developers', {
      services: [this.web],
      subjects: [
        kplus.Group.fromName(this, 'DevelopersGroup', 'developers'),
        kplus.User.fromName(this, 'Alice', 'alice'),
      ],
      // The seed runs `kubectl proxy --port=8080`.
      proxyPort: 8080,
    });
  }
}

/** The chart id of this example. */
export const API_PROXY_EXAMPLE = 'api-proxy';

/** Builds the example in `app`. */
export function apiProxyExample(app: App): Chart {
  return new ApiProxyChart(app, API_PROXY_EXAMPLE);
}
