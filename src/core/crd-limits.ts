/**
 * The integer fields this library writes into custom resources, with the range each vendored
 * CRD (`crds/`) declares for it: its `minimum`/`maximum`, narrowed by its `format` (`int32`:
 * -2147483648 to 2147483647). The API server validates a custom resource against the CRD, not
 * against the upstream Go type, so a CRD field with `format: int32` cannot take a larger value
 * even where the project behind it documents one (Calico's AS numbers: a `uint32` in Go and
 * "4-byte AS numbers" in its docs, `format: int32` in its CRDs).
 *
 * test/crd-limits.test.ts proves the table against the CRDs and that every integer the
 * synthesized examples write into a custom resource has an entry; each pattern checks its
 * values with `checkCrdInteger` (or a range inside the entry's).
 */
import { Checker } from './errors';

/** One integer field of a custom resource, and the range its CRD declares. */
export interface CrdIntegerField {
  /** API group and version, as in `apiVersion`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The field's path in the object, `[]` for list items (e.g. `spec.routes[].priority`). */
  readonly path: string;
  /** The smallest value the CRD admits. */
  readonly min: number;
  /** The largest value the CRD admits. */
  readonly max: number;
}

/** The largest int32: a CRD field of `format: int32`, and the core API's int32 fields (`replicas`). */
export const INT32_MAX = 2147483647;
/** The largest uint32: a 4-byte AS number, BGP's LOCAL_PREF, a large community's parts. */
export const UINT32_MAX = 4294967295;

/** Every integer field the library writes into a custom resource. */
export const CRD_INTEGER_FIELDS = {
  /** Calico `BGPConfiguration.spec.asNumber`: `format: int32` (Calico's Go type and docs: uint32). */
  CALICO_BGP_CONFIGURATION_AS_NUMBER: { apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', path: 'spec.asNumber', min: -INT32_MAX - 1, max: INT32_MAX },
  /** Calico `BGPPeer.spec.asNumber`: `format: int32` (Calico's Go type and docs: uint32). */
  CALICO_BGP_PEER_AS_NUMBER: { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', path: 'spec.asNumber', min: -INT32_MAX - 1, max: INT32_MAX },
  /** Calico `IPPool.spec.blockSize`: 0-128 (Calico itself narrows it per family). */
  CALICO_IP_POOL_BLOCK_SIZE: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', path: 'spec.blockSize', min: 0, max: 128 },
  /** MetalLB `BGPPeer.spec.peerASN` (v1beta2): int64, 0-4294967295. */
  METALLB_BGP_PEER_PEER_ASN: { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', path: 'spec.peerASN', min: 0, max: UINT32_MAX },
  /** MetalLB `BGPPeer.spec.myASN` (v1beta2): int64, 0-4294967295. */
  METALLB_BGP_PEER_MY_ASN: { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', path: 'spec.myASN', min: 0, max: UINT32_MAX },
  /** MetalLB `BGPAdvertisement.spec.localPref`: `format: int32` (MetalLB's Go type and BGP's LOCAL_PREF: uint32). */
  METALLB_BGP_ADVERTISEMENT_LOCAL_PREF: { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', path: 'spec.localPref', min: -INT32_MAX - 1, max: INT32_MAX },
  /** Traefik `IngressRoute.spec.routes[].priority`: no format, maximum 9223372036854775000. */
  TRAEFIK_INGRESS_ROUTE_PRIORITY: { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', path: 'spec.routes[].priority', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  /** Traefik `IngressRoute.spec.routes[].services[].port`: int-or-string (a Service port number, 1-65535 by the port check). */
  TRAEFIK_INGRESS_ROUTE_SERVICE_PORT: { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', path: 'spec.routes[].services[].port', min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  /** Gateway API `HTTPRoute.spec.rules[].backendRefs[].port`: int32, 1-65535. */
  GATEWAY_HTTP_ROUTE_BACKEND_PORT: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', path: 'spec.rules[].backendRefs[].port', min: 1, max: 65535 },
  /** Gateway API `HTTPRoute.spec.parentRefs[].port`: int32, 1-65535. */
  GATEWAY_HTTP_ROUTE_PARENT_PORT: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', path: 'spec.parentRefs[].port', min: 1, max: 65535 },
};

/**
 * Throws the library's error unless `value` is an integer within both the range the project
 * accepts (`min`-`max`, e.g. 1-4294967295 for an AS number) and the one the CRD field declares.
 * The message gives the narrower range, and says when the CRD is the narrower one.
 *
 * @param fix how to pick a valid value
 */
export function checkCrdInteger(check: Checker, prop: string, field: CrdIntegerField, value: number, min: number, max: number, fix: string): number {
  const range = { min: Math.max(min, field.min), max: Math.min(max, field.max) };
  const crdNarrower = field.max < max || field.min > min;
  const why = crdNarrower && typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? ` (the ${field.kind} CRD declares ${field.path} ${field.max === INT32_MAX ? 'format int32' : `within ${field.min}-${field.max}`}, whatever the upstream type takes)`
    : '';
  return check.integer(prop, value, range, fix, why);
}
