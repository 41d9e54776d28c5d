/**
 * The commands the access guide prints, built in one place with one quoting rule
 * (`shellCommand`), for every pattern that says how to find or test an access point.
 */
import { shellCommand, shellFlag } from '../core/shell';

/** `k1=v1,k2=v2`, as `kubectl -l` reads a label selector. */
export function labelSelectorText(labels: { [key: string]: string }): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Prints the IPs of the nodes that run the selected pods. */
export function podHostIpsCommand(namespace: string, labels: { [key: string]: string }): string {
  return `${shellCommand('kubectl', '-n', namespace, 'get', 'pods', '-l', labelSelectorText(labels), '-o')} ${shellFlag('jsonpath', '{.items[*].status.hostIP}')}`;
}

/** Lists the selected pods with the node each runs on (`-o wide`: NODE and, for the address, `kubectl get nodes -o wide`). */
export function podNodesCommand(namespace: string, labels: { [key: string]: string }): string {
  return shellCommand('kubectl', '-n', namespace, 'get', 'pods', '-l', labelSelectorText(labels), '-o', 'wide');
}

/** Prints a field of one object, e.g. a Service's allocated node port. */
export function jsonPathCommand(namespace: string, kind: string, name: string, jsonPath: string): string {
  return `${shellCommand('kubectl', '-n', namespace, 'get', kind, name, '-o')} ${shellFlag('jsonpath', jsonPath)}`;
}

/** The placeholder of a node's name in a command. */
export const NODE_NAME_PLACEHOLDER = '<node-name>';

/**
 * Runs `args` on a node, in its network namespace (a node debugging pod shares it), for what only
 * the node itself reaches (a loopback address). `<node-name>` is one of the nodes running a pod.
 */
export function onNodeCommand(image: string, ...args: string[]): string {
  return shellCommand('kubectl', 'debug', `node/${NODE_NAME_PLACEHOLDER}`, '-it', `--image=${image}`, '--', ...args);
}

/**
 * What `externalTrafficPolicy: Local` means for the nodes' addresses, said once for every access
 * point that goes through a node (node ports, load balancer IPs).
 */
export const LOCAL_TRAFFIC_NOTE = 'externalTrafficPolicy Local: only nodes that run a ready pod of the Service answer '
  + '(the others drop the traffic), and the pods see the client\'s own address';
