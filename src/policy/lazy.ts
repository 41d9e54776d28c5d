/**
 * Modules a pattern needs only for some of its props, loaded on first use: `allowFrom`'s
 * NetworkPolicy (with its peer, CIDR and address-family checks) is built by few Services, and an
 * App that sets no `allowFrom` should not pay for loading it (the package index is lazy for the
 * same reason: scripts/lazy-index.ts). Only the types are imported statically (`import type`,
 * erased from the JavaScript); src/ingress/flavours/crds.ts does the same for the CRD classes.
 */
import type * as allowFrom from './allow-from';

/** The `allowFrom` NetworkPolicy module (`allowFromPolicy`). */
export function networkPolicyModule(): typeof allowFrom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('./allow-from');
}
