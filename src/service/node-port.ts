import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { nodePortAccessPoints } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import {
  AccessPoint, DEFAULT_NODE_PORT_RANGE, ExternalExposureProps, ExternalTrafficPolicy, NodePortRange, ServicePortSpec,
} from '../core/exposure';

/**
 * Properties of a `NodePortService`.
 */
export interface NodePortServiceProps extends ServiceExposureProps, ExternalExposureProps {
  /** The ports to open on every node (at least one). */
  readonly ports: ServicePortSpec[];
  /**
   * Whether a node forwards external traffic to pods on other nodes.
   *
   * Security: with `CLUSTER` the client's source IP is replaced by a node IP, so
   * NetworkPolicies and logs cannot see the client; `LOCAL` keeps the client IP but only
   * nodes running a pod answer.
   * @default - not set: Kubernetes applies `Cluster`
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * The cluster's node port range, for clusters started with another
   * `--service-node-port-range`.
   * @default DEFAULT_NODE_PORT_RANGE (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
}

/**
 * A `NodePort` Service: every node of the cluster forwards a port from the node port range
 * (30000-32767 by default) to the selected pods.
 *
 * Reach it at `<any-node-ip>:<nodePort>`. The nodePort is fixed when given, otherwise allocated
 * by Kubernetes; node ports are cluster-wide, so a nodePort is refused when another Service of
 * the same App already uses it.
 *
 * Security: the port is opened on every node's addresses, to every source that can route to a
 * node. Restrict sources with a firewall in front of the nodes, or keep the Service internal
 * (`ClusterIpService`) behind an ingress.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
 */
export class NodePortService extends ServiceExposure {
  /** The node port range the nodePorts were checked against. */
  public readonly nodePortRange: NodePortRange;
  /** The external traffic policy, when set. */
  public readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** The NetworkPolicy that admits only `allowFrom`, when it is set. */
  public readonly networkPolicy?: kplus.NetworkPolicy;
  public readonly prerequisites: string[] = [];
  public readonly patternName = 'NodePort Service';
  private _accessPoints?: AccessPoint[];
  /** The pods' labels with externalTrafficPolicy Local (the guide lists the nodes running them). */
  private readonly _localPods?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: NodePortServiceProps) {
    super(scope, id, props, 'NodePortService');
    this.nodePortRange = props.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    const built = this._buildService(props, {
      type: 'NodePort',
      ports: props.ports,
      portsRequired: true,
      nodePortRange: this.nodePortRange,
      // No `externalTrafficPolicy: undefined` key when unset: cdk8s resolves every key at synth.
      spec: props.externalTrafficPolicy === undefined ? undefined : { externalTrafficPolicy: props.externalTrafficPolicy },
    });
    this.networkPolicy = this._allowFromBehindService(props);
    this._localPods = props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL ? built.selector : undefined;
  }

  /** How the Service is reached: `<node-ip>:<nodePort>`, one access point per port. */
  public get accessPoints(): AccessPoint[] {
    // Built on first read (the access guide reads it; most synths never do), then kept.
    this._accessPoints ??= nodePortAccessPoints(this.namespace, this.serviceName, this._resolvedPorts, this._localPods);
    return this._accessPoints;
  }
}
