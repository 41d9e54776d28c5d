/**
 * The known keys of every props struct (the lists behind the "unknown key" refusal) are the
 * struct's properties in the jsii assembly, inherited ones included: the lists cannot drift from
 * the interfaces (the compiler already refuses a missing or extra key in each `structKeys` call;
 * this test ties each list to the name the messages use, and finds structs without a list).
 *
 * Reads `.jsii`, which `npx projen compile` writes (the build compiles before it tests).
 */
import * as fs from 'fs';
import * as path from 'path';
import '../src';
import { STRUCT_KEYS } from '../src/core/errors';

interface JsiiType {
  readonly kind: string;
  readonly name: string;
  readonly datatype?: boolean;
  readonly properties?: { readonly name: string }[];
  readonly interfaces?: string[];
}

const ASSEMBLY = path.join(__dirname, '..', '.jsii');

/**
 * Structs the library never receives as a props object of its own (bases that only exist to be
 * extended, and records it hands out).
 */
const WITHOUT_KEY_LIST = new Set([
  'ExposureProps', 'ExternalExposureProps', 'ServiceExposureProps', 'HostWorkloadProps', 'LoadBalancerServiceBaseProps',
  'AccessPoint', 'AccessGuideEntry',
]);

function loadStructs(): Map<string, string[]> {
  if (!fs.existsSync(ASSEMBLY)) {
    throw new Error(`${ASSEMBLY} is missing: run \`npx projen compile\` first (the build does).`);
  }
  const types: { [fqn: string]: JsiiType } = JSON.parse(fs.readFileSync(ASSEMBLY, 'utf-8')).types;
  const propertiesOf = (fqn: string): string[] => {
    const type = types[fqn];
    if (!type) return [];
    return [...(type.properties ?? []).map((p) => p.name), ...(type.interfaces ?? []).flatMap(propertiesOf)];
  };
  const structs = new Map<string, string[]>();
  for (const [fqn, type] of Object.entries(types)) {
    if (type.kind === 'interface' && type.datatype) structs.set(type.name, [...new Set(propertiesOf(fqn))].sort());
  }
  return structs;
}

describe('the known keys of every props struct', () => {
  const structs = loadStructs();

  test.each([...STRUCT_KEYS.values()].map((k) => [k.struct, k]))('%s lists exactly the properties of the struct', (struct, keys) => {
    expect(structs.has(struct)).toBe(true);
    expect([...keys.keys].sort()).toStrictEqual(structs.get(struct));
  });

  test('every struct the library receives has a list', () => {
    const missing = [...structs.keys()].filter((s) => !STRUCT_KEYS.has(s) && !WITHOUT_KEY_LIST.has(s)).sort();
    expect(missing).toStrictEqual([]);
  });

  test('the exemptions are structs of the assembly, without a list', () => {
    for (const struct of WITHOUT_KEY_LIST) {
      expect({ struct, exists: structs.has(struct), listed: STRUCT_KEYS.has(struct) }).toStrictEqual({ struct, exists: true, listed: false });
    }
  });
});
