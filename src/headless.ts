import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AccessMethod, AccessOrigin, AccessPoint, Exposure, ExposureProps, ExposedServicePort, IExposedService, ServicePortSpec } from './exposure';
import { buildService, toExposedPorts } from './private/service';

/**
 * Properties of a `HeadlessService`.
 */
export interface HeadlessServiceProps extends ExposureProps {
  /**
   * The pods whose own IPs the Service's DNS name resolves to: a workload or any
   * `kplus.IPodSelector` with equality labels, in the Service's namespace.
   */
  readonly selector: kplus.IPodSelector;
  /**
   * The ports (they name the pods' ports in DNS SRV records; there is no proxying).
   * @default - no ports: DNS A/AAAA records only
   */
  readonly ports?: ServicePortSpec[];
  /**
   * Whether DNS also returns pods that are not ready (e.g. for peer discovery before a
   * StatefulSet's members become ready).
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * The Service's `metadata.name` (a DNS-1035 label).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

/**
 * A headless Service (`clusterIP: None`): no virtual IP and no load balancing; its DNS name
 * resolves to the IPs of the ready pods, so that clients talk to each pod directly.
 *
 * Security: nothing is opened outside the cluster.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
 */
export class HeadlessService extends Exposure implements IExposedService {
  /** The `Service` object. */
  public readonly service: kplus.k8s.KubeService;
  /** The Service's `metadata.name`. */
  public readonly serviceName: string;
  /** The Service's namespace. */
  public readonly serviceNamespace: string;
  /** The Service's ports. */
  public readonly servicePorts: ExposedServicePort[];
  /** Whether not-ready pods are published in DNS. */
  public readonly publishNotReadyAddresses: boolean;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[] = [];
  public readonly patternName = 'Headless Service';

  constructor(scope: Construct, id: string, props: HeadlessServiceProps) {
    super(scope, id, props, 'HeadlessService');
    this.publishNotReadyAddresses = props.publishNotReadyAddresses ?? false;
    const built = buildService({
      scope: this,
      check: this._check,
      type: 'ClusterIP',
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      namespace: this.namespace,
      selector: props.selector,
      ports: props.ports,
      portsRequired: false,
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: props.publishNotReadyAddresses === true ? true : undefined,
      },
    });
    this.service = built.apiObject;
    this.serviceName = built.name;
    this.serviceNamespace = this.namespace;
    this.servicePorts = toExposedPorts(built.ports);
    const dnsName = `${built.name}.${this.namespace}.svc.cluster.local`;
    const description = `DNS ${dnsName} resolves to each ready pod's own IP${this.publishNotReadyAddresses ? ' (not-ready pods included)' : ''}; inside the cluster only.`;
    this.accessPoints = built.ports.length === 0
      ? [{ origin: AccessOrigin.CLUSTER_NETWORK, method: AccessMethod.POD_IP, host: dnsName, protocol: kplus.Protocol.TCP, description }]
      : built.ports.map((p) => ({
        origin: AccessOrigin.CLUSTER_NETWORK,
        method: AccessMethod.POD_IP,
        host: dnsName,
        port: p.targetPort,
        protocol: p.protocol,
        portName: p.name,
        description,
      }));
  }
}
