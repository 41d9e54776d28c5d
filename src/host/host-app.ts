import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkCanBind, checkReplicasFitNodes } from './bind-checks';
import {
  buildHostWorkload, checkImage, checkName, checkNodeSelector, checkOwnBindings, claimHostPorts, createHostNamespace,
  HostAppBuildOptions, hostAccessPoints, hostPrerequisites, resolveReplicas,
} from './host-workload';
import { claimObjectName, DERIVED_NAME_FIX } from '../core/claims';
import { AccessMethod, AccessPoint, Exposure, ExposureProps } from '../core/exposure';

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
  // Set by `_checkWorkloadProps` and `_buildHostApp`, which every subclass calls from its
  // constructor: the first before its own port checks, the second after them.
  /** The DaemonSet or Deployment (a `kplus.DaemonSet` or `kplus.Deployment`). */
  public readonly workload!: kplus.Workload;
  /** The app's container. */
  public readonly container!: kplus.Container;
  /** The kind of workload. */
  public readonly workloadKind!: WorkloadKind;
  /** The number of pods of a Deployment; undefined for a DaemonSet. */
  public readonly replicas?: number;
  /** The node labels the pods are pinned to, when given. */
  public readonly nodeSelector?: { [key: string]: string };
  /** The namespace created with Pod Security `privileged`, when `createNamespace` is set. */
  public readonly createdNamespace?: kplus.k8s.KubeNamespace;
  /** How the app is reached: one record per bound port. */
  public readonly accessPoints!: AccessPoint[];
  /** What the cluster needs for the access points to work (Pod Security, firewalls, node labels). */
  public readonly prerequisites!: string[];

  protected constructor(scope: Construct, id: string, props: HostWorkloadProps, className: string) {
    super(scope, id, props, className);
  }

  /**
   * Selects the app's pods (so that the app can be the `selector` of a Service pattern).
   */
  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return this.workload.toPodSelectorConfig();
  }

  /**
   * Checks the workload props every host-level app has (name, image, workloadKind, replicas,
   * nodeSelector) and fills `workloadKind`, `replicas` and `nodeSelector`. A method rather than
   * constructor code so that a subclass can check what it refuses outright first.
   * @internal
   */
  protected _checkWorkloadProps(props: HostWorkloadProps): void {
    const check = this._check;
    checkName(check, props.name);
    checkImage(check, props.image);
    const workloadKind = props.workloadKind ?? DEFAULT_WORKLOAD_KIND;
    if (!Object.values(WorkloadKind).includes(workloadKind)) {
      check.fail('workloadKind', 'must be DAEMON_SET or DEPLOYMENT', props.workloadKind, 'Use WorkloadKind.DAEMON_SET or WorkloadKind.DEPLOYMENT.');
    }
    const fields: Pick<HostApp, 'workloadKind' | 'replicas' | 'nodeSelector'> = {
      workloadKind,
      replicas: resolveReplicas(check, workloadKind === WorkloadKind.DEPLOYMENT, props.replicas, DEFAULT_HOST_APP_REPLICAS),
      nodeSelector: checkNodeSelector(check, props.nodeSelector),
    };
    checkReplicasFitNodes(check, fields.replicas, fields.nodeSelector);
    Object.assign(this, fields);
  }

  /**
   * Checks the bindings against each other and claims them App-wide, creates the namespace
   * (when asked to) and the workload as the `Resource` child, and fills `workload`, `container`,
   * `createdNamespace`, `accessPoints` and `prerequisites`.
   * @internal
   */
  protected _buildHostApp(props: HostWorkloadProps, options: HostAppBuildOptions): void {
    const check = this._check;
    const deployment = this.workloadKind === WorkloadKind.DEPLOYMENT;
    checkOwnBindings(check, options.bindings);
    checkCanBind(check, options.bindings.map((b) => ({ prop: options.hostNetwork ? b.prop : b.prop.replace(/hostPort$/, 'containerPort'), port: b.containerPort })),
      props.securityContext, options.hostNetwork);
    claimHostPorts(check, this, options.bindings, this.nodeSelector);
    const createdNamespace = createHostNamespace(this, check, props.createNamespace, this._metadataNamespace);
    const built = buildHostWorkload({
      scope: this,
      deployment,
      name: props.name,
      metadataNamespace: this._metadataNamespace,
      image: props.image,
      ports: options.containerPorts,
      replicas: this.replicas,
      nodeSelector: this.nodeSelector,
      hostNetwork: options.hostNetwork,
      dnsPolicy: options.dnsPolicy,
      securityContext: props.securityContext,
      resources: props.resources,
      namespaceObject: createdNamespace,
    });
    // One DaemonSet (or Deployment) per name and namespace in the whole App.
    claimObjectName(check, 'name', ApiObject.of(built.workload), props.name === undefined ? DERIVED_NAME_FIX : undefined);
    const fields: Pick<HostApp, 'workload' | 'container' | 'createdNamespace' | 'accessPoints' | 'prerequisites'> = {
      workload: built.workload,
      container: built.container,
      createdNamespace,
      accessPoints: hostAccessPoints({
        method: options.hostNetwork ? AccessMethod.HOST_NETWORK : AccessMethod.HOST_PORT,
        namespace: this.namespace,
        workload: built.workload,
        deployment,
        nodeSelector: this.nodeSelector,
        bindings: options.bindings,
      }),
      prerequisites: [
        ...hostPrerequisites(this.namespace, createdNamespace !== undefined, options.bindings, this.nodeSelector),
        ...options.extraPrerequisites ?? [],
      ],
    };
    Object.assign(this, fields);
  }
}
