/**
 * What the end-to-end suite adds to the examples: stand-ins for what the lab lacks, and apps that
 * must make `verify` fail.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EXAMPLE_RESOURCES, NGINX_CONTAINER, ROOT_IMAGE_SECURITY_CONTEXT } from '../../examples/images';
import { ClusterProfile, Cni } from '../../src/profile/cluster-profile';
import { LoadBalancerService } from '../../src/service/load-balancer';
import { NodePortService } from '../../src/service/node-port';
import { ExternalTrafficPolicy } from '../../src/service/service-vocabulary';

/** A fixture: deployed with an example (`forExample`) or on its own. */
export interface Fixture {
  readonly id: string;
  /** Deployed in the same App (and wave) as this example. */
  readonly forExample?: string;
  /** verify must exit 1 with a failed row whose reason matches. */
  readonly expectFailure?: RegExp;
  readonly verifyArgs?: string[];
  build(app: App): void;
}

export const FIXTURES: Fixture[] = [
  {
    // The ingress-controller-node-port example selects the Traefik pods k3s installs in
    // kube-system: the lab has none, so two stand-in web servers answer on Traefik's entry points.
    id: 'traefik-stand-in',
    forExample: 'ingress-controller-node-port',
    build(app) {
      const chart = new Chart(app, 'traefik-stand-in');
      const httpd = (name: string, port: number): kplus.ContainerProps => ({
        name,
        image: 'cluster-lab.local/httpd:1',
        envVariables: { PORT: kplus.EnvValue.fromValue(String(port)) },
        ports: [{ number: port, name }],
        securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
        resources: EXAMPLE_RESOURCES,
      });
      new kplus.Deployment(chart, 'Traefik', {
        metadata: { name: 'traefik-stand-in', namespace: 'kube-system' },
        replicas: 1,
        podMetadata: { labels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-kube-system' } },
        containers: [httpd('web', 8000), httpd('websecure', 8443)],
      });
    },
  },
  {
    // A Service whose targetPort no container listens on (nginx listens on 80, the Service sends
    // to 8080; the selector names pods, so the library cannot see the workload's ports).
    id: 'broken-target-port',
    expectFailure: /connection refused/,
    build(app) {
      const chart = new Chart(app, 'broken-target-port');
      new kplus.Deployment(chart, 'Web', {
        metadata: { name: 'broken' },
        replicas: 1,
        podMetadata: { labels: { app: 'broken' } },
        containers: [NGINX_CONTAINER],
      });
      new NodePortService(chart, 'Broken', {
        name: 'broken',
        selector: kplus.Pods.select(chart, 'BrokenPods', { labels: { app: 'broken' } }),
        ports: [{ port: 80, targetPort: 8080, appProtocol: 'http' }],
        externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
      });
    },
  },
  {
    // The profiles the examples do not use (k3s with ServiceLB; kubeadm with Calico, which has no load balancer; GKE
    // and AKS with their internal load balancers) and no profile (a GENERIC load balancer), each
    // with a NodePort and, where something answers it, a LoadBalancer Service in front of nginx:
    // the real API server takes their manifests, and verify reaches what the lab carries (node
    // ports; the load balancer IP the suite writes in place of a controller).
    id: 'profiles',
    build(app) {
      const profiles: [string, ClusterProfile | undefined][] = [
        ['none', undefined],
        ['k3s', ClusterProfile.k3s()],
        ['kubeadm', ClusterProfile.kubeadm({ cni: Cni.CALICO })],
        ['gke', ClusterProfile.gke()],
        ['aks', ClusterProfile.aks()],
      ];
      for (const [name, profile] of profiles) {
        const chart = new Chart(app, `profile-${name}`);
        profile?.applyTo(chart);
        const web = new kplus.Deployment(chart, 'Web', {
          metadata: { name: `web-${name}` },
          replicas: 1,
          containers: [NGINX_CONTAINER],
        });
        new NodePortService(chart, 'NodePort', { name: `web-${name}-np`, selector: web, ports: [{ port: 80, appProtocol: 'http' }] });
        if (name !== 'kubeadm') {
          // On k3s, ServiceLB binds the port on every node and Traefik already holds 80 and 443.
          const port = name === 'k3s' ? 8082 : 80;
          new LoadBalancerService(chart, 'LoadBalancer', { name: `web-${name}-lb`, selector: web, ports: [{ port, targetPort: 80, appProtocol: 'http' }] });
        }
      }
    },
  },
];
