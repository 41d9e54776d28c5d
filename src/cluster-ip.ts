import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AccessMethod, AccessOrigin, AccessPoint, Exposure, ExposureProps, ExposedServicePort, IExposedService, ServicePortSpec } from './exposure';
import { AppClaims } from './private/claims';
import { fail } from './private/errors';
import { parseIp } from './private/net';
import { buildService, schemeOf, toExposedPorts } from './private/service';

/**
 * Properties of a `ClusterIpService`.
 */
export interface ClusterIpServiceProps extends ExposureProps {
  /**
   * The pods to expose: a workload or any `kplus.IPodSelector` with equality labels, in the
   * Service's namespace.
   */
  readonly selector: kplus.IPodSelector;
  /** The Service's ports (at least one). */
  readonly ports: ServicePortSpec[];
  /**
   * A fixed virtual IP from the cluster's service CIDR (IPv4 or IPv6).
   * @default - allocated by Kubernetes
   */
  readonly clusterIP?: string;
  /**
   * The Service's `metadata.name` (a DNS-1035 label).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

/**
 * A `ClusterIP` Service: a stable virtual IP and DNS name for the selected pods, reachable from
 * inside the cluster only. The usual backend of an `IngressRoute` and of `ApiProxyAccess`.
 *
 * Security: nothing is opened outside the cluster; any pod of the cluster can connect unless a
 * NetworkPolicy says otherwise.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-clusterip
 */
export class ClusterIpService extends Exposure implements IExposedService {
  /** The `Service` object. */
  public readonly service: kplus.k8s.KubeService;
  /** The Service's `metadata.name`. */
  public readonly serviceName: string;
  /** The Service's namespace. */
  public readonly serviceNamespace: string;
  /** The Service's ports, as routes and proxies see them. */
  public readonly servicePorts: ExposedServicePort[];
  /** The fixed cluster IP, when one was given. */
  public readonly clusterIP?: string;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[] = [];
  public readonly patternName = 'ClusterIP Service';

  constructor(scope: Construct, id: string, props: ClusterIpServiceProps) {
    super(scope, id, props, 'ClusterIpService');
    if (props.clusterIP !== undefined) {
      const ip = parseIp(props.clusterIP);
      if (!ip) {
        fail(this, 'ClusterIpService', 'clusterIP', 'must be an IPv4 or IPv6 address', props.clusterIP,
          'Use an address from the cluster\'s service CIDR, or omit clusterIP to let Kubernetes allocate one (use HeadlessService for "None").');
      }
      // The API server allocates a cluster IP to one Service only.
      const [previous] = AppClaims.of(this).add<string>('clusterIP', `${ip.family}/${ip.value}`, this.node.path);
      if (previous !== undefined) {
        fail(this, 'ClusterIpService', 'clusterIP', `is already the cluster IP of [${previous}]`, props.clusterIP,
          'Give each Service its own address, or omit clusterIP to let Kubernetes allocate one.');
      }
    }
    this.clusterIP = props.clusterIP;
    const built = buildService({
      scope: this,
      check: this._check,
      type: 'ClusterIP',
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      namespace: this.namespace,
      selector: props.selector,
      ports: props.ports,
      portsRequired: true,
      spec: { clusterIp: props.clusterIP },
    });
    this.service = built.apiObject;
    this.serviceName = built.name;
    this.serviceNamespace = this.namespace;
    this.servicePorts = toExposedPorts(built.ports);
    const dnsName = `${built.name}.${this.namespace}.svc.cluster.local`;
    this.accessPoints = built.ports.map((p) => ({
      origin: AccessOrigin.CLUSTER_NETWORK,
      method: AccessMethod.CLUSTER_IP,
      host: dnsName,
      port: p.port,
      protocol: p.protocol,
      portName: p.name,
      scheme: schemeOf(p.appProtocol),
      backend: `Service ${this.namespace}/${built.name}`,
      description: `The Service's virtual IP${props.clusterIP ? ` ${props.clusterIP}` : ''} (DNS ${dnsName}), port ${p.port}/${p.protocol}, load-balanced to the pods' port ${p.targetPort}; inside the cluster only.`,
    }));
  }
}
