import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AccessMethod, AccessPoint, Exposure, ExposureProps, ExternalExposureProps } from './exposure';
import {
  buildHostWorkload, checkImage, checkName, checkNodeSelector, checkOwnBindings, claimHostPorts, createHostNamespace,
  HostBinding, hostAccessPoints, hostPrerequisites, resolveReplicas,
} from './private/host-workload';
import { describeAllowFrom, HOST_NETWORK_ALLOW_FROM_FIX } from './private/network-policy';
import { checkPortList, checkPortNumber, checkProtocol } from './private/ports';

/**
 * The kind of workload a host-level app runs its pods in.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/
 */
export enum WorkloadKind {
  /**
   * A DaemonSet: one pod on every node (or every node matching `nodeSelector`), so the pods can
   * never clash on a host port, and clients can use any of those nodes' addresses.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
   */
  DAEMON_SET = 'DaemonSet',
  /**
   * A Deployment of `replicas` pods, at most one per node (required pod anti-affinity on
   * `kubernetes.io/hostname`), rolled out without surge so that a new pod never waits for a port
   * its predecessor still holds.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
   */
  DEPLOYMENT = 'Deployment',
}

/** The workload kind of a host-level app when none is given: one pod per node. */
export const DEFAULT_WORKLOAD_KIND = WorkloadKind.DAEMON_SET;

/** The number of pods of a host-level app run as a Deployment when none is given. */
export const DEFAULT_HOST_APP_REPLICAS = 1;

/**
 * The DNS policy of a `HostNetworkApp` when none is given: cluster DNS first, which a
 * hostNetwork pod only gets with this policy (with `ClusterFirst` it silently falls back to the
 * node's resolv.conf).
 */
export const DEFAULT_HOST_NETWORK_DNS_POLICY = kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET;

/**
 * Properties shared by the host-level apps (`HostNetworkApp`, `HostPortApp`).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export interface HostWorkloadProps extends ExposureProps {
  /** The container image to run, e.g. `nginx:1.25`. */
  readonly image: string;
  /**
   * Whether the pods run as a DaemonSet (one per node) or a Deployment.
   * @default DEFAULT_WORKLOAD_KIND (WorkloadKind.DAEMON_SET)
   */
  readonly workloadKind?: WorkloadKind;
  /**
   * The number of pods. Only applies to `WorkloadKind.DEPLOYMENT` (refused with a DaemonSet,
   * which runs one pod per selected node). Each pod needs a node of its own: with more replicas
   * than eligible nodes, the extra pods stay Pending.
   * @default DEFAULT_HOST_APP_REPLICAS (1) for a Deployment; none for a DaemonSet
   */
  readonly replicas?: number;
  /**
   * Node labels the pods' nodes must carry (emitted as a required node affinity, which the
   * scheduler and the DaemonSet controller treat like `nodeSelector`). Pinning the pods to known
   * nodes keeps their address stable: clients connect to a node's IP.
   * @default - any schedulable node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * The `metadata.name` of the workload, also used as the container's name (a DNS-1123 label).
   * @default - the workload is named from the construct path by cdk8s; the container is `main`
   */
  readonly name?: string;
  /**
   * The container's security context.
   *
   * Security: the default keeps cdk8s-plus's hardening (runAsNonRoot, read-only root
   * filesystem, no privilege escalation, not privileged). Images that run as root or write to
   * their filesystem (the official nginx and influxdb images) need
   * `{ ensureNonRoot: false, readOnlyRootFilesystem: false }`; relax only what the image needs,
   * and prefer an unprivileged image: a root process in a pod on the node's network or ports is
   * one step from the node.
   * @default - cdk8s-plus hardening: runAsNonRoot, readOnlyRootFilesystem, allowPrivilegeEscalation false, privileged false
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
  /**
   * The container's resource requests and limits. A DaemonSet reserves them on every node.
   * @default - cdk8s-plus defaults: requests 1000m CPU and 512Mi memory, limits 1500m CPU and 2048Mi memory
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Create the namespace, with Pod Security level `privileged` enforced (and `baseline` warnings
   * and audit, so that `kubectl apply` still reports what is privileged). Needs an explicit
   * `namespace` of the app's own: `default` and the `kube-*` namespaces are never created or
   * relabelled.
   *
   * Security: every pod of that namespace may then use the node's network, ports and
   * filesystem; keep other workloads out of it.
   * @default false - the namespace must exist and admit privileged pods
   */
  readonly createNamespace?: boolean;
}

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
export class HostNetworkApp extends Exposure implements kplus.IPodSelector {
  /** The DaemonSet or Deployment (a `kplus.DaemonSet` or `kplus.Deployment`). */
  public readonly workload: kplus.Workload;
  /** The app's container. */
  public readonly container: kplus.Container;
  /** The kind of workload. */
  public readonly workloadKind: WorkloadKind;
  /** The number of pods of a Deployment; undefined for a DaemonSet. */
  public readonly replicas?: number;
  /** The node labels the pods are pinned to, when given. */
  public readonly nodeSelector?: { [key: string]: string };
  /** The pods' DNS policy. */
  public readonly dnsPolicy: kplus.DnsPolicy;
  /** The served ports, with their protocol resolved. */
  public readonly ports: HostNetworkPort[];
  /** The namespace created with Pod Security `privileged`, when `createNamespace` is set. */
  public readonly createdNamespace?: kplus.k8s.KubeNamespace;
  public readonly accessPoints: AccessPoint[];
  public readonly prerequisites: string[];
  public readonly patternName = 'hostNetwork workload';

  constructor(scope: Construct, id: string, props: HostNetworkAppProps) {
    super(scope, id, props, 'HostNetworkApp');
    const check = this._check;
    if (props.allowFrom !== undefined) {
      check.fail('allowFrom', 'cannot be enforced on hostNetwork pods: Kubernetes leaves NetworkPolicy undefined for pods on the node\'s network and most CNIs do not apply it',
        describeAllowFrom(props.allowFrom) ?? props.allowFrom, HOST_NETWORK_ALLOW_FROM_FIX);
    }
    checkName(check, props.name);
    checkImage(check, props.image);
    this.workloadKind = props.workloadKind ?? DEFAULT_WORKLOAD_KIND;
    if (!Object.values(WorkloadKind).includes(this.workloadKind)) {
      check.fail('workloadKind', 'must be DAEMON_SET or DEPLOYMENT', props.workloadKind, 'Use WorkloadKind.DAEMON_SET or WorkloadKind.DEPLOYMENT.');
    }
    const deployment = this.workloadKind === WorkloadKind.DEPLOYMENT;
    this.replicas = resolveReplicas(check, deployment, props.replicas, DEFAULT_HOST_APP_REPLICAS);
    this.nodeSelector = checkNodeSelector(check, props.nodeSelector);
    this.dnsPolicy = props.dnsPolicy ?? DEFAULT_HOST_NETWORK_DNS_POLICY;
    if (this.dnsPolicy !== kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET && this.dnsPolicy !== kplus.DnsPolicy.DEFAULT) {
      check.fail('dnsPolicy', 'must be CLUSTER_FIRST_WITH_HOST_NET or DEFAULT for a hostNetwork pod', props.dnsPolicy,
        'Omit dnsPolicy to keep cluster DNS (ClusterFirstWithHostNet), or use kplus.DnsPolicy.DEFAULT for the node\'s resolvers only.');
    }

    if (!Array.isArray(props.ports)) {
      check.fail('ports', 'must be a list of ports', props.ports, 'Pass e.g. [{ port: 80 }].');
    }
    this.ports = props.ports.map((p, i) => {
      checkPortNumber(check, `ports[${i}].port`, p.port);
      return { port: p.port, name: p.name, protocol: checkProtocol(check, `ports[${i}].protocol`, p.protocol) };
    });
    checkPortList(check, 'ports', this.ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol! })), 'port');
    const bindings = this.ports.map((p, i): HostBinding & { containerPort: number; name?: string } => ({
      prop: `ports[${i}].port`, hostPort: p.port, containerPort: p.port, protocol: p.protocol!, name: p.name,
    }));
    checkOwnBindings(check, bindings);
    claimHostPorts(check, this, bindings, this.nodeSelector);
    this.createdNamespace = createHostNamespace(this, check, props.createNamespace, this._metadataNamespace);

    const built = buildHostWorkload({
      scope: this,
      deployment,
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      image: props.image,
      // On the node's network the container port is the host port; the API server requires
      // hostPort to equal containerPort, and the scheduler needs it to avoid port clashes.
      ports: this.ports.map((p) => ({
        number: p.port,
        hostPort: p.port,
        name: p.name,
        protocol: p.protocol === kplus.Protocol.TCP ? undefined : p.protocol,
      })),
      replicas: this.replicas,
      nodeSelector: this.nodeSelector,
      hostNetwork: true,
      dnsPolicy: this.dnsPolicy,
      securityContext: props.securityContext,
      resources: props.resources,
      namespaceObject: this.createdNamespace,
    });
    this.workload = built.workload;
    this.container = built.container;
    this.accessPoints = hostAccessPoints({
      method: AccessMethod.HOST_NETWORK,
      namespace: this.namespace,
      workload: this.workload,
      deployment,
      nodeSelector: this.nodeSelector,
      bindings,
    });
    this.prerequisites = hostPrerequisites(this.namespace, this.createdNamespace !== undefined, bindings, this.nodeSelector);
  }

  /**
   * Selects the app's pods (so that the app can be the `selector` of a Service pattern).
   */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return this.workload.toPodSelectorConfig();
  }
}
