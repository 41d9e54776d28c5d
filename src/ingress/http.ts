/**
 * HTTP routing rules shared by the route flavours (networking.k8s.io/v1 Ingress, Traefik
 * IngressRoute, Gateway API HTTPRoute): host and path checks, wildcard coverage, and the
 * Traefik rule expressions. Each `...Problem` function returns undefined when the value is
 * valid, or the problem as a short phrase (and a fix) for the library's message format.
 */
import { parseIp } from '../core/net';

/** A problem with a value, and how to fix it. */
export interface Problem {
  readonly problem: string;
  readonly fix: string;
}

/** The longest path the Gateway API accepts (HTTPRoute `matches[].path.value` maxLength). */
export const MAX_PATH_LENGTH = 1024;

/** The longest host name (RFC 1123, and every flavour's schema). */
export const MAX_HOST_LENGTH = 253;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The characters the Gateway API accepts in an `Exact` / `PathPrefix` path (RFC 3986 `pchar`
 * and '/'; '%' only as a percent-encoding). This also keeps backticks out of Traefik rules.
 */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Sequences every flavour refuses (or normalizes away) in a path: they break path-based isolation. */
const FORBIDDEN_SEQUENCES = ['//', '/./', '/../', '%2f', '#'];
const FORBIDDEN_SUFFIXES = ['/..', '/.'];

/** True for `*.example.com`. */
export function isWildcardHost(host: string): boolean {
  return host.startsWith('*.');
}

/**
 * Kubernetes refuses IP addresses as Ingress hosts (`net.ParseIPSloppy`, which also takes IPv4
 * octets with leading zeros); the Gateway API refuses them as hostnames.
 */
function looksLikeIp(host: string): boolean {
  if (parseIp(host)) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * A host as every flavour accepts it: a lowercase RFC 1123 DNS name (labels of at most 63
 * characters, at most 253 in all), not an IP address, optionally with one leading `*.` label.
 */
export function hostProblem(host: string): Problem | undefined {
  const example = 'Use a DNS name such as "nginx.example.com" or a wildcard such as "*.example.com".';
  if (typeof host !== 'string' || host.length === 0) {
    return { problem: 'must be a non-empty DNS name', fix: `${example} Omit host to match every host.` };
  }
  if (looksLikeIp(host)) {
    return {
      problem: 'must be a DNS name, not an IP address',
      fix: 'Routes match the HTTP Host header by name: omit host to match requests to any address, or use a DNS name that resolves to the ingress controller.',
    };
  }
  if (host.length > MAX_HOST_LENGTH) {
    return { problem: `must be at most ${MAX_HOST_LENGTH} characters`, fix: example };
  }
  if (host !== host.toLowerCase()) {
    return { problem: 'must be lowercase (RFC 1123 DNS name)', fix: `Use "${host.toLowerCase()}".` };
  }
  const wildcard = isWildcardHost(host);
  const labels = (wildcard ? host.slice(2) : host).split('.');
  if (host.includes('*')) {
    if (!wildcard || labels.some((l) => l.includes('*'))) {
      return {
        problem: 'may only contain a wildcard as its whole first label ("*.")',
        fix: 'Use "*.example.com" to match one label under example.com, or list the hosts one by one.',
      };
    }
  }
  for (const label of labels) {
    if (label.length > 63) {
      return { problem: 'must have labels of at most 63 characters (RFC 1123)', fix: example };
    }
    if (!LABEL.test(label)) {
      return {
        problem: 'must be a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', each label starting and ending with an alphanumeric)',
        fix: example,
      };
    }
  }
  return undefined;
}

/** Path types as the checks see them (the public enum's wire values). */
export type WirePathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

/**
 * A path as the flavours accept it. `Exact` and `Prefix` paths follow the strictest flavour
 * (the Gateway API's CEL rules, which include Kubernetes' Ingress rules), so switching flavour
 * never turns an accepted path into a rejected one. `ImplementationSpecific` paths (Ingress
 * only) keep Kubernetes' rules: absolute, and free of the path-traversal sequences.
 */
export function pathProblem(path: string, pathType: WirePathType): Problem | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    return { problem: 'must be an absolute path starting with \'/\'', fix: 'Use e.g. "/" or "/api".' };
  }
  if (path.length > MAX_PATH_LENGTH) {
    return { problem: `must be at most ${MAX_PATH_LENGTH} characters (Gateway API limit)`, fix: 'Route a shorter prefix.' };
  }
  const lower = path.toLowerCase();
  for (const sequence of FORBIDDEN_SEQUENCES) {
    if (lower.includes(sequence)) {
      return {
        problem: `must not contain '${sequence === '%2f' ? '%2F' : sequence}' (case-insensitive)`,
        fix: sequence === '#'
          ? 'A fragment is never sent to the server: remove it.'
          : 'Use the normalized path: ingress controllers and gateways refuse or normalize these sequences, which would bypass path-based routing.',
      };
    }
  }
  for (const suffix of FORBIDDEN_SUFFIXES) {
    if (path.endsWith(suffix)) {
      return { problem: `must not end with '${suffix}'`, fix: 'Use the normalized path.' };
    }
  }
  if (/[\s\u0000-\u001f\u007f`]/.test(path)) {
    return { problem: 'must not contain whitespace, control characters or backticks', fix: 'Percent-encode the character.' };
  }
  if (pathType === 'ImplementationSpecific') {
    return undefined;
  }
  if (!PATH_CHARS.test(path)) {
    return {
      problem: 'must only contain URL path characters (RFC 3986: A-Z a-z 0-9 - . _ ~ ! $ & \' ( ) * + , ; = : @ / and %XX)',
      fix: 'Percent-encode other characters.',
    };
  }
  if (path.endsWith('*')) {
    return pathType === 'Exact'
      ? {
        problem: 'ends with \'*\', which an Exact path matches literally, not as a wildcard',
        fix: `Use pathType PathType.PREFIX with "${trimWildcard(path)}" to match every path below it.`,
      }
      : {
        problem: 'ends with \'*\', which a Prefix path matches literally, not as a wildcard',
        fix: `Use "${trimWildcard(path)}": a Prefix path already matches every path below it.`,
      };
  }
  return undefined;
}

function trimWildcard(path: string): string {
  const trimmed = path.replace(/\/?\*+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * The path that identifies a route for conflict checks: Prefix paths match element-wise and
 * ignore a trailing '/', so `/api` and `/api/` are the same route.
 */
export function routeKeyPath(path: string, pathType: WirePathType): string {
  if (pathType === 'Prefix' && path.length > 1 && path.endsWith('/')) {
    return path.replace(/\/+$/, '') || '/';
  }
  return path;
}

/**
 * Whether the TLS name `tlsHost` covers the routed host `routeHost` (RFC 6125: a wildcard
 * covers exactly one leading label; a wildcard route host needs the same wildcard).
 */
export function tlsHostCovers(tlsHost: string, routeHost: string): boolean {
  if (tlsHost === routeHost) return true;
  if (!isWildcardHost(tlsHost) || isWildcardHost(routeHost)) return false;
  const suffix = tlsHost.slice(1); // ".example.com"
  if (!routeHost.endsWith(suffix)) return false;
  const label = routeHost.slice(0, routeHost.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The Traefik v3 matcher for a host: `Host()` for a name, `HostRegexp()` for a wildcard so that
 * it matches exactly one label like the Ingress and TLS semantics (Traefik's own `*.` support
 * is recent and matches differently).
 */
export function traefikHostMatcher(host: string): string {
  if (isWildcardHost(host)) {
    return `HostRegexp(\`^[a-z0-9-]+${escapeRegExp(host.slice(1))}$\`)`;
  }
  return `Host(\`${host}\`)`;
}

/**
 * The Traefik v3 matcher for a path. Kubernetes `Prefix` (and Gateway `PathPrefix`) match
 * whole path elements (`/api` matches `/api` and `/api/v1`, not `/apix`), while Traefik's
 * `PathPrefix` is a string prefix: a Prefix path other than `/` becomes
 * ``(Path(`/api`) || PathPrefix(`/api/`))``.
 */
export function traefikPathMatcher(path: string, pathType: WirePathType): string {
  if (pathType === 'Exact') {
    return `Path(\`${path}\`)`;
  }
  const base = routeKeyPath(path, 'Prefix');
  if (base === '/') {
    return 'PathPrefix(`/`)';
  }
  return `(Path(\`${base}\`) || PathPrefix(\`${base}/\`))`;
}

/** The whole Traefik rule of one route. */
export function traefikMatch(host: string | undefined, path: string, pathType: WirePathType): string {
  const pathMatcher = traefikPathMatcher(path, pathType);
  return host === undefined ? pathMatcher : `${traefikHostMatcher(host)} && ${pathMatcher}`;
}
