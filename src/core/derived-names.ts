/**
 * The name rule of every kind of object this library creates, checked on the name the object
 * ends up with: the one the user gave, or the one cdk8s derives from the construct path
 * (`Chart.generateObjectName`: the path's ids lowercased, characters outside `[a-z0-9-_.]`
 * dropped, joined with '-', plus a hash). A derived name is only as valid as the ids it comes
 * from: a chart id starting with a digit gives a Service name that is not a DNS-1035 label, an
 * id with '_' gives a name no kind accepts, an id with '.' a name that is not a label.
 *
 * Rules (k8s.io/apimachinery/pkg/api/validation, pkg/apis/core/validation, rbac/validation):
 * - Service: DNS-1035 label (`ValidateServiceName`);
 * - Namespace: DNS-1123 label;
 * - every other kind, custom resources included (Calico, MetalLB, Traefik, Gateway API): a
 *   DNS-1123 subdomain (`NameIsDNSSubdomain`; the apiextensions server applies it to every CR).
 *   RBAC objects are held to it too, although the API server only asks them for a path segment
 *   name (`ValidateRBACName`): kubectl, Helm and most tools expect subdomain names.
 */
import { ApiObject } from 'cdk8s';
import { Checker } from './errors';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from './names';

/** What rule a name of the kind follows, as a short noun for messages. */
export type NameRule = 'DNS-1035 label' | 'DNS-1123 label' | 'DNS-1123 subdomain';

/** The name rule of `<apiGroup>/<kind>` (cdk8s spells the core group `core`). */
export function nameRuleOf(apiGroup: string, kind: string): NameRule {
  if (apiGroup === 'core' && kind === 'Service') return 'DNS-1035 label';
  if (apiGroup === 'core' && kind === 'Namespace') return 'DNS-1123 label';
  return 'DNS-1123 subdomain';
}

/** The problem of `name` under `rule`, undefined when it is valid. */
export function nameProblem(rule: NameRule, name: string): string | undefined {
  switch (rule) {
    case 'DNS-1035 label': return dns1035LabelProblem(name);
    case 'DNS-1123 label': return dns1123LabelProblem(name);
    default: return dns1123SubdomainProblem(name);
  }
}

/** The fix for a derived name that breaks its kind's rule. */
function derivedNameFix(rule: NameRule, prop: string): string {
  const first = rule === 'DNS-1035 label' ? ' (the first id of the path starting with a letter)' : '';
  return `Without an explicit ${prop}, cdk8s derives the name from the construct path (chart and construct ids, lowercased): `
    + `use ids of letters, digits and '-' only${first}, or pass a valid ${prop}.`;
}

/**
 * Throws the library's error when the object's name, given or derived by cdk8s, breaks the name
 * rule of its kind. Called for every object a pattern creates (by `claimObjectName`).
 *
 * @param prop the prop the name comes from (`name`, `poolName`, ...), reported in the error
 */
export function checkObjectName(check: Checker, prop: string, apiObject: ApiObject): void {
  const rule = nameRuleOf(apiObject.apiGroup, apiObject.kind);
  const problem = nameProblem(rule, apiObject.name);
  if (problem) {
    check.fail(prop, `gives the ${apiObject.kind} a name that ${problem}`, apiObject.name, derivedNameFix(rule, prop));
  }
}
