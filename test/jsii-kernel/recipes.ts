/**
 * The apps of test/jsii-kernel.test.ts: each example (examples/*.ts) and a tour of what the
 * examples do not use, built through the kernel as another language builds them, beside the same
 * app in TypeScript.
 */
import { api } from '@jsii/kernel';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { enumRef, JsiiClient, NAME } from './client';
import { EXAMPLES } from '../../examples';
import { NGINX_CONTAINER, ROOT_IMAGE_SECURITY_CONTEXT } from '../../examples/images';
import * as expose from '../../src';

// ---------------------------------------------------------------------------------------------
// Recipes: each app, built through the kernel, beside the same app in TypeScript
// ---------------------------------------------------------------------------------------------

export interface Recipe {
  /** Builds the app in TypeScript. */
  readonly ts: (app: App) => void;
  /** Builds the same app through the kernel, as a Python program would. */
  readonly kernel: (k: JsiiClient, app: api.ObjRef) => void;
}

export const E = NAME;
export const chart = (k: JsiiClient, app: api.ObjRef, id: string, props?: object) => k.create('cdk8s.Chart', app, id, props);
const deployment = (k: JsiiClient, scope: api.ObjRef, id: string, props: object) => k.create('cdk8s-plus-27.Deployment', scope, id, props);
export const pods = (k: JsiiClient, scope: api.ObjRef, id: string, labels: object) => k.sinvoke('cdk8s-plus-27.Pods', 'select', scope, id, { labels });
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

/** The seeds' influxdb Deployment (examples/images.ts `seedInfluxdbDeployment`). */
const seedInfluxdb = (k: JsiiClient, scope: api.ObjRef) => deployment(k, scope, 'Influxdb', {
  metadata: { name: 'influxdb' },
  replicas: 1,
  podMetadata: { labels: { name: 'influxdb' } },
  containers: [{ name: 'influxdb', image: 'influxdb', ports: [{ number: 8086, name: 'http' }], securityContext: ROOT_IMAGE_SECURITY_CONTEXT, resources: exampleResources(k) }],
});

/** The examples (examples/*.ts), built through the kernel. Keys are the example ids. */
export const EXAMPLE_RECIPES: { [id: string]: Recipe['kernel'] } = {
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
    seedInfluxdb(k, c);
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
    seedInfluxdb(k, c);
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
    const podSelector = k.get(k.invoke(host, 'toPodSelectorConfig'), 'labelSelector');
    expect(k.invoke(podSelector, 'isEmpty')).toBe(false);
    expect(k.sinvoke(`${E}.Exposure`, 'isExposure', host)).toBe(true);
    expect(k.sinvoke(`${E}.Exposure`, 'isExposure', other)).toBe(false);
  },
};

export const RECIPES: { [id: string]: Recipe } = {
  ...Object.fromEntries(Object.entries(EXAMPLES).map(([id, factory]) => [id, {
    ts: (app: App) => {
      factory(app);
    },
    kernel: EXAMPLE_RECIPES[id],
  }])),
  tour: TOUR,
};
