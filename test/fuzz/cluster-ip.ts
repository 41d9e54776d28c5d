/**
 * Fuzz generator of ClusterIpService.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { anyNamespace, anySelector, anyServiceName, invalidIp, makeSelector, sometimes, validIp, validSelector, validServiceName } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { anyServicePorts, dropUndefined, serviceDocOf, serviceInvariants, validServicePorts } from './services';
import { ClusterIpService } from '../../src/service/cluster-ip';

interface Input {
  readonly selector: any;
  readonly ports: any;
  readonly clusterIP?: any;
  readonly name?: any;
  readonly namespace?: any;
}

const valid: fc.Arbitrary<Input> = fc.record({
  selector: validSelector,
  ports: validServicePorts(false),
  clusterIP: sometimes(validIp),
  name: sometimes(validServiceName),
}).map(dropUndefined);

const edgy: fc.Arbitrary<Input> = fc.record({
  selector: anySelector,
  // A nodePort on a ClusterIP Service is an error: sometimes give one.
  ports: anyServicePorts('rarely'),
  clusterIP: sometimes(fc.oneof({ weight: 2, arbitrary: validIp }, { weight: 1, arbitrary: invalidIp })),
  name: sometimes(anyServiceName),
  namespace: anyNamespace,
}).map(dropUndefined);

export const clusterIpFuzzer: PatternFuzzer<Input> = {
  className: 'ClusterIpService',
  input: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: edgy }),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: Input, caller): Built {
    const made = makeSelector(scope, id, input.selector, input.namespace ?? scope.namespace ?? 'default', input.ports);
    const svc = new ClusterIpService(scope, id, caller({ ...input, selector: made.selector }));
    return {
      construct: svc,
      check: (docs) => {
        const problems = serviceInvariants(svc, { type: 'ClusterIP', ports: input.ports, made, name: input.name }, docs);
        const doc = serviceDocOf(svc, docs);
        if (doc?.spec.clusterIP !== input.clusterIP) problems.push(`spec.clusterIP is ${doc?.spec.clusterIP}, given ${input.clusterIP}`);
        if (svc.clusterIP !== input.clusterIP) problems.push(`clusterIP field is ${svc.clusterIP}, given ${input.clusterIP}`);
        return problems;
      },
    };
  },
};
