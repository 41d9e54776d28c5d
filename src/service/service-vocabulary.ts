import * as kplus from 'cdk8s-plus-27';

/**
 * The vocabulary of the Service patterns: ports, the external traffic policy, the node port range.
 */
/**
 * One port of a Service pattern.
 */
export interface ServicePortSpec {
  /** The port the Service listens on (1-65535). */
  readonly port: number;
  /**
   * The container port traffic is sent to (1-65535).
   * @default - the value of `port` (Kubernetes' default)
   */
  readonly targetPort?: number;
  /**
   * The port opened on every node (NodePort and LoadBalancer Services only), within the
   * cluster's node port range.
   * @default - allocated by Kubernetes from the node port range
   */
  readonly nodePort?: number;
  /**
   * The port's name, an IANA service name (at most 15 lowercase alphanumerics and '-').
   * Required when the Service has more than one port.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The transport protocol.
   * @default kplus.Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
  /**
   * The application protocol (`appProtocol`): an IANA service name such as `http` or `https`,
   * or a prefixed name such as `kubernetes.io/h2c`. With `http` or `https`, the access guide
   * tests the port with `curl` instead of `nc`.
   * @default - not set
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#application-protocol
   */
  readonly appProtocol?: string;
}

/**
 * Whether external traffic is spread across every node's endpoints or kept on the node it arrives at.
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#external-traffic-policy
 */
export enum ExternalTrafficPolicy {
  /**
   * Any node forwards to any ready endpoint; the client's source IP is replaced by a node IP (SNAT).
   */
  CLUSTER = 'Cluster',
  /**
   * Only nodes with a local endpoint answer; the client's source IP is kept (no SNAT), so
   * NetworkPolicies and logs see the real client. Nodes without a local pod drop the traffic.
   */
  LOCAL = 'Local',
}

/**
 * The node port range of the cluster (kube-apiserver `--service-node-port-range`).
 */
export interface NodePortRange {
  /** The lowest node port. */
  readonly min: number;
  /** The highest node port. */
  readonly max: number;
}

/** The Kubernetes default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE: NodePortRange = { min: 30000, max: 32767 };
