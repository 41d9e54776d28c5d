import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkCanBind, checkReplicasFitNodes } from './bind-checks';
import {
  buildHostWorkload, checkImage, checkName, checkNodeSelector, checkOwnBindings, claimHostPorts, createHostNamespace,
  HostAppShape, hostAccessPoints, hostPrerequisites, resolveReplicas,
} from './host-workload';
import { claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { AccessMethod, AccessPoint, ExposureProps } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { claimHostBindings } from '../profile/profile-rules';

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
 * The container resources of a host-level app when `resources` is not set: what a per-node
 * agent typically gets (requests 100m CPU and 128Mi memory, limits 500m CPU and 256Mi memory),
 * reserved on every node the app runs on. cdk8s-plus' own default (requests a whole CPU and
 * 512Mi) would take half of a 2-CPU node for each such app.
 */
export const DEFAULT_HOST_APP_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

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
   * @default DEFAULT_HOST_APP_RESOURCES (requests 100m CPU and 128Mi memory, limits 500m CPU and 256Mi memory)
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Create the namespace, with Pod Security level `privileged` enforced (and `baseline` warnings
   * and audit, so that `kubectl apply` still reports what is privileged). Needs an explicit
   * `namespace` of the app's own: `default` and the `kube-*` namespaces are never created or
   * relabelled. One app creates each namespace: a second app of the App asking to create the
   * same namespace is refused; the other apps of that namespace run in it without
   * `createNamespace`.
   *
   * Security: every pod of that namespace may then use the node's network, ports and
   * filesystem; keep other workloads out of it.
   * @default false - the namespace must exist and admit privileged pods
   */
  readonly createNamespace?: boolean;
}

/**
 * Base class of the host-level apps (`HostNetworkApp`, `HostPortApp`): a DaemonSet or Deployment
 * whose ports are reached at the nodes' addresses. It checks the workload props, claims the host
 * ports App-wide, creates the namespace when asked to, the workload with the host-level safe
 * scheduling defaults, and the access points; each app adds how its ports are bound.
 *
 * An app is a `kplus.IPodSelector` of its pods, so that it can be the `selector` of a Service
 * pattern.
 *
 * Security: the ports are reachable at the nodes' addresses by every client that can route to a
 * node, and the namespace must admit Pod Security `privileged` pods (`createNamespace` creates
 * one that does). Prefer a Service pattern unless the app needs the node's network or a fixed
 * port on the nodes.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export abstract class HostApp extends Exposure implements kplus.IPodSelector {
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
  /** The namespace created with Pod Security `privileged`, when `createNamespace` is set. */
  public readonly createdNamespace?: kplus.k8s.KubeNamespace;
  /** How the app is reached: one record per bound port. */
  public readonly accessPoints: AccessPoint[];
  /** What the cluster needs for the access points to work (Pod Security, firewalls, node labels). */
  public readonly prerequisites: string[];

  /**
   * What the app's hook said it binds (an app may narrow its type with `declare`).
   * @internal
   */
  protected readonly _shape: HostAppShape;

  protected constructor(scope: Construct, id: string, props: HostWorkloadProps, className: string) {
    super(scope, id, props, className);
    const check = this._check;
    // The app's own props first (its props object, what it refuses outright, its ports).
    const shape = this._hostShape(props);
    checkName(check, props.name);
    checkImage(check, props.image);
    this.workloadKind = check.enumValue('workloadKind', props.workloadKind, WorkloadKind, 'WorkloadKind') ?? DEFAULT_WORKLOAD_KIND;
    const deployment = this.workloadKind === WorkloadKind.DEPLOYMENT;
    this.replicas = resolveReplicas(check, deployment, props.replicas, DEFAULT_HOST_APP_REPLICAS);
    this.nodeSelector = checkNodeSelector(check, props.nodeSelector);
    checkReplicasFitNodes(check, this.replicas, this.nodeSelector);

    checkOwnBindings(check, shape.bindings);
    checkCanBind(check, shape.bindings.map((b) => ({ prop: shape.hostNetwork ? b.prop : b.prop.replace(/hostPort$/, 'containerPort'), port: b.containerPort })),
      props.securityContext, shape.hostNetwork);
    claimHostPorts(check, this, shape.bindings, this.nodeSelector);
    claimHostBindings(check, shape.bindings.map((b) => ({ prop: b.prop, port: b.hostPort, protocol: b.protocol })));
    this.createdNamespace = createHostNamespace(this, check, props.createNamespace, this._metadataNamespace);
    const built = buildHostWorkload({
      scope: this,
      deployment,
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      image: props.image,
      ports: shape.containerPorts,
      replicas: this.replicas,
      nodeSelector: this.nodeSelector,
      hostNetwork: shape.hostNetwork,
      dnsPolicy: shape.dnsPolicy,
      securityContext: props.securityContext,
      resources: props.resources ?? DEFAULT_HOST_APP_RESOURCES,
      namespaceObject: this.createdNamespace,
    });
    // One DaemonSet (or Deployment) per name and namespace in the whole App.
    claimObjectName(check, 'name', ApiObject.of(built.workload), props.name === undefined ? DERIVED_NAME_FIX : undefined);
    this._shape = shape;
    this.workload = built.workload;
    this.container = built.container;
    this.accessPoints = hostAccessPoints({
      method: shape.hostNetwork ? AccessMethod.HOST_NETWORK : AccessMethod.HOST_PORT,
      namespace: this.namespace,
      workload: built.workload,
      deployment,
      nodeSelector: this.nodeSelector,
      bindings: shape.bindings,
    });
    this.prerequisites = [
      ...hostPrerequisites(this.namespace, this.createdNamespace !== undefined, shape.bindings, this.nodeSelector),
      ...shape.extraPrerequisites ?? [],
    ];
  }

  /**
   * Selects the app's pods (so that the app can be the `selector` of a Service pattern).
   */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return this.workload.toPodSelectorConfig();
  }

  /**
   * What the app binds on its nodes and how: checks its props object and its own props (ports,
   * what it refuses outright). Called once, by the base constructor, before the workload props
   * are checked and the workload is built: it reads `props` only.
   * @internal
   */
  protected abstract _hostShape(props: HostWorkloadProps): HostAppShape;
}
