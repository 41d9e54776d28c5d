/**
 * Name rules the Kubernetes API server enforces (k8s.io/apimachinery/pkg/util/validation).
 * Each function returns undefined when the value is valid, or the problem as a short phrase.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** RFC 1123 label: lowercase alphanumerics and '-', starts and ends alphanumeric, at most 63 characters. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty DNS-1123 label';
  if (value.length > 63) return 'must be at most 63 characters (DNS-1123 label)';
  if (!DNS1123_LABEL.test(value)) return 'must be a DNS-1123 label (lowercase alphanumerics and \'-\', starting and ending with an alphanumeric)';
  return undefined;
}

/** RFC 1035 label (Service names): like a DNS-1123 label but starting with a letter. */
export function dns1035LabelProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty DNS-1035 label';
  if (value.length > 63) return 'must be at most 63 characters (DNS-1035 label)';
  if (!DNS1035_LABEL.test(value)) return 'must be a DNS-1035 label (lowercase alphanumerics and \'-\', starting with a letter and ending with an alphanumeric)';
  return undefined;
}

/** RFC 1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty DNS-1123 subdomain';
  if (value.length > 253) return 'must be at most 253 characters (DNS-1123 subdomain)';
  if (!DNS1123_SUBDOMAIN.test(value)) return 'must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', each label starting and ending with an alphanumeric)';
  return undefined;
}

/**
 * IANA service name (container and Service port names): at most 15 characters, lowercase
 * alphanumerics and '-', at least one letter, no leading, trailing or doubled '-'.
 */
export function ianaServiceNameProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty IANA service name';
  if (value.length > 15) return 'must be at most 15 characters (IANA service name)';
  if (!IANA_SVC_NAME.test(value)) return 'must be an IANA service name (lowercase alphanumerics and \'-\', starting and ending with an alphanumeric)';
  if (value.includes('--')) return 'must not contain \'--\' (IANA service name)';
  if (!/[a-z]/.test(value)) return 'must contain at least one letter (IANA service name)';
  return undefined;
}

/**
 * Label keys found valid, remembered (at most MAX_VALID_LABEL_KEYS): a few keys (`app`,
 * `cdk8s.io/metadata.addr`) come back for every Service, NetworkPolicy and workload.
 */
const VALID_LABEL_KEYS = new Set<string>();
const MAX_VALID_LABEL_KEYS = 1024;

/**
 * A label key, or another qualified name of the same form (an annotation key, a
 * `loadBalancerClass`; `noun` names it in the message): optional DNS-1123 subdomain prefix (at
 * most 253) + '/' + name (at most 63).
 */
export function labelKeyProblem(key: string, noun = 'label key'): string | undefined {
  if (VALID_LABEL_KEYS.has(key)) return undefined;
  if (typeof key !== 'string' || key.length === 0) return `must be a non-empty ${noun}`;
  const parts = key.split('/');
  if (parts.length > 2) return 'must be a qualified name with at most one \'/\'';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefixProblem = dns1123SubdomainProblem(parts[0]);
    if (prefixProblem) return `must have a prefix that ${prefixProblem}`;
  }
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1 to 63 characters';
  if (!QUALIFIED_NAME.test(name)) return 'must have a name part of alphanumerics, \'-\', \'_\' and \'.\', starting and ending with an alphanumeric';
  if (VALID_LABEL_KEYS.size < MAX_VALID_LABEL_KEYS) VALID_LABEL_KEYS.add(key);
  return undefined;
}

/** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric. */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return 'must be a string label value';
  if (value.length > 63) return 'must be at most 63 characters (label value)';
  if (!LABEL_VALUE.test(value)) return 'must be a label value (alphanumerics, \'-\', \'_\' and \'.\', starting and ending with an alphanumeric)';
  return undefined;
}
