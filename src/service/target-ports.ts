/**
 * A Service must send its traffic to a port its pods declare, when they declare ports: a
 * `targetPort` that no container of the selected workload lists reaches nothing (connections are
 * refused or time out), while the Service looks healthy.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct, IValidation } from 'constructs';
import { Checker } from '../core/errors';

/** One Service port, as the check needs it. */
export interface TargetPort {
  readonly targetPort: number;
  readonly protocol: kplus.Protocol;
}

/**
 * The containers behind a selector when it is a workload this library can inspect: a cdk8s-plus
 * workload or pod (`kplus.Deployment`, `DaemonSet`, `StatefulSet`, `Pod`, ...), or one of this
 * library's host apps (through its `workload`). Undefined for a bare label selector.
 */
function containersOf(selector: unknown): readonly kplus.Container[] | undefined {
  const candidate = selector as { containers?: unknown; workload?: { containers?: unknown } } | undefined;
  const containers = candidate?.containers ?? candidate?.workload?.containers;
  if (!Array.isArray(containers)) return undefined;
  // A loop, not `every` with a closure: this runs for every Service, twice.
  for (let i = 0; i < containers.length; i++) {
    if (!(containers[i] instanceof kplus.Container)) return undefined;
  }
  return containers;
}

/** A container port's protocol (Kubernetes defaults it to TCP). */
const protocolOf = (port: kplus.ContainerPort) => port.protocol ?? kplus.Protocol.TCP;

/** Whether a container declares the Service port's target port and protocol. */
function isDeclared(declared: readonly kplus.ContainerPort[], port: TargetPort): boolean {
  for (let i = 0; i < declared.length; i++) {
    if (declared[i].number === port.targetPort && protocolOf(declared[i]) === port.protocol) return true;
  }
  return false;
}

/**
 * At synthesis (containers may get ports after the Service is created), refuses each Service port
 * whose `targetPort` and protocol no container of the selected workload declares, when that
 * workload declares ports at all (a workload without declared ports may listen anywhere).
 */
export function checkTargetPorts(check: Checker, scope: IConstruct, selector: kplus.IPodSelector, ports: readonly TargetPort[]): void {
  if (ports.length === 0 || containersOf(selector) === undefined) return;
  scope.node.addValidation(new TargetPortValidation(check, selector, ports));
}

/**
 * The check `checkTargetPorts` adds, as an object rather than a closure (one object per Service,
 * not a closure and its context: this is kept for every Service until synth).
 */
class TargetPortValidation implements IValidation {
  constructor(private readonly check: Checker, private readonly selector: kplus.IPodSelector,
    private readonly ports: readonly TargetPort[]) {}

  public validate(): string[] {
    // Plain loops and no strings or closures unless a port is missing: this runs for every
    // Service at synth.
    const { check, selector, ports } = this;
    const declared: kplus.ContainerPort[] = [];
    // A workload at construction stays one (`checkTargetPorts` adds this check only then).
    const containers = containersOf(selector) ?? [];
    for (let c = 0; c < containers.length; c++) {
      const containerPorts = containers[c].ports;
      for (let i = 0; i < containerPorts.length; i++) declared.push(containerPorts[i]);
    }
    if (declared.length === 0) return [];
    let allDeclared = true;
    for (let i = 0; allDeclared && i < ports.length; i++) allDeclared = isDeclared(declared, ports[i]);
    if (allDeclared) return [];
    const workload = (selector as unknown as IConstruct).node?.path ?? 'the selector';
    const listed = [...new Set(declared.map((d) => `${d.number}/${protocolOf(d)}`))].join(', ');
    return ports.flatMap((p, i) => isDeclared(declared, p) ? [] : [check.problem(`ports[${i}].targetPort`,
      `is ${p.targetPort}/${p.protocol}, which no container of [${workload}] declares (they declare ${listed}), so the Service would send its traffic to a port nothing listens on`,
      p.targetPort, 'Set targetPort to a port the containers declare, or declare the port on the container.')]);
  }
}
