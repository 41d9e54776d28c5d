import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';

/**
 * The vocabulary every pattern shares: access points, the `IExposure` interface, the props of
 * every (externally reachable) pattern, and the Services that routes and proxies point at. No
 * behaviour: the `Exposure` base class is in `exposure-base.ts`.
 */

/**
 * From where an access point can be reached.
 */
export enum AccessOrigin {
  /** From outside the cluster (any client that can route to the address). */
  OUTSIDE_CLUSTER = 'outside-cluster',
  /** From pods (and nodes) inside the cluster only. */
  CLUSTER_NETWORK = 'cluster-network',
  /** By authenticated Kubernetes users, through the API server. */
  API_SERVER = 'api-server',
  /** From networks that learn the pod routes over BGP (routed, not NATed). */
  ROUTED_NETWORK = 'routed-network',
}

/**
 * The mechanism that carries traffic to the pods.
 */
export enum AccessMethod {
  /** The pod shares the node's network namespace (`hostNetwork: true`). */
  HOST_NETWORK = 'HostNetwork',
  /** A container port is bound on the node (`hostPort`). */
  HOST_PORT = 'HostPort',
  /** A `NodePort` Service: every node forwards the port. */
  NODE_PORT = 'NodePort',
  /** A `LoadBalancer` Service: an external IP (e.g. assigned by MetalLB). */
  LOAD_BALANCER = 'LoadBalancer',
  /** An HTTP route through an ingress controller or gateway. */
  INGRESS = 'Ingress',
  /** The API server's proxy subresource (`kubectl proxy`). */
  API_SERVER_PROXY = 'ApiServerProxy',
  /** A `ClusterIP` Service: a virtual IP inside the cluster. */
  CLUSTER_IP = 'ClusterIP',
  /** The pods' own IPs (headless Service DNS, or routed pod IPs). */
  POD_IP = 'PodIP',
}

/**
 * How one port of an exposed app is reached: the record the access guide renders.
 */
export interface AccessPoint {
  /** From where this access point is reachable. */
  readonly origin: AccessOrigin;
  /** The mechanism that carries the traffic. */
  readonly method: AccessMethod;
  /**
   * The host to connect to, without scheme: an address (`192.168.9.0`), a DNS name
   * (`web.default.svc.cluster.local`, `nginx.example.com`) or a placeholder in angle brackets
   * for a value only known on the cluster (`<node-ip>`, `<load-balancer-ip>`).
   */
  readonly host: string;
  /**
   * The port to connect to.
   * @default - allocated by the cluster; `portLookupCommand` prints it
   */
  readonly port?: number;
  /** The transport protocol. */
  readonly protocol: kplus.Protocol;
  /**
   * URL scheme, where the pattern knows it (`http`, `https`).
   * @default - not known (a raw TCP/UDP port)
   */
  readonly scheme?: string;
  /**
   * URL path, where the pattern routes by path.
   * @default - none
   */
  readonly path?: string;
  /**
   * The name of the port, where it has one.
   * @default - unnamed
   */
  readonly portName?: string;
  /**
   * A shell command that prints the value behind a placeholder in `host`
   * (e.g. `kubectl get nodes -o wide`).
   * @default - the host is known at synth time
   */
  readonly hostLookupCommand?: string;
  /**
   * A shell command that prints the port when the cluster allocates it.
   * @default - the port is known at synth time
   */
  readonly portLookupCommand?: string;
  /**
   * The object that receives the traffic behind the entry point, for the traffic-path diagram
   * (e.g. `Service default/nginx`).
   * @default - the pods themselves
   */
  readonly backend?: string;
  /**
   * The command that tests this access point from where it is reachable.
   * @default - derived from scheme, host, port and protocol (`curl -v`, `nc -vz`)
   */
  readonly testCommand?: string;
  /** One sentence that says how this access point works. */
  readonly description: string;
  /**
   * The `metadata.name` of the Service behind this access point, for tools that resolve the
   * point on the cluster (`cdk8s-expose verify`: its endpoints, node ports, load balancer
   * addresses).
   * @default - no Service (the pods are reached directly)
   */
  readonly serviceName?: string;
  /**
   * The namespace of `serviceName`.
   * @default - the namespace of the app
   */
  readonly serviceNamespace?: string;
  /**
   * The number of the Service port behind this access point (`spec.ports[].port`).
   * @default - `port`
   */
  readonly servicePort?: number;
  /**
   * The labels that select the pods behind this access point when no Service is (host-level
   * apps), for tools that resolve the nodes running them.
   * @default - the pods are those of `serviceName`
   */
  readonly podSelector?: { [key: string]: string };
}

/**
 * An exposure pattern: a construct that makes pods reachable and can say how.
 */
export interface IExposure extends IConstruct {
  /** How the exposed pods are reached, one record per port (and per route or address). */
  readonly accessPoints: AccessPoint[];
  /** What must be installed or configured on the cluster for the access points to work. */
  readonly prerequisites: string[];
  /** The namespace of the created objects (the chart's, or `default`, when not set). */
  readonly namespace: string;
  /** A short name of the pattern, e.g. `NodePort Service`. */
  readonly patternName: string;
}

/**
 * Properties every exposure pattern accepts.
 */
export interface ExposureProps {
  /**
   * The namespace of the created objects.
   * @default - the chart's namespace; `default` when the chart has none
   */
  readonly namespace?: string;
}

/**
 * Properties of the patterns that are reachable from outside the cluster.
 */
export interface ExternalExposureProps extends ExposureProps {
  /**
   * The only sources that may reach the exposed ports: cdk8s-plus peers such as
   * `kplus.NetworkPolicyIpBlock.ipv4(scope, 'Office', '203.0.113.0/24')` (optionally with
   * `except`), or pods and namespaces (`kplus.Pods.select`, `kplus.Namespaces.select`).
   * When set, a `NetworkPolicy` selects the exposed pods and admits only these peers on only
   * the exposed ports; every other ingress to those pods is then denied.
   *
   * Security: a NetworkPolicy only works where the CNI enforces it (Calico, Cilium, ...; not
   * flannel alone), and an `ipBlock` only matches when the pods see the client's own address:
   * patterns that rewrite the source (a Service with `externalTrafficPolicy: Cluster`) refuse
   * `ipBlock` peers unless `externalTrafficPolicy` is `LOCAL`. `HostNetworkApp` refuses
   * `allowFrom` (NetworkPolicy does not apply to pods on the node's network), and `IngressRoute`
   * applies it at the ingress controller instead (`TRAEFIK` flavour: an `ipAllowList` Middleware).
   * @default - no NetworkPolicy: every source that can reach the entry point reaches the pods
   */
  readonly allowFrom?: kplus.INetworkPolicyPeer[];
}

/**
 * The namespace used when neither the construct nor its chart names one.
 */
export const DEFAULT_NAMESPACE = 'default';

/**
 * One port of a Service that other patterns (routes, the API server proxy) point at.
 */
export interface ExposedServicePort {
  /** The Service port number. */
  readonly port: number;
  /**
   * The port's name.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The transport protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
}

/**
 * A Service that routes and proxies can point at: one of this library's Service patterns, or a
 * cdk8s-plus Service through `ExposedService.fromService()`.
 */
export interface IExposedService {
  /** The Service's `metadata.name`. */
  readonly serviceName: string;
  /** The Service's namespace. */
  readonly serviceNamespace: string;
  /** The Service's ports. */
  readonly servicePorts: ExposedServicePort[];
}

/**
 * Adapters that make Services created elsewhere usable where an `IExposedService` is expected.
 */
export class ExposedService {
  /**
   * A cdk8s-plus Service.
   */
  public static fromService(service: kplus.Service): IExposedService {
    return {
      serviceName: service.name,
      serviceNamespace: service.metadata.namespace ?? Chart.of(service).namespace ?? DEFAULT_NAMESPACE,
      servicePorts: service.ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol })),
    };
  }

  /**
   * A Service known only by name (created by another tool), with the ports it is known to have.
   */
  public static fromAttributes(name: string, namespace: string, ports: ExposedServicePort[]): IExposedService {
    return { serviceName: name, serviceNamespace: namespace, servicePorts: ports };
  }

  private constructor() {}
}
