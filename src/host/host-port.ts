import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HostApp, HostWorkloadProps } from './host-app';
import { HOST_WORKLOAD_PROP_KEYS, HostAppShape, HostPortBinding, normalizeHostIp, WithProtocol } from './host-workload';
import { structKeys } from '../core/errors';
import { ExternalExposureProps } from '../core/exposure';
import { checkPortList, checkPortNumber, checkProtocol } from '../core/ports';
import { networkPolicyModule } from '../policy/lazy';

/**
 * What the CNI must do for host ports to work, a prerequisite of every `HostPortApp`.
 */
const PORTMAP_PREREQUISITE = 'The CNI plugin chain must support hostPort (the portmap plugin, included by flannel, Calico and k3s; '
  + 'Cilium needs its hostPort feature enabled).';

/**
 * A container port of a `HostPortApp` and the node port it is bound to.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
 */
export interface HostPortMapping {
  /** The port the container listens on (1-65535). */
  readonly containerPort: number;
  /** The port opened on the node (1-65535), forwarded to `containerPort`. */
  readonly hostPort: number;
  /**
   * The node address to bind the host port to (IPv4 or IPv6), e.g. `127.0.0.1` for access from
   * the node itself only. Kubernetes does not default it: unset, every address of the node
   * forwards the port.
   * @default - every address of the node
   */
  readonly hostIp?: string;
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
 * Properties of a `HostPortApp`.
 *
 * `allowFrom` peers may be `ipBlock`s: the portmap plugin forwards host-port traffic without
 * replacing the client's address (only node-local and hairpin traffic is masqueraded), and the
 * policy admits them on the container ports.
 * @see https://www.cni.dev/plugins/current/meta/portmap/
 */
export interface HostPortAppProps extends HostWorkloadProps, ExternalExposureProps {
  /** The container ports and the node ports they are bound to (at least one). */
  readonly ports: HostPortMapping[];
}

const HOST_PORT_APP_PROPS = structKeys<HostPortAppProps>('HostPortAppProps', {
  ...HOST_WORKLOAD_PROP_KEYS,
  allowFrom: true,
  ports: true,
});

const HOST_PORT_MAPPING = structKeys<HostPortMapping>('HostPortMapping', {
  containerPort: true, hostPort: true, hostIp: true, name: true, protocol: true,
});

/** What a `HostPortApp` binds, with its port mappings resolved. */
interface HostPortShape extends HostAppShape {
  readonly ports: WithProtocol<HostPortMapping>[];
}

/**
 * A workload whose container ports are bound on the node (`hostPort`): the node forwards
 * `<node-ip>:<hostPort>` to the pod (the CNI's portmap plugin installs the NAT rules), while the
 * pod keeps its own network namespace and pod IP.
 *
 * Runs as a DaemonSet by default (one pod per node); as a Deployment it adds required pod
 * anti-affinity on `kubernetes.io/hostname` and a rollout without surge, so a new pod never waits
 * for a port its predecessor still holds. Two host-level apps of one App that bind the same port
 * and protocol on overlapping addresses of nodes that may coincide are refused. Pass it as the
 * `selector` of a Service pattern to put a Service in front.
 *
 * Security: the host ports are reachable by every client that can route to the node; restrict
 * them with `allowFrom` (a NetworkPolicy, where the CNI enforces one), `hostIp`, or a firewall in
 * front of the nodes. The namespace must allow the Pod
 * Security level `privileged`: the baseline level forbids host ports. Prefer `NodePortService`
 * or a load balancer unless a fixed low port on the nodes is required.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/overview/#services
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
 */
export class HostPortApp extends HostApp {
  /** The port mappings, with their protocol resolved. */
  public readonly ports: HostPortMapping[];
  /** The NetworkPolicy that admits only `allowFrom` on the container ports, when it is set. */
  public readonly networkPolicy?: kplus.NetworkPolicy;
  public readonly patternName = 'hostPort workload';

  /** @internal */
  declare protected readonly _shape: HostPortShape;

  constructor(scope: Construct, id: string, props: HostPortAppProps) {
    super(scope, id, props, 'HostPortApp');
    this.ports = this._shape.ports;
    this.networkPolicy = networkPolicyModule().allowFromPolicy({
      scope: this,
      check: this._check,
      allowFrom: props.allowFrom,
      pods: this.workload,
      metadataNamespace: this._metadataNamespace,
      // The policy sees the traffic after the node's DNAT: on the container ports.
      ports: this._shape.ports.map((p) => ({ port: p.containerPort, protocol: p.protocol })),
    });
    if (this.networkPolicy && this.createdNamespace) {
      this.networkPolicy.node.addDependency(this.createdNamespace);
    }
  }

  /** @internal */
  protected _hostShape(props: HostPortAppProps): HostPortShape {
    const check = this._check;
    check.props(props, HOST_PORT_APP_PROPS);
    const hostIps: (string | undefined)[] = [];
    const ports = check.structList('ports', props.ports, HOST_PORT_MAPPING, {
      noun: 'port mapping',
      minLength: 1,
      fix: 'Add the container port and the node port to bind it to, e.g. [{ containerPort: 8086, hostPort: 8086 }].',
    }).map((p, i): WithProtocol<HostPortMapping> => {
      checkPortNumber(check, `ports[${i}].containerPort`, p.containerPort);
      checkPortNumber(check, `ports[${i}].hostPort`, p.hostPort);
      hostIps.push(normalizeHostIp(check, `ports[${i}].hostIp`, p.hostIp));
      return {
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        hostIp: p.hostIp,
        name: p.name,
        protocol: checkProtocol(check, `ports[${i}].protocol`, p.protocol),
      };
    });
    checkPortList(check, 'ports', ports.map((p) => ({ port: p.containerPort, name: p.name, protocol: p.protocol })), 'containerPort');
    return {
      ports,
      hostNetwork: false,
      bindings: ports.map((p, i): HostPortBinding => ({
        prop: `ports[${i}].hostPort`, hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, hostIp: hostIps[i], name: p.name,
      })),
      containerPorts: ports.map((p) => ({
        number: p.containerPort,
        hostPort: p.hostPort,
        hostIp: p.hostIp,
        name: p.name,
        protocol: p.protocol === kplus.Protocol.TCP ? undefined : p.protocol,
      })),
      extraPrerequisites: [PORTMAP_PREREQUISITE],
    };
  }
}
