import * as kplus from 'cdk8s-plus-27';
import { Checker } from './errors';
import { ianaServiceNameProblem } from './names';

/** The port numbers a TCP/UDP/SCTP port may take. */
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Throws unless `value` is an integer port number in 1-65535. */
export function checkPortNumber(check: Checker, prop: string, value: number): void {
  check.integer(prop, value, PORT_RANGE, 'Use a valid TCP/UDP port number.');
}

const PORT_RANGE = { min: MIN_PORT, max: MAX_PORT };

/** Throws unless `protocol` is one of kplus.Protocol; TCP when not given. */
export function checkProtocol(check: Checker, prop: string, protocol: kplus.Protocol | undefined): kplus.Protocol {
  return check.enumValue(prop, protocol, kplus.Protocol, 'kplus.Protocol') ?? kplus.Protocol.TCP;
}

/** What the shared port-list rules need to know of one port. */
export interface NamedPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: kplus.Protocol;
}

/**
 * The rules every port list shares (Services and containers alike): names present when there is
 * more than one port, names valid IANA service names and unique, port+protocol unique.
 * `prop` is the list's prop name; items are reported as `prop[i].field`. The list is not empty:
 * each caller has refused an empty one with its own fix (`Checker.structList` with `minLength`).
 */
export function checkPortList(check: Checker, prop: string, ports: readonly NamedPort[], portField: string): void {
  // Most lists hold one port: the maps that find duplicates are only made for longer ones.
  const names = ports.length > 1 ? new Map<string, number>() : undefined;
  const numbers = ports.length > 1 ? new Map<string, number>() : undefined;
  ports.forEach((p, i) => {
    if (p.name === undefined) {
      if (ports.length > 1) {
        check.fail(`${prop}[${i}].name`, 'must be set when there is more than one port', p.name,
          'Name every port (e.g. "http", "metrics"); Kubernetes requires names on multi-port lists.');
      }
    } else {
      const problem = ianaServiceNameProblem(p.name);
      if (problem) {
        check.fail(`${prop}[${i}].name`, problem, p.name, 'Use a short lowercase name such as "http" or "web-tls".');
      }
      const previous = names?.get(p.name);
      if (previous !== undefined) {
        check.duplicate(`${prop}[${i}].name`, `${prop}[${previous}].name`, p.name, 'Give every port a distinct name.');
      }
      names?.set(p.name, i);
    }
    if (!numbers) return;
    const key = `${p.port}/${p.protocol}`;
    const previous = numbers.get(key);
    if (previous !== undefined) {
      check.duplicate(`${prop}[${i}].${portField}`, `${prop}[${previous}] (${p.port}/${p.protocol})`, p.port,
        'List each port and protocol once.');
    }
    numbers.set(key, i);
  });
}
