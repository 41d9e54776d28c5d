import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HostApp, HostWorkloadProps } from './host-app';
import { HOST_WORKLOAD_PROP_KEYS, HostAppShape, HostPortBinding, WithProtocol } from './host-workload';
import { structKeys } from '../core/errors';
import { ExternalExposureProps } from '../core/exposure';
import { describeAllowFrom, HOST_NETWORK_ALLOW_FROM_FIX } from '../core/network-policy';
import { checkPortList, checkPortNumber, checkProtocol } from '../core/ports';

/**
 * The DNS policy of a `HostNetworkApp` when none is given: cluster DNS first, which a
 * hostNetwork pod only gets with this policy (with `ClusterFirst` it silently falls back to the
 * node's resolv.conf).
 */
export const DEFAULT_HOST_NETWORK_DNS_POLICY = kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET;

/**
 * A port a `HostNetworkApp` serves on the node's addresses.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
 */
export interface HostNetworkPort {
  /**
   * The port the process listens on (1-65535); on the node's network it is also the host port.
   */
  readonly port: number;
  /**
   * The port's name, an IANA service name (at most 15 lowercase alphanumerics and '-').
   * Required when there is more than one port.
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
 * Properties of a `HostNetworkApp`.
 *
 * `allowFrom` is accepted for symmetry with the other externally reachable patterns and always
 * refused: Kubernetes leaves NetworkPolicy undefined for hostNetwork pods and most CNIs do not
 * apply it to them (a node-level firewall such as Calico host endpoints is another API), so the
 * policy would promise a restriction that is not there.
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
 */
export interface HostNetworkAppProps extends HostWorkloadProps, ExternalExposureProps {
  /** The ports the pods serve on the node's addresses (at least one). */
  readonly ports: HostNetworkPort[];
  /**
   * The pods' DNS policy: `CLUSTER_FIRST_WITH_HOST_NET` (cluster DNS, then the node's
   * resolvers) or `DEFAULT` (the node's resolvers only). `CLUSTER_FIRST` is refused (a
   * hostNetwork pod silently gets the node's resolv.conf with it), and so is `NONE` (it needs a
   * dnsConfig this construct does not write).
   * @default DEFAULT_HOST_NETWORK_DNS_POLICY (kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET)
   */
  readonly dnsPolicy?: kplus.DnsPolicy;
}

const HOST_NETWORK_APP_PROPS = structKeys<HostNetworkAppProps>('HostNetworkAppProps', {
  ...HOST_WORKLOAD_PROP_KEYS,
  allowFrom: true,
  ports: true,
  dnsPolicy: true,
});

const HOST_NETWORK_PORT = structKeys<HostNetworkPort>('HostNetworkPort', { port: true, name: true, protocol: true });

/** What a `HostNetworkApp` binds, with its DNS policy and ports resolved. */
interface HostNetworkShape extends HostAppShape {
  readonly dnsPolicy: kplus.DnsPolicy;
  readonly ports: WithProtocol<HostNetworkPort>[];
}

/**
 * A workload whose pods share the node's network namespace (`hostNetwork: true`): the process
 * listens directly on the node's addresses, and clients reach it at `<node-ip>:<port>`.
 *
 * Runs as a DaemonSet by default (one pod per node, so pods never clash on a port); as a
 * Deployment it adds required pod anti-affinity on `kubernetes.io/hostname` and a rollout without
 * surge. The DNS policy is `ClusterFirstWithHostNet`, without which the pods lose cluster DNS.
 * Two host-level apps of one App that bind the same port and protocol on nodes that may
 * coincide are refused. Pass it as the `selector` of a Service pattern to put a Service in front.
 *
 * Security: the pods see every network interface of the node and can bind any of its ports and
 * addresses, including loopback services of the node. The ports are reachable by every client
 * that can route to the node, and no NetworkPolicy can narrow that: Kubernetes leaves
 * NetworkPolicy behaviour for hostNetwork pods undefined and most CNIs do not apply it, so
 * `allowFrom` is refused (use a `HostPortApp`, normal pods behind a `NodePortService` with
 * `externalTrafficPolicy: LOCAL` and `allowFrom`, or a firewall on the nodes). The namespace must
 * allow the Pod Security level `privileged` (`createNamespace` creates one that does; the access
 * guide's prerequisites say so). Prefer `NodePortService` or a load balancer unless the app needs
 * the node's network (CNI agents, node-level proxies).
 *
 * @see https://kubernetes.io/docs/concepts/configuration/overview/#services
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
 */
export class HostNetworkApp extends HostApp {
  /** The pods' DNS policy. */
  public readonly dnsPolicy: kplus.DnsPolicy;
  /** The served ports, with their protocol resolved. */
  public readonly ports: HostNetworkPort[];
  public readonly patternName = 'hostNetwork workload';

  /** @internal */
  declare protected readonly _shape: HostNetworkShape;

  constructor(scope: Construct, id: string, props: HostNetworkAppProps) {
    super(scope, id, props, 'HostNetworkApp');
    this.dnsPolicy = this._shape.dnsPolicy;
    this.ports = this._shape.ports;
  }

  /** @internal */
  protected _hostShape(props: HostNetworkAppProps): HostNetworkShape {
    const check = this._check;
    check.props(props, HOST_NETWORK_APP_PROPS);
    if (props.allowFrom !== undefined) {
      check.fail('allowFrom', 'cannot be enforced on hostNetwork pods: Kubernetes leaves NetworkPolicy undefined for pods on the node\'s network and most CNIs do not apply it',
        describeAllowFrom(props.allowFrom) ?? props.allowFrom, HOST_NETWORK_ALLOW_FROM_FIX);
    }
    const dnsPolicy = check.enumValue('dnsPolicy', props.dnsPolicy, kplus.DnsPolicy, 'kplus.DnsPolicy', {
      allowed: [kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET, kplus.DnsPolicy.DEFAULT],
      problem: 'must be CLUSTER_FIRST_WITH_HOST_NET or DEFAULT for a hostNetwork pod',
      extraFix: ', or omit dnsPolicy to keep cluster DNS (ClusterFirstWithHostNet)',
    }) ?? DEFAULT_HOST_NETWORK_DNS_POLICY;

    const ports = check.structList('ports', props.ports, HOST_NETWORK_PORT, { noun: 'port', minLength: 1, fix: 'Pass e.g. [{ port: 80 }].' })
      .map((p, i): WithProtocol<HostNetworkPort> => {
        checkPortNumber(check, `ports[${i}].port`, p.port);
        return { port: p.port, name: p.name, protocol: checkProtocol(check, `ports[${i}].protocol`, p.protocol) };
      });
    checkPortList(check, 'ports', ports, 'port');
    return {
      dnsPolicy,
      ports,
      hostNetwork: true,
      bindings: ports.map((p, i): HostPortBinding => ({
        prop: `ports[${i}].port`, hostPort: p.port, containerPort: p.port, protocol: p.protocol, name: p.name,
      })),
      // On the node's network the container port is the host port; the API server requires
      // hostPort to equal containerPort, and the scheduler needs it to avoid port clashes.
      containerPorts: ports.map((p) => ({
        number: p.port,
        hostPort: p.port,
        name: p.name,
        protocol: p.protocol === kplus.Protocol.TCP ? undefined : p.protocol,
      })),
    };
  }
}
