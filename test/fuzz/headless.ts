/**
 * Fuzz generator of HeadlessService.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { anyNamespace, anySelector, anyServiceName, makeSelector, sometimes, validSelector, validServiceName } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { anyServicePorts, dropUndefined, serviceDocOf, serviceInvariants, validServicePorts } from './services';
import { HeadlessService } from '../../src/service/headless';

interface Input {
  readonly selector: any;
  readonly ports?: any;
  readonly publishNotReadyAddresses?: any;
  readonly name?: any;
  readonly namespace?: any;
}

const valid: fc.Arbitrary<Input> = fc.record({
  selector: validSelector,
  ports: fc.oneof(fc.constant(undefined), fc.constant([]), validServicePorts(false)),
  publishNotReadyAddresses: fc.constantFrom(undefined, true, false),
  name: sometimes(validServiceName),
}).map(dropUndefined);

const edgy: fc.Arbitrary<Input> = fc.record({
  selector: anySelector,
  ports: sometimes(anyServicePorts('rarely'), 6),
  publishNotReadyAddresses: fc.constantFrom<any>(undefined, true, false, 'true', 1),
  name: sometimes(anyServiceName),
  namespace: anyNamespace,
}).map(dropUndefined);

export const headlessFuzzer: PatternFuzzer<Input> = {
  className: 'HeadlessService',
  input: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: edgy }),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: Input, caller): Built {
    const made = makeSelector(scope, id, input.selector, input.namespace ?? scope.namespace ?? 'default', input.ports);
    const svc = new HeadlessService(scope, id, caller({ ...input, selector: made.selector }));
    return {
      construct: svc,
      check: (docs) => {
        const problems = serviceInvariants(svc, { type: 'ClusterIP', ports: input.ports ?? [], made, name: input.name }, docs);
        const doc = serviceDocOf(svc, docs);
        if (doc?.spec.clusterIP !== 'None') problems.push(`spec.clusterIP is ${doc?.spec.clusterIP}, not None`);
        const publish = input.publishNotReadyAddresses === true ? true : undefined;
        if (doc?.spec.publishNotReadyAddresses !== publish) {
          problems.push(`spec.publishNotReadyAddresses is ${doc?.spec.publishNotReadyAddresses}, given ${input.publishNotReadyAddresses}`);
        }
        return problems;
      },
    };
  },
};
