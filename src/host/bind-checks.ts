/**
 * What a host-level app's pods must be able to do for its access points to work: bind their
 * ports, and be scheduled as many times as asked.
 */
import * as kplus from 'cdk8s-plus-27';
import { Checker } from '../core/errors';

/** The first port a process without `CAP_NET_BIND_SERVICE` may bind (Linux `ip_unprivileged_port_start`). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/** The node label that names one node: a selector on it pins the pods to that node. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** A port the app's process binds, and where it is reported. */
export interface BoundPort {
  /** e.g. `ports[0].containerPort`. */
  readonly prop: string;
  /** The port the process binds (the container port; on the node's network, the node's port). */
  readonly port: number;
}

/**
 * True when the container may run as root: `ensureNonRoot` turned off and no non-zero `user`.
 * cdk8s-plus' default (`ensureNonRoot: true`) runs it as non-root.
 */
function mayRunAsRoot(context: kplus.ContainerSecurityContextProps | undefined): boolean {
  return context?.ensureNonRoot === false && (context.user === undefined || context.user === 0);
}

function canBindPrivilegedPorts(context: kplus.ContainerSecurityContextProps | undefined): boolean {
  // kplus spells capabilities `CAP_...`; a JavaScript caller may write Kubernetes' spelling.
  const added: string[] = context?.capabilities?.add ?? [];
  return mayRunAsRoot(context) || added.some((c) => c === kplus.Capability.NET_BIND_SERVICE || c === 'NET_BIND_SERVICE' || c === 'ALL');
}

/**
 * Refuses a port below 1024 that the container's process can never bind: it runs as non-root
 * (cdk8s-plus' default, or a non-zero `user`) without the `NET_BIND_SERVICE` capability. On the
 * node's network the node's own limit applies (1024 unless the node's sysctl says otherwise);
 * in a pod's network namespace the runtime's default applies, which is 1024 for containerd 1.x.
 *
 * @param hostNetwork whether the pods share the node's network (the fix differs)
 */
export function checkCanBind(check: Checker, ports: readonly BoundPort[], context: kplus.ContainerSecurityContextProps | undefined,
  hostNetwork: boolean): void {
  if (canBindPrivilegedPorts(context)) return;
  const low = ports.find((p) => p.port < FIRST_UNPRIVILEGED_PORT);
  if (!low) return;
  const user = context?.user === undefined ? 'as non-root (runAsNonRoot)' : `as user ${context.user}`;
  check.fail(low.prop, `is below ${FIRST_UNPRIVILEGED_PORT}, but the container runs ${user} without the NET_BIND_SERVICE capability, so its process can never bind it`,
    low.port, hostNetwork
      ? `Serve on a port of ${FIRST_UNPRIVILEGED_PORT} or above, or add the capability (securityContext.capabilities.add: [kplus.Capability.NET_BIND_SERVICE]; a non-root process also needs it as a file capability of its binary), or run the image as root (ensureNonRoot: false).`
      : `Let the container listen on a port of ${FIRST_UNPRIVILEGED_PORT} or above and keep the low hostPort (e.g. containerPort 8080, hostPort ${low.port}), or add the capability (securityContext.capabilities.add: [kplus.Capability.NET_BIND_SERVICE]), or run the image as root (ensureNonRoot: false).`);
}

/**
 * Refuses more replicas than nodes the pods may use: each pod of a host-level Deployment needs
 * a node of its own (required anti-affinity on the hostname), and a node selector on
 * `kubernetes.io/hostname` leaves exactly one node. The extra pods would stay Pending.
 */
export function checkReplicasFitNodes(check: Checker, replicas: number | undefined, nodeSelector: { [key: string]: string } | undefined): void {
  const node = nodeSelector?.[HOSTNAME_LABEL];
  if (replicas === undefined || node === undefined || replicas <= 1) return;
  check.fail('replicas', `must be at most 1: nodeSelector pins the pods to one node (${HOSTNAME_LABEL}=${node}) and each pod needs a node of its own (one pod per node, for the host ports), so the others would stay Pending`,
    replicas, 'Use replicas: 1, or select the nodes by a label they share (e.g. { "node-role.example.com/edge": "true" }).');
}
