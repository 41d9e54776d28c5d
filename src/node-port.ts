import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AccessPoint, DEFAULT_NODE_PORT_RANGE, Exposure, ExternalExposureProps, ExposedServicePort,
  ExternalTrafficPolicy, IExposedService, NodePortRange, ServicePortSpec,
} from './exposure';
import { allowFromPolicy } from './private/network-policy';
import { buildService, nodePortAccessPoints, toExposedPorts } from './private/service';

/**
 * Properties of a `NodePortService`.
 */
export interface NodePortServiceProps extends ExternalExposureProps {
  /**
   * The pods to expose: a workload (`kplus.Deployment`, one of this library's apps) or any
   * `kplus.IPodSelector` with equality labels, in the Service's namespace.
   */
  readonly selector: kplus.IPodSelector;
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
  /**
   * The Service's `metadata.name` (a DNS-1035 label).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
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
export class NodePortService extends Exposure implements IExposedService {
  /** The `Service` object. */
  public readonly service: kplus.k8s.KubeService;
  /** The Service's `metadata.name`. */
  public readonly serviceName: string;
  /** The Service's namespace. */
  public readonly serviceNamespace: string;
  /** The Service's ports, as routes and proxies see them. */
  public readonly servicePorts: ExposedServicePort[];
  /** The node port range the nodePorts were checked against. */
  public readonly nodePortRange: NodePortRange;
  /** The external traffic policy, when set. */
  public readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /** The NetworkPolicy that admits only `allowFrom`, when it is set. */
  public readonly networkPolicy?: kplus.NetworkPolicy;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[] = [];
  public readonly patternName = 'NodePort Service';

  constructor(scope: Construct, id: string, props: NodePortServiceProps) {
    super(scope, id, props, 'NodePortService');
    this.nodePortRange = props.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    this.externalTrafficPolicy = props.externalTrafficPolicy;
    const built = buildService({
      scope: this,
      check: this._check,
      type: 'NodePort',
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      namespace: this.namespace,
      selector: props.selector,
      ports: props.ports,
      portsRequired: true,
      nodePortRange: this.nodePortRange,
      spec: { externalTrafficPolicy: props.externalTrafficPolicy },
    });
    this.service = built.apiObject;
    this.serviceName = built.name;
    this.serviceNamespace = this.namespace;
    this.servicePorts = toExposedPorts(built.ports);
    this.accessPoints = nodePortAccessPoints(this.namespace, built.name, built.ports);
    this.networkPolicy = allowFromPolicy({
      scope: this,
      check: this._check,
      allowFrom: props.allowFrom,
      pods: props.selector,
      metadataNamespace: this._metadataNamespace,
      ports: built.ports.map((p) => ({ port: p.targetPort, protocol: p.protocol })),
      sourceIpLost: props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL ? undefined : {
        reason: 'with externalTrafficPolicy Cluster the pods see a node IP instead of the client\'s',
        value: props.externalTrafficPolicy ?? 'Cluster (default)',
        fix: 'Set externalTrafficPolicy: ExternalTrafficPolicy.LOCAL so that the client IP reaches the pods, or select pods/namespaces instead.',
      },
    });
  }
}
