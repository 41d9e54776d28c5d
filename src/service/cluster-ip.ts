import { Construct } from 'constructs';
import { schemeOf, ServiceShape } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import { ServicePortSpec } from './service-vocabulary';
import { AppClaims, ClaimKind } from '../core/claims';
import { structKeys } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';
import { parseIp } from '../core/net';

/**
 * Properties of a `ClusterIpService`.
 */
export interface ClusterIpServiceProps extends ServiceExposureProps {
  /** The Service's ports (at least one). */
  readonly ports: ServicePortSpec[];
  /**
   * A fixed virtual IP from the cluster's service CIDR (IPv4 or IPv6).
   * @default - allocated by Kubernetes
   */
  readonly clusterIP?: string;
}

const CLUSTER_IP_SERVICE_PROPS = structKeys<ClusterIpServiceProps>('ClusterIpServiceProps', {
  namespace: true, selector: true, name: true, ports: true, clusterIP: true,
});

/** `<family>/<address>` -> the path of the Service that has that cluster IP. */
const CLUSTER_IP = new ClaimKind<string>('cluster-ip');

/**
 * A `ClusterIP` Service: a stable virtual IP and DNS name for the selected pods, reachable from
 * inside the cluster only. The usual backend of an `IngressRoute` and of `ApiProxyAccess`.
 *
 * Security: nothing is opened outside the cluster; any pod of the cluster can connect unless a
 * NetworkPolicy says otherwise.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-clusterip
 */
export class ClusterIpService extends ServiceExposure {
  /** The fixed cluster IP, when one was given. */
  public readonly clusterIP?: string;
  public readonly accessPoints: AccessPoint[];
  public readonly patternName = 'ClusterIP Service';

  constructor(scope: Construct, id: string, props: ClusterIpServiceProps) {
    super(scope, id, props, 'ClusterIpService');
    this.clusterIP = props.clusterIP;
    const name = this.serviceName;
    const dnsName = `${name}.${this.namespace}.svc.cluster.local`;
    this.accessPoints = this._resolvedPorts.map((p) => ({
      origin: AccessOrigin.CLUSTER_NETWORK,
      method: AccessMethod.CLUSTER_IP,
      host: dnsName,
      port: p.port,
      protocol: p.protocol,
      portName: p.name,
      scheme: schemeOf(p.appProtocol),
      backend: `Service ${this.namespace}/${name}`,
      serviceName: name,
      description: `The Service's virtual IP${props.clusterIP ? ` ${props.clusterIP}` : ''} (DNS ${dnsName}), port ${p.port}/${p.protocol}, load-balanced to the pods' port ${p.targetPort}; inside the cluster only.`,
    }));
  }

  /** @internal */
  protected _serviceShape(props: ClusterIpServiceProps): ServiceShape {
    const check = this._check;
    check.props(props, CLUSTER_IP_SERVICE_PROPS);
    if (props.clusterIP !== undefined) {
      const ip = parseIp(props.clusterIP);
      if (!ip) {
        return check.fail('clusterIP', 'must be an IPv4 or IPv6 address', props.clusterIP,
          'Use an address from the cluster\'s service CIDR, or omit clusterIP to let Kubernetes allocate one (use HeadlessService for "None").');
      }
      // The API server allocates a cluster IP to one Service only.
      const [previous] = AppClaims.of(this).add(CLUSTER_IP, `${ip.family}/${ip.value}`, this.node.path);
      if (previous !== undefined) {
        check.fail('clusterIP', `is already the cluster IP of [${previous}]`, props.clusterIP,
          'Give each Service its own address, or omit clusterIP to let Kubernetes allocate one.');
      }
    }
    return { type: 'ClusterIP', ports: props.ports, portsRequired: true, spec: { clusterIp: props.clusterIP } };
  }

  /**
   * What must be installed or configured on the cluster for the access points to work: nothing
   * (an empty list), Kubernetes serves this Service type itself.
   */
  public get prerequisites(): string[] {
    return [];
  }
}
