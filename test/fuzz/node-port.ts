/**
 * Fuzz generator of NodePortService.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { anyNamespace, anySelector, anyServiceName, makeSelector, sometimes, validSelector, validServiceName } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { anyServicePorts, dropUndefined, serviceDocOf, serviceInvariants, validServicePorts } from './services';
import { NodePortService } from '../../src/service/node-port';
import { ExternalTrafficPolicy, NodePortRange } from '../../src/service/service-vocabulary';

interface Input {
  readonly selector: any;
  readonly ports: any;
  readonly externalTrafficPolicy?: any;
  readonly nodePortRange?: any;
  readonly name?: any;
  readonly namespace?: any;
}

const validRange = fc.constantFrom<NodePortRange>(
  { min: 30000, max: 32767 }, { min: 30000, max: 30001 }, { min: 20000, max: 40000 }, { min: 1, max: 65535 },
);
const anyRange = fc.oneof<any>(
  { weight: 4, arbitrary: validRange },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { min: 32767, max: 30000 }, { min: 0, max: 32767 }, { min: 30000, max: 65536 },
      { min: 30000.5, max: 32767 }, { min: NaN, max: 32767 }, {}, null,
    ),
  },
);
const anyPolicy = fc.oneof<any>(
  { weight: 6, arbitrary: fc.constantFrom(undefined, ExternalTrafficPolicy.CLUSTER, ExternalTrafficPolicy.LOCAL) },
  { weight: 1, arbitrary: fc.constantFrom('local', 'Foo', '') },
);

const valid: fc.Arbitrary<Input> = fc.record({
  selector: validSelector,
  ports: validServicePorts(true),
  externalTrafficPolicy: fc.constantFrom(undefined, ExternalTrafficPolicy.CLUSTER, ExternalTrafficPolicy.LOCAL),
  name: sometimes(validServiceName),
}).map(dropUndefined);

const edgy: fc.Arbitrary<Input> = fc.record({
  selector: anySelector,
  ports: anyServicePorts('often'),
  externalTrafficPolicy: anyPolicy,
  nodePortRange: sometimes(anyRange, 4),
  name: sometimes(anyServiceName),
  namespace: anyNamespace,
}).map(dropUndefined);

export const nodePortFuzzer: PatternFuzzer<Input> = {
  className: 'NodePortService',
  input: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: edgy }),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: Input, caller): Built {
    const made = makeSelector(scope, id, input.selector, input.namespace ?? scope.namespace ?? 'default', input.ports);
    const svc = new NodePortService(scope, id, caller({ ...input, selector: made.selector }));
    return {
      construct: svc,
      check: (docs) => {
        const problems = serviceInvariants(svc, { type: 'NodePort', ports: input.ports, made, name: input.name }, docs);
        const range = svc.nodePortRange;
        for (const p of input.ports as any[]) {
          if (p.nodePort !== undefined && !(p.nodePort >= range.min && p.nodePort <= range.max)) {
            problems.push(`nodePort ${p.nodePort} is outside ${range.min}-${range.max}`);
          }
        }
        if (input.nodePortRange === undefined && (range.min !== 30000 || range.max !== 32767)) problems.push(`default nodePortRange is ${JSON.stringify(range)}`);
        const doc = serviceDocOf(svc, docs);
        if (doc?.spec.externalTrafficPolicy !== input.externalTrafficPolicy) {
          problems.push(`spec.externalTrafficPolicy is ${doc?.spec.externalTrafficPolicy}, given ${input.externalTrafficPolicy}`);
        }
        return problems;
      },
    };
  },
};
