/**
 * The Checker's generic rules: one wording per rule, in the library's format
 * `[<path>] <Class>: <prop> <problem>; got <value>. <fix>`, for whatever a JavaScript caller passes.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkExposedService, checkPodSelector } from '../src/core/checks';
import { Checker, closestKey, describeValue, structKeys } from '../src/core/errors';

interface SampleProps {
  readonly allowFrom?: string[];
  readonly loadBalancerSourceRanges?: string[];
  readonly port: number;
}

const SAMPLE_PROPS = structKeys<SampleProps>('SampleProps', { allowFrom: true, loadBalancerSourceRanges: true, port: true });

enum Colour {
  RED = 'red',
  GREEN = 'green',
  BLUE = 'blue',
}

function checker(): Checker {
  return new Checker(new Construct(Testing.chart(), 'Thing'), 'Thing');
}

describe('Checker', () => {
  const check = checker();

  test('fail and problem keep the one format', () => {
    expect(() => check.fail('port', 'must be even', 3, 'Use 4.')).toThrow(/^\[test\/Thing\] Thing: port must be even; got 3\. Use 4\.$/);
    expect(check.problem('port', 'must be even', 3, 'Use 4.')).toBe('Thing: port must be even; got 3. Use 4.');
  });

  describe('props and structs', () => {
    test('accepts the known keys, inherited or not, and returns the object', () => {
      const props = { port: 80, allowFrom: [] };
      expect(check.props(props, SAMPLE_PROPS)).toBe(props);
    });

    test('fails if a key is misspelt, and says which one was meant', () => {
      expect(() => check.props({ port: 80, allowfrom: ['x'] } as any, SAMPLE_PROPS)).toThrow(
        '[test/Thing] Thing: allowfrom is not a property of SampleProps; got ["x"]. Did you mean allowFrom? A misspelt property is refused '
        + 'rather than ignored; the properties are: allowFrom, loadBalancerSourceRanges, port.');
      expect(() => check.props({ port: 80, loadBalancerSourceRange: ['10.0.0.0/8'] } as any, SAMPLE_PROPS))
        .toThrow(/loadBalancerSourceRange is not a property of SampleProps; got \["10\.0\.0\.0\/8"\]\. Did you mean loadBalancerSourceRanges\? /);
    });

    test('fails if a key is unknown and close to none, without a guess', () => {
      expect(() => check.props({ port: 80, colour: 'red' } as any, SAMPLE_PROPS))
        .toThrow(/: colour is not a property of SampleProps; got "red"\. A misspelt property is refused/);
    });

    test('fails if a key is not an identifier: the prop is written as an index', () => {
      expect(() => check.props({ 'port-number': 80 } as any, SAMPLE_PROPS)).toThrow(/: props\["port-number"\] is not a property of SampleProps; got 80\. /);
      expect(() => check.struct('ports[0]', { 'a b': 1 } as any, SAMPLE_PROPS)).toThrow(/: ports\[0\]\["a b"\] is not a property of SampleProps/);
    });

    test('fails if a struct in a list has an unknown key: the path names the entry', () => {
      expect(() => check.structList('items', [{ port: 1 }, { prot: 2 }] as any, SAMPLE_PROPS, { noun: 'item', fix: 'Fix it.' }))
        .toThrow(/: items\[1\]\.prot is not a property of SampleProps; got 2\. Did you mean port\? /);
    });

    test('fails if the props object is missing or not an object', () => {
      for (const value of [undefined, null, 'port', 80, [1]]) {
        expect(() => check.props(value as any, SAMPLE_PROPS)).toThrow(/: props must be a SampleProps object; got .*\. Pass an object with the SampleProps properties: allowFrom, loadBalancerSourceRanges, port\.$/);
      }
    });

    test('an optional props object may be left out', () => {
      expect(check.props(undefined, SAMPLE_PROPS, false)).toBeUndefined();
    });

    test('a guess needs to be close: a case change, a prefix or a couple of edits', () => {
      expect(closestKey('ALLOWFROM', ['allowFrom', 'port'])).toBe('allowFrom');
      expect(closestKey('nodePorts', ['nodePort', 'port'])).toBe('nodePort');
      expect(closestKey('tragetPort', ['targetPort', 'port'])).toBe('targetPort');
      expect(closestKey('zzzz', ['allowFrom', 'port'])).toBeUndefined();
    });
  });

  describe('booleans', () => {
    test('accepts true, false and undefined', () => {
      expect(check.boolean('enabled', true)).toBe(true);
      expect(check.boolean('enabled', false)).toBe(false);
      expect(check.boolean('enabled', undefined)).toBeUndefined();
    });

    test('fails if a boolean is a string, a number or null', () => {
      expect(() => check.boolean('enabled', 'true' as any)).toThrow('[test/Thing] Thing: enabled must be a boolean; got "true". Pass true or false, or omit enabled.');
      expect(() => check.boolean('enabled', 1 as any)).toThrow(/enabled must be a boolean; got 1\./);
      expect(() => check.boolean('enabled', null as any)).toThrow(/enabled must be a boolean; got null\./);
    });
  });

  describe('strings', () => {
    test('fails if a string is a number', () => {
      expect(() => check.string('name', 80 as any, 'Use a name.')).toThrow('[test/Thing] Thing: name must be a string; got 80. Use a name.');
    });

    test('fails if a non-empty string is blank', () => {
      expect(() => check.string('key', '  ', 'Use a key.', true)).toThrow('Thing: key must be a non-empty string; got "  ". Use a key.');
      expect(check.string('key', 'dns', 'Use a key.', true)).toBe('dns');
    });
  });

  describe('integers', () => {
    test('accepts both ends of the range', () => {
      expect(check.integer('port', 1, { min: 1, max: 65535 }, 'Fix.')).toBe(1);
      expect(check.integer('port', 65535, { min: 1, max: 65535 }, 'Fix.')).toBe(65535);
    });

    test.each([0, 65536, 1.5, NaN, Infinity, '80', null])('fails if an integer is %p', (value) => {
      expect(() => check.integer('port', value as any, { min: 1, max: 65535 }, 'Use a port.'))
        .toThrow(/^\[test\/Thing\] Thing: port must be an integer within 1-65535; got .+\. Use a port\.$/);
    });

    test('the problem may say more about the range', () => {
      expect(() => check.integer('blockSize', 19, { min: 20, max: 32 }, 'Fix.', ' for an IPv4 pool'))
        .toThrow('blockSize must be an integer within 20-32 for an IPv4 pool; got 19. Fix.');
    });
  });

  describe('enums', () => {
    test('accepts a member, and undefined', () => {
      expect(check.enumValue('colour', Colour.RED, Colour, 'Colour')).toBe(Colour.RED);
      expect(check.enumValue('colour', undefined, Colour, 'Colour')).toBeUndefined();
    });

    test('fails if a value is outside the enum, with the members in the fix', () => {
      expect(() => check.enumValue('colour', 'Red' as Colour, Colour, 'Colour'))
        .toThrow('[test/Thing] Thing: colour must be a Colour; got "Red". Use Colour.RED, Colour.GREEN or Colour.BLUE.');
    });

    test('fails if a member is not allowed here, with only the allowed ones in the fix', () => {
      expect(() => check.enumValue('colour', Colour.BLUE, Colour, 'Colour', { allowed: [Colour.RED, Colour.GREEN], problem: 'must be warm', extraFix: ', or omit colour' }))
        .toThrow('Thing: colour must be warm; got "blue". Use Colour.RED or Colour.GREEN, or omit colour.');
    });

    test('works on the enums of cdk8s-plus', () => {
      expect(() => check.enumValue('protocol', 'ICMP' as kplus.Protocol, kplus.Protocol, 'kplus.Protocol'))
        .toThrow('protocol must be a kplus.Protocol; got "ICMP". Use kplus.Protocol.TCP, kplus.Protocol.UDP or kplus.Protocol.SCTP.');
    });
  });

  describe('lists', () => {
    const options = { noun: 'port', minLength: 1, fix: 'Pass e.g. [80].' };

    test('accepts a list of entries', () => {
      expect(check.list('ports', [80, 443], options)).toStrictEqual([80, 443]);
    });

    test('fails if a list is not an array', () => {
      expect(() => check.list('ports', 80 as any, options)).toThrow('[test/Thing] Thing: ports must be a list of ports; got 80. Pass e.g. [80].');
      expect(() => check.list('ports', { 0: 80 } as any, options)).toThrow(/ports must be a list of ports; got \{"0":80\}\./);
    });

    test('fails if a list is shorter than its minimum, saying why when the reason is given', () => {
      expect(() => check.list('ports', [], options)).toThrow('Thing: ports must list at least one port; got []. Pass e.g. [80].');
      expect(() => check.list('peers', [], { noun: 'peer', minLength: 1, emptyReason: ' (an empty list would deny every source)', fix: 'Omit it.' }))
        .toThrow('Thing: peers must list at least one peer (an empty list would deny every source); got []. Omit it.');
    });

    test('fails if an entry is null or undefined, with its index', () => {
      expect(() => check.list('ports', [80, null] as any, options)).toThrow('[test/Thing] Thing: ports[1] must be a port, not null; got null. Remove the empty entry from ports.');
      expect(() => check.list('ports', [undefined] as any, options)).toThrow('Thing: ports[0] must be a port, not undefined; got undefined. Remove the empty entry from ports.');
    });
  });

  describe('maps of strings', () => {
    test('fails if a map is a string, an array or a construct, or a value is not a string', () => {
      const fix = 'Pass e.g. { zone: "a" }.';
      expect(() => check.stringMap('labels', 'zone=a' as any, fix)).toThrow('Thing: labels must be a map of strings; got "zone=a". Pass e.g. { zone: "a" }.');
      expect(() => check.stringMap('labels', ['a'] as any, fix)).toThrow(/labels must be a map of strings; got \["a"\]\./);
      expect(() => check.stringMap('labels', { zone: 1 } as any, fix)).toThrow('Thing: labels["zone"] must be a string; got 1. ');
      expect(check.stringMap('labels', { zone: 'a' }, fix)).toStrictEqual({ zone: 'a' });
    });

    test('a label map refuses a key on the map and a value under its key, each with its own fix', () => {
      const fixes = { map: 'Pass a map.', key: 'Use a label key.', value: 'Use a label value.' };
      expect(() => check.labelMap('nodeSelector', 'rack=a' as any, fixes)).toThrow('Thing: nodeSelector must be a map of strings; got "rack=a". Pass a map.');
      expect(() => check.labelMap('nodeSelector', { 'bad key': 'a' }, fixes)).toThrow(/^\[test\/Thing\] Thing: nodeSelector has a key that .*; got "bad key"\. Use a label key\.$/);
      expect(() => check.labelMap('nodeSelector', { rack: '-a' }, fixes)).toThrow(/^\[test\/Thing\] Thing: nodeSelector\["rack"\] must be a label value .*; got "-a"\. Use a label value\.$/);
      expect(check.labelMap('nodeSelector', { 'topology.kubernetes.io/zone': 'z1' }, fixes)).toStrictEqual({ 'topology.kubernetes.io/zone': 'z1' });
    });
  });

  describe('entries given twice', () => {
    test('one wording: <prop> duplicates <earlier prop>, and what refuses it when given', () => {
      expect(() => check.duplicate('ports[1].name', 'ports[0].name', 'http', 'Rename one.')).toThrow('[test/Thing] Thing: ports[1].name duplicates ports[0].name; got "http". Rename one.');
      expect(() => check.duplicate('values[1]', 'values[0]', 'a', 'List it once.', ', which MetalLB refuses'))
        .toThrow('[test/Thing] Thing: values[1] duplicates values[0], which MetalLB refuses; got "a". List it once.');
    });
  });

  describe('constructs and interfaces', () => {
    test('type refuses a value of the wrong type in the one wording, and passes a right one through', () => {
      expect(() => check.type('flavour', 'ingress', false, 'RouteFlavour', 'Pass RouteFlavour.ingress().'))
        .toThrow('[test/Thing] Thing: flavour must be a RouteFlavour; got "ingress". Pass RouteFlavour.ingress().');
      expect(() => check.type('backend', 42, false, 'IExposedService', 'Wrap it.')).toThrow('Thing: backend must be an IExposedService; got 42. Wrap it.');
      expect(check.type('flavour', 'x', true, 'RouteFlavour', 'unused')).toBe('x');
    });

    test('fails if a plain object or a string stands where a construct is expected', () => {
      const fix = 'Pass a Construct.';
      expect(() => check.instance('scope', { node: {} } as any, Construct, 'Construct', fix)).toThrow('Thing: scope must be a Construct; got {"node":{}}. Pass a Construct.');
      expect(() => check.instance('scope', 'Web' as any, Construct, 'Construct', fix)).toThrow('Thing: scope must be a Construct; got "Web". ');
      const real = new Construct(Testing.chart(), 'Real');
      expect(check.instance('scope', real, Construct, 'Construct', fix)).toBe(real);
    });

    test('fails if a plain object, a string or a label map stands where a kplus.IPodSelector is expected', () => {
      for (const selector of [{ app: 'web' }, 'app=web', { toPodSelectorConfig: 'x' }, { toPodSelectorConfig: () => ({}) }, null]) {
        expect(() => checkPodSelector(check, 'selector', selector as any)).toThrow(
          /^\[test\/Thing\] Thing: selector must be a kplus\.IPodSelector; got .*\. Pass the workload \(a kplus\.Deployment, or one of this library's apps\) or kplus\.Pods\.select/);
      }
      const chart = Testing.chart();
      const pods = kplus.Pods.select(chart, 'Pods', { labels: { app: 'web' } });
      expect(checkPodSelector(check, 'selector', pods)).toBe(pods);
    });

    test('fails if a string or an incomplete object stands where an IExposedService is expected', () => {
      for (const service of ['web', { serviceName: 'web' }, null, 42]) {
        expect(() => checkExposedService(check, 'backend', service as any))
          .toThrow(/^\[test\/Thing\] Thing: backend must be an IExposedService; got .*\. Wrap a kplus\.Service with ExposedService\.fromService\(svc\)/);
      }
    });

    test('names a construct by its path, not its JSON', () => {
      const chart = Testing.chart();
      expect(() => checkExposedService(check, 'backend', new Construct(chart, 'Web') as any)).toThrow(/got "test\/Web"\./);
      expect(describeValue(new Construct(chart, 'Other'))).toBe('the construct [test/Other]');
    });
  });

  describe('describeValue never throws', () => {
    test.each([
      ['a string', 'x', '"x"'],
      ['undefined', undefined, 'undefined'],
      ['a BigInt', 5n, '5'],
      ['a symbol', Symbol('s'), 'Symbol(s)'],
      ['a function', function named() {}, 'a function (named)'],
      ['NaN', NaN, 'NaN'],
    ])('%s', (_, value, text) => {
      expect(describeValue(value)).toBe(text);
    });

    test('a cycle, an object whose toString throws, a long value', () => {
      const cycle: any = {};
      cycle.self = cycle;
      expect(describeValue(cycle)).toBe('[object Object]');
      const hostile = Object.create(null);
      hostile.self = hostile;
      expect(describeValue(hostile)).toBe('[object Object]');
      expect(describeValue('x'.repeat(300))).toMatch(/^"x{199}\.\.\.$/);
    });
  });
});
