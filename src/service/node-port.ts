import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkExternalTrafficPolicy, nodePortAccessPoints, ServiceShape } from './service';
import { ServiceExposure, ServiceExposureProps } from './service-exposure';
import { ExternalTrafficPolicy, NodePortRange, ServicePortSpec } from './service-vocabulary';
import { structKeys } from '../core/errors';
import { AccessPoint, ExternalExposureProps } from '../core/exposure';
import { nodePortsOf, profileNodePortRange, validateNodePortRange } from '../profile/node-port-rules';

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
   * @default - the cluster profile's (`ClusterProfile`), else DEFAULT_NODE_PORT_RANGE (30000-32767)
   */
  readonly nodePortRange?: NodePortRange;
}

/** The Service of a `NodePortService`: its node port range resolved. */
interface NodePortShape extends ServiceShape {
  readonly nodePortRange: NodePortRange;
}

const NODE_PORT_SERVICE_PROPS = structKeys<NodePortServiceProps>('NodePortServiceProps', {
  namespace: true, selector: true, name: true, allowFrom: true, ports: true, externalTrafficPolicy: true, nodePortRange: true,
});

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
  public readonly patternName = 'NodePort Service';
  /** @internal */
  declare protected readonly _shape: NodePortShape;
  private _accessPoints?: AccessPoint[];
  /** The pods' labels with externalTrafficPolicy Local (the guide lists the nodes running them). */
  private readonly _localPods?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: NodePortServiceProps) {
    super(scope, id, props, 'NodePortService');
    this.nodePortRange = this._shape.nodePortRange;
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    validateNodePortRange(this._check, props.nodePortRange, nodePortsOf(this._resolvedPorts));
    this.networkPolicy = this._allowFromBehindService(props.allowFrom, props.selector, props.externalTrafficPolicy);
    this._localPods = this._shape.spec?.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL ? this._selectorLabels : undefined;
  }

  /** @internal */
  protected _serviceShape(props: NodePortServiceProps): NodePortShape {
    this._check.props(props, NODE_PORT_SERVICE_PROPS);
    const policy = checkExternalTrafficPolicy(this._check, props.externalTrafficPolicy);
    return {
      type: 'NodePort',
      ports: props.ports,
      portsRequired: true,
      nodePortRange: profileNodePortRange(this, props.nodePortRange),
      // No `externalTrafficPolicy: undefined` key when unset: cdk8s resolves every key at synth.
      spec: policy === undefined ? undefined : { externalTrafficPolicy: policy },
    };
  }

  /** How the Service is reached: `<node-ip>:<nodePort>`, one access point per port. */
  public get accessPoints(): AccessPoint[] {
    // Built on first read (the access guide reads it; most synths never do), then kept.
    this._accessPoints ??= nodePortAccessPoints(this.namespace, this.serviceName, this._resolvedPorts, this._localPods);
    return this._accessPoints;
  }

  /**
   * What must be installed or configured on the cluster for the access points to work: nothing
   * (an empty list), Kubernetes serves this Service type itself.
   */
  public get prerequisites(): string[] {
    return [];
  }
}
