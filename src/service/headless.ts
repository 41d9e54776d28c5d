import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ServiceShape } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import { ServicePortSpec } from './service-vocabulary';
import { structKeys } from '../core/errors';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';

/**
 * Properties of a `HeadlessService`.
 */
export interface HeadlessServiceProps extends ServiceExposureProps {
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
}

const HEADLESS_SERVICE_PROPS = structKeys<HeadlessServiceProps>('HeadlessServiceProps', {
  namespace: true, selector: true, name: true, ports: true, publishNotReadyAddresses: true,
});

/**
 * A headless Service (`clusterIP: None`): no virtual IP and no load balancing; its DNS name
 * resolves to the IPs of the ready pods, so that clients talk to each pod directly.
 *
 * Security: nothing is opened outside the cluster.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
 */
export class HeadlessService extends ServiceExposure {
  /** Whether not-ready pods are published in DNS. */
  public readonly publishNotReadyAddresses: boolean;
  public readonly accessPoints: AccessPoint[];
  public readonly patternName = 'Headless Service';

  constructor(scope: Construct, id: string, props: HeadlessServiceProps) {
    super(scope, id, props, 'HeadlessService');
    this.publishNotReadyAddresses = props.publishNotReadyAddresses ?? false;
    const name = this.serviceName;
    const dnsName = `${name}.${this.namespace}.svc.cluster.local`;
    const description = `DNS ${dnsName} resolves to each ready pod's own IP${this.publishNotReadyAddresses ? ' (not-ready pods included)' : ''}; inside the cluster only.`;
    this.accessPoints = this._resolvedPorts.length === 0
      ? [{
        origin: AccessOrigin.CLUSTER_NETWORK,
        method: AccessMethod.POD_IP,
        host: dnsName,
        protocol: kplus.Protocol.TCP,
        serviceName: name,
        description,
      }]
      : this._resolvedPorts.map((p) => ({
        origin: AccessOrigin.CLUSTER_NETWORK,
        method: AccessMethod.POD_IP,
        host: dnsName,
        port: p.targetPort,
        protocol: p.protocol,
        portName: p.name,
        serviceName: name,
        servicePort: p.port,
        description,
      }));
  }

  /** @internal */
  protected _serviceShape(props: HeadlessServiceProps): ServiceShape {
    this._check.props(props, HEADLESS_SERVICE_PROPS);
    const publishNotReady = this._check.boolean('publishNotReadyAddresses', props.publishNotReadyAddresses);
    return {
      type: 'ClusterIP',
      ports: props.ports,
      portsRequired: false,
      spec: { clusterIp: 'None', publishNotReadyAddresses: publishNotReady === true ? true : undefined },
    };
  }

  /**
   * What must be installed or configured on the cluster for the access points to work: nothing
   * (an empty list), Kubernetes serves this Service type itself.
   */
  public get prerequisites(): string[] {
    return [];
  }
}
