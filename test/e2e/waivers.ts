/**
 * The only fields the end-to-end suite removes before it creates objects with strict validation
 * on the lab's Kubernetes v1.20 API server. Every entry is one field, newer than 1.20 or read
 * differently by it, with the reason. Nothing else is waived: every other object is created
 * exactly as synthesized (or vendored) with `kubectl create --validate=strict` (kubectl >= 1.25)
 * or `--validate=true` (kubectl 1.20), so an unknown or misspelt field fails the suite.
 */

/** One waived field. */
export interface Waiver {
  /** The kind it applies to. */
  readonly kind: string;
  /** Only objects whose `metadata.name` matches (e.g. one CRD group). */
  readonly name?: RegExp;
  /** The key removed wherever it occurs in the object. */
  readonly key: string;
  /** Only when the value is this one (compared as JSON). */
  readonly value?: unknown;
  /** Why the lab cannot take it, and what a newer cluster does with it. */
  readonly reason: string;
}

export const WAIVERS: Waiver[] = [
  {
    kind: 'CustomResourceDefinition',
    key: 'x-kubernetes-validations',
    reason: 'CEL validation rules (apiextensions 1.23+; 1.20 rejects the field as unknown). The MetalLB, Traefik, '
      + 'Gateway API and Calico CRDs carry them; without them the lab does not enforce those rules, the unit tests '
      + 'check our objects against the full vendored schemas.',
  },
  {
    kind: 'CustomResourceDefinition',
    name: /\.(gateway\.networking\.k8s\.io|projectcalico\.org)$/,
    key: 'default',
    value: '',
    reason: '1.20 reads `default: ""` as null and refuses the CRD ("default: Invalid value: null"); newer API '
      + 'servers apply the empty-string default. Only in the Gateway API and Calico CRDs.',
  },
];

/** Removes the waived fields from one object (in place); returns what it removed. */
export function applyWaivers(obj: any): string[] {
  const removed: string[] = [];
  for (const w of WAIVERS) {
    if (obj?.kind !== w.kind || (w.name && !w.name.test(obj?.metadata?.name ?? ''))) continue;
    const walk = (node: any, path: string) => {
      if (node === null || typeof node !== 'object') return;
      for (const key of Object.keys(node)) {
        if (key === w.key && !Array.isArray(node) && (w.value === undefined || JSON.stringify(node[key]) === JSON.stringify(w.value))) {
          delete node[key];
          removed.push(`${path}.${key}`);
        } else {
          walk(node[key], `${path}.${key}`);
        }
      }
    };
    walk(obj, `${obj.kind}/${obj.metadata?.name}`);
  }
  return removed;
}
