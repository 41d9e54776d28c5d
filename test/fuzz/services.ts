/**
 * What the Service patterns' generators share: port lists and the invariants every Service
 * pattern keeps (its public fields agree with the emitted Service, the Service selects the pods
 * it was given, the ports are the ones asked for).
 */
import * as fc from 'fast-check';
import {
  anyNodePort, anyPort, anyPortName, anyProtocol, MadeSelector, sometimes, validNodePort, validPort, validPortName,
} from './arbitraries';
import { namespaceOf, selectsSomePods } from './k8s-rules';
import { ExposedServicePort, IExposedService, IExposure } from '../../src/core/exposure';
import { ServicePortSpec } from '../../src/service/service-vocabulary';

/** Any Service port: mostly valid fields, each sometimes malformed; `nodePort` only when `withNodePort`. */
export function anyServicePort(withNodePort: 'never' | 'often' | 'rarely'): fc.Arbitrary<ServicePortSpec> {
  return fc.record({
    port: anyPort,
    targetPort: sometimes(anyPort),
    nodePort: withNodePort === 'never' ? fc.constant(undefined) : sometimes(anyNodePort, withNodePort === 'often' ? 2 : 12),
    name: sometimes(anyPortName, 2),
    protocol: anyProtocol,
  }, { requiredKeys: ['port'] }).map(dropUndefined);
}

/**
 * A valid Service port list: one to three ports, named when more than one, unique by
 * port/protocol and by name, nodePorts (when `withNodePort`) unique by number/protocol.
 */
export function validServicePorts(withNodePort: boolean): fc.Arbitrary<ServicePortSpec[]> {
  const port = fc.record({
    port: validPort,
    targetPort: sometimes(validPort),
    nodePort: withNodePort ? sometimes(validNodePort, 2) : fc.constant(undefined),
    name: validPortName,
    protocol: fc.constantFrom(undefined, 'TCP', 'UDP', 'SCTP') as fc.Arbitrary<any>,
  }).map(dropUndefined);
  return fc.uniqueArray(port, { minLength: 1, maxLength: 3, selector: (p) => p.name })
    .filter((ports) => unique(ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`))
      && unique(ports.filter((p) => p.nodePort !== undefined).map((p) => `${p.nodePort}/${p.protocol ?? 'TCP'}`)))
    .map((ports) => (ports.length === 1 && ports[0].name !== 'http' ? [{ ...ports[0], name: undefined }].map(dropUndefined) : ports));
}

/** Any port list: mostly one or two ports, sometimes none or many. */
export function anyServicePorts(withNodePort: 'never' | 'often' | 'rarely'): fc.Arbitrary<any> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.array(anyServicePort(withNodePort), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom<any>([], undefined, null, 'http') },
  );
}

function unique(values: string[]): boolean {
  return new Set(values).size === values.length;
}

/** A copy without the keys whose value is undefined (what a user writes when leaving a prop out). */
export function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** What a Service pattern was asked for, for `serviceInvariants`. */
export interface ServiceExpectation {
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly ports: ServicePortSpec[];
  readonly made: MadeSelector;
  readonly name?: string;
}

/** The one Service document of a Service pattern (undefined when there is not exactly one). */
export function serviceDocOf(construct: IExposedService, docs: any[]): any | undefined {
  const matches = docs.filter((d) => d.kind === 'Service' && d.metadata?.name === construct.serviceName && namespaceOf(d) === construct.serviceNamespace);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The invariants of every Service pattern, given the App's documents.
 */
export function serviceInvariants(construct: IExposedService & IExposure, expected: ServiceExpectation, docs: any[]): string[] {
  const problems: string[] = [];
  const matches = docs.filter((d) => d.kind === 'Service' && d.metadata?.name === construct.serviceName && namespaceOf(d) === construct.serviceNamespace);
  if (matches.length !== 1) {
    return [`expected one Service ${construct.serviceNamespace}/${construct.serviceName}, found ${matches.length}`];
  }
  const doc = matches[0];
  const spec = doc.spec ?? {};
  if (expected.name !== undefined && doc.metadata.name !== expected.name) problems.push(`metadata.name is ${doc.metadata.name}, not the given ${expected.name}`);
  if (construct.namespace !== construct.serviceNamespace) problems.push(`namespace ${construct.namespace} differs from serviceNamespace ${construct.serviceNamespace}`);
  if (spec.type !== expected.type) problems.push(`spec.type is ${spec.type}, expected ${expected.type}`);

  // The selector selects the pods it was given.
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) problems.push('spec.selector is empty: the Service would select no pods (or, applied elsewhere, all)');
  if (expected.made.labels !== undefined && JSON.stringify(sortKeys(selector)) !== JSON.stringify(sortKeys(expected.made.labels))) {
    problems.push(`spec.selector ${JSON.stringify(selector)} differs from the selected labels ${JSON.stringify(expected.made.labels)}`);
  }
  if (expected.made.deployment !== undefined && !selectsSomePods(docs, namespaceOf(doc), selector)) {
    problems.push(`spec.selector ${JSON.stringify(selector)} matches the pod template labels of no workload in namespace ${namespaceOf(doc)}`);
  }

  // The ports are the ones asked for, with Kubernetes' defaults left out.
  const emitted: any[] = spec.ports ?? [];
  if (emitted.length !== expected.ports.length) {
    problems.push(`spec.ports has ${emitted.length} ports, ${expected.ports.length} were given`);
  } else {
    expected.ports.forEach((p, i) => {
      const e = emitted[i];
      const want = dropUndefined({
        name: p.name,
        port: p.port,
        protocol: p.protocol === undefined || p.protocol === 'TCP' ? undefined : p.protocol,
        targetPort: p.targetPort,
        nodePort: p.nodePort,
      });
      if (JSON.stringify(sortKeys(e)) !== JSON.stringify(sortKeys(want))) {
        problems.push(`spec.ports[${i}] is ${JSON.stringify(e)}, expected ${JSON.stringify(want)}`);
      }
    });
  }
  const exposed: ExposedServicePort[] = construct.servicePorts;
  const wantExposed = expected.ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol ?? 'TCP' }));
  if (JSON.stringify(exposed.map(sortKeys)) !== JSON.stringify(wantExposed.map(sortKeys))) {
    problems.push(`servicePorts ${JSON.stringify(exposed)} differ from the given ports ${JSON.stringify(wantExposed)}`);
  }
  if (construct.accessPoints.length === 0) problems.push('accessPoints is empty');
  for (const [i, ap] of construct.accessPoints.entries()) {
    if (typeof ap.description !== 'string' || ap.description.length === 0) problems.push(`accessPoints[${i}] has no description`);
    if (ap.port !== undefined && !(Number.isInteger(ap.port) && ap.port >= 1 && ap.port <= 65535)) problems.push(`accessPoints[${i}].port ${ap.port} is not a port`);
  }
  return problems;
}

function sortKeys(obj: any): any {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}
