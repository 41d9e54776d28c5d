/**
 * A Service must send its traffic to a port its pods declare, when they declare ports: a
 * `targetPort` that no container of the selected workload lists reaches nothing (connections are
 * refused or time out), while the Service looks healthy.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
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
  return Array.isArray(containers) && containers.every((c) => c instanceof kplus.Container) ? containers : undefined;
}

/** A container port's protocol (Kubernetes defaults it to TCP). */
const protocolOf = (port: kplus.ContainerPort) => port.protocol ?? kplus.Protocol.TCP;

/**
 * At synthesis (containers may get ports after the Service is created), refuses each Service port
 * whose `targetPort` and protocol no container of the selected workload declares, when that
 * workload declares ports at all (a workload without declared ports may listen anywhere).
 */
export function checkTargetPorts(check: Checker, scope: IConstruct, selector: kplus.IPodSelector, ports: readonly TargetPort[]): void {
  if (ports.length === 0 || containersOf(selector) === undefined) return;
  scope.node.addValidation({
    validate: () => {
      // Plain loops and no strings unless a port is missing: this runs for every Service at synth.
      const declared: kplus.ContainerPort[] = [];
      for (const container of containersOf(selector)!) declared.push(...container.ports);
      if (declared.length === 0) return [];
      const isDeclared = (p: TargetPort) => declared.some((d) => d.number === p.targetPort && protocolOf(d) === p.protocol);
      if (ports.every(isDeclared)) return [];
      const workload = (selector as unknown as IConstruct).node?.path ?? 'the selector';
      const listed = [...new Set(declared.map((d) => `${d.number}/${protocolOf(d)}`))].join(', ');
      return ports.flatMap((p, i) => isDeclared(p) ? [] : [check.problem(`ports[${i}].targetPort`,
        `is ${p.targetPort}/${p.protocol}, which no container of [${workload}] declares (they declare ${listed}), so the Service would send its traffic to a port nothing listens on`,
        p.targetPort, 'Set targetPort to a port the containers declare, or declare the port on the container.')]);
    },
  });
}
