/**
 * The node port range rules of a `ClusterProfile`, for the Service patterns that open node ports
 * (`NodePortService`, the LoadBalancer patterns). Apart from profile-rules.ts so that a Service of
 * an App without a profile loads neither the profile module nor its other rules.
 */
import { IConstruct } from 'constructs';
import { attachedProfile, describeProfile } from './attached-profile';
import { Checker, structKeys } from '../core/errors';
import { DEFAULT_NODE_PORT_RANGE, NodePortRange } from '../service/service-vocabulary';

/** The keys of a `NodePortRange`. */
export const NODE_PORT_RANGE = structKeys<NodePortRange>('NodePortRange', { min: true, max: true });

/**
 * Throws unless `range` is a `NodePortRange` of integers 1 <= min <= max <= 65535: the rule of a
 * Service's `nodePortRange` and of a `ClusterProfile`'s.
 */
export function checkNodePortRange(check: Checker, range: NodePortRange): NodePortRange {
  const valid = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
  if (range === null || typeof range !== 'object' || !valid(range.min) || !valid(range.max) || range.min > range.max) {
    check.fail('nodePortRange', 'must be { min, max } with integers 1 <= min <= max <= 65535', range,
      `Use the cluster's --service-node-port-range (default ${DEFAULT_NODE_PORT_RANGE.min}-${DEFAULT_NODE_PORT_RANGE.max}), or omit it.`);
  }
  return check.struct('nodePortRange', range, NODE_PORT_RANGE);
}

/** One explicit node port of a Service, for the range check. */
export interface ProfileNodePort {
  readonly prop: string;
  readonly nodePort: number;
}

/** What `nodePortsOf` returns for ports without an explicit node port: shared, never written. */
const NO_NODE_PORTS: readonly ProfileNodePort[] = Object.freeze([]);

/**
 * The explicit node ports of a Service's ports, for `validateNodePortRange` (a loop, and nothing
 * allocated when no port has one: this runs for every Service).
 */
export function nodePortsOf(ports: readonly { readonly nodePort?: number }[]): readonly ProfileNodePort[] {
  let result: ProfileNodePort[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const nodePort = ports[i].nodePort;
    if (nodePort !== undefined) (result ??= []).push({ prop: `ports[${i}].nodePort`, nodePort });
  }
  return result ?? NO_NODE_PORTS;
}

/**
 * The node port range a Service pattern checks against: the one given, else the profile's, else
 * Kubernetes' default.
 */
export function profileNodePortRange(scope: IConstruct, given: NodePortRange | undefined): NodePortRange {
  return given ?? attachedProfile(scope)?.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
}

/**
 * Refuses, at synth, explicit node ports outside the range of a profile attached after the
 * Service was created (the constructor already checked them against the range it knew). A
 * `nodePortRange` given to the pattern wins over the profile's.
 */
export function validateNodePortRange(check: Checker, given: NodePortRange | undefined, nodePorts: readonly ProfileNodePort[]): void {
  if (given !== undefined || nodePorts.length === 0) return;
  check.scope.node.addValidation({
    validate: () => {
      const profile = attachedProfile(check.scope);
      if (!profile) return [];
      const { min, max } = profile.nodePortRange;
      return nodePorts.filter((p) => p.nodePort < min || p.nodePort > max).map((p) => check.problem(p.prop,
        `must be an integer within ${min}-${max}, the node port range of ${describeProfile(profile)}`, p.nodePort,
        'Omit nodePort to let Kubernetes allocate one, pick one in the range, or correct the profile\'s nodePortRange.'));
    },
  });
}
