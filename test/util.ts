/**
 * Test helpers: synthesize, validate every document against the schemas, pick objects by kind
 * and name.
 *
 * Core kinds are checked twice: by kubernetes-models (types, required fields, formats) and
 * against the Kubernetes 1.27 OpenAPI attribute maps shipped in @kubernetes/client-node 0.19
 * (every field must be one a 1.27 API server knows: an unknown or misspelt field fails).
 * Custom resources are checked with ajv against the `openAPIV3Schema` of the vendored upstream
 * CRDs in crds/ (unknown fields refused unless the schema preserves them).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, labelKeyProblem, labelValueProblem } from '../src/core/names';

// ---------------------------------------------------------------------------------------------
// Synthesis
// ---------------------------------------------------------------------------------------------

/**
 * Runs every `node.addValidation` check under `scope`, as `App.synth()` does, and throws the
 * same message cdk8s would (`[path] message`).
 */
export function validateTree(scope: IConstruct): void {
  const errors: string[] = [];
  for (const child of scope.node.findAll()) {
    for (const error of child.node.validate()) {
      errors.push(`[${child.node.path}] ${error}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/** The error `fn` throws; fails the test when it throws none. */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/**
 * Synthesizes one chart (after the App-wide validations of its App) and validates every document.
 */
export function synthChart(chart: Chart): any[] {
  validateTree(chart.node.root);
  const docs = Testing.synth(chart);
  expectValidManifests(docs);
  return docs;
}

/**
 * Synthesizes every chart of an App and validates every document.
 */
export function synthApp(app: App): any[] {
  validateTree(app);
  const docs = app.charts.flatMap((c) => Testing.synth(c));
  expectValidManifests(docs);
  return docs;
}

/** Serializes documents the way `cdk8s synth` writes them. */
export function toYaml(docs: any[]): string {
  return docs.map((d) => YAML.stringify(d, { lineWidth: 0 })).join('---\n');
}

/** All documents of a kind. */
export function findAll(docs: any[], kind: string): any[] {
  return docs.filter((d) => d.kind === kind);
}

/**
 * The one document of `kind` (and `name`, when given). Fails when there is none or more than one.
 */
export function find(docs: any[], kind: string, name?: string): any {
  const matches = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (matches.length !== 1) {
    const present = docs.map((d) => `${d.kind}/${d.metadata?.name}`).join(', ');
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${matches.length} among: ${present}`);
  }
  return matches[0];
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Throws with every problem of every document. */
export function expectValidManifests(docs: any[]): void {
  const problems = docs.flatMap((doc) => validateManifest(doc).map((p) => `${doc?.kind}/${doc?.metadata?.name}: ${p}`));
  if (problems.length > 0) {
    throw new Error(`invalid manifests:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * The problems of one document (empty when a 1.27 API server with the vendored CRDs would accept it,
 * as far as schemas and name rules can tell).
 */
export function validateManifest(doc: any): string[] {
  if (!doc || typeof doc !== 'object') return ['not an object'];
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind are required'];
  const problems = metadataProblems(doc);
  const crd = crdValidator(apiVersion, kind);
  if (crd) {
    if (!crd(doc)) {
      problems.push(...(crd.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${(e.params as any).additionalProperty})` : ''}`));
    }
    problems.push(...strictProblems(doc.metadata, 'V1ObjectMeta', '/metadata'));
    return problems;
  }
  const model = coreModel(apiVersion, kind);
  if (!model) return [...problems, `no schema known for ${apiVersion} ${kind}`];
  try {
    new model.Model(doc).validate();
  } catch (e: any) {
    problems.push(`schema: ${e.message}`);
  }
  problems.push(...strictProblems(doc, model.typeName, ''));
  return problems;
}

function metadataProblems(doc: any): string[] {
  const problems: string[] = [];
  const meta = doc.metadata;
  if (!meta || typeof meta !== 'object') return ['metadata is required'];
  if (typeof meta.name !== 'string') {
    problems.push('metadata.name is required');
  } else {
    // Services, Namespaces use DNS labels; most other kinds DNS subdomains.
    const nameRule = doc.kind === 'Service' ? dns1035LabelProblem : doc.kind === 'Namespace' ? dns1123LabelProblem : dns1123SubdomainProblem;
    const problem = nameRule(meta.name);
    if (problem) problems.push(`metadata.name ${problem}: ${meta.name}`);
  }
  if (meta.namespace !== undefined) {
    const problem = dns1123LabelProblem(meta.namespace);
    if (problem) problems.push(`metadata.namespace ${problem}: ${meta.namespace}`);
  }
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value as string);
    if (problem) problems.push(`metadata.labels ${key}=${value}: ${problem}`);
  }
  for (const key of Object.keys(meta.annotations ?? {})) {
    const problem = labelKeyProblem(key);
    if (problem) problems.push(`metadata.annotations ${key}: ${problem}`);
  }
  return problems;
}

// --- core kinds ------------------------------------------------------------------------------

interface CoreModel {
  readonly Model: new (data: any) => { validate(): void };
  readonly typeName: string;
}

const coreModels = new Map<string, CoreModel | undefined>();

function coreModel(apiVersion: string, kind: string): CoreModel | undefined {
  const key = `${apiVersion}/${kind}`;
  if (coreModels.has(key)) return coreModels.get(key);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  let result: CoreModel | undefined;
  try {
    // Dynamic: the module path is built from apiVersion and kind.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`);
    const typeName = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
    if (mod[kind] && clientModels()[typeName]) {
      result = { Model: mod[kind], typeName };
    }
  } catch {
    result = undefined;
  }
  coreModels.set(key, result);
  return result;
}

let models: { [name: string]: { attributeTypeMap: { name: string; baseName: string; type: string }[] } } | undefined;

function clientModels() {
  if (!models) {
    // Only the generated models: the package's index would load its HTTP client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    models = require('@kubernetes/client-node/dist/gen/model/models');
  }
  return models!;
}

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'Date', 'object', 'any', 'IntOrString', 'RequestFile']);

/**
 * Every field of `value` must be a field of the 1.27 type `typeName`.
 */
function strictProblems(value: any, typeName: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    if (!Array.isArray(value)) return [`${where} must be an array`];
    return value.flatMap((item, i) => strictProblems(item, array[1], `${where}/${i}`));
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    if (typeof value !== 'object') return [`${where} must be a map`];
    return Object.entries(value).flatMap(([k, v]) => strictProblems(v, map[1], `${where}/${k}`));
  }
  if (PRIMITIVES.has(typeName)) return [];
  const model = clientModels()[typeName];
  if (!model) return [`${where}: no 1.27 type ${typeName}`];
  if (typeof value !== 'object' || Array.isArray(value)) return [`${where} must be an object (${typeName})`];
  const fields = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childType = fields.get(key);
    if (!childType) {
      problems.push(`${where}/${key}: unknown field (not in Kubernetes 1.27 ${typeName})`);
    } else {
      problems.push(...strictProblems(child, childType, `${where}/${key}`));
    }
  }
  return problems;
}

// --- custom resources ------------------------------------------------------------------------

const CRD_DIR = path.join(__dirname, '..', 'crds');
let crdSchemas: Map<string, any> | undefined;
const crdValidators = new Map<string, ValidateFunction>();
// CRD patterns are Go regular expressions: translate the inline case-insensitive flag `(?i)`,
// which JavaScript rejects, into the `i` flag.
const goRegExp = Object.assign((pattern: string, flags: string) => {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.split('(?i)').join(''), insensitive ? `${flags}i` : flags);
}, { code: 'new RegExp' });
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, code: { regExp: goRegExp as any } });
addFormats(ajv);
ajv.addFormat('cidr', /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/);
// Integer formats bound the value (a CRD's `format: int32` field cannot hold more, whatever the
// upstream Go type is); the others are accepted as they come.
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
for (const format of ['float', 'double', 'byte', 'binary', 'password']) {
  ajv.addFormat(format, true);
}

function loadCrdSchemas(): Map<string, any> {
  if (crdSchemas) return crdSchemas;
  crdSchemas = new Map();
  for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const crd of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')).map((d) => d.toJSON())) {
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        if (version.served === false) continue;
        crdSchemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
      }
    }
  }
  return crdSchemas;
}

/** The served upstream CRD versions known to the harness, as `group/version/Kind`. */
export function knownCustomResources(): string[] {
  return [...loadCrdSchemas().keys()];
}

function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (!apiVersion.includes('/')) return undefined;
  const key = `${apiVersion}/${kind}`;
  const cached = crdValidators.get(key);
  if (cached) return cached;
  const schema = loadCrdSchemas().get(key);
  if (!schema) return undefined;
  const strict = toStrictSchema(schema, true);
  strict.properties = { ...strict.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
  const validate = ajv.compile(strict);
  crdValidators.set(key, validate);
  return validate;
}

/**
 * Converts a structural Kubernetes schema to plain JSON schema: int-or-string becomes anyOf,
 * objects with properties refuse unknown fields (the API server would prune them silently)
 * unless `x-kubernetes-preserve-unknown-fields` is set.
 */
function toStrictSchema(schema: any, root = false, branch = false): any {
  if (!schema || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => toStrictSchema(s));
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as any).map(([k, v]) => [k, toStrictSchema(v)]));
    } else if (['items', 'additionalProperties', 'not'].includes(key) && typeof value === 'object') {
      out[key] = toStrictSchema(value);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = (value as any[]).map((s) => toStrictSchema(s, false, true));
    } else if (!key.startsWith('x-kubernetes-')) {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }, ...(out.anyOf ?? [])];
  }
  // Branches of anyOf/allOf/oneOf only restrict values; the fields are declared next to them.
  if (!schema['x-kubernetes-preserve-unknown-fields'] && out.properties && out.additionalProperties === undefined && !root && !branch) {
    out.additionalProperties = false;
  }
  if (root && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}
