/**
 * The generated CRD classes of the Traefik and Gateway API flavours, loaded on first use: the
 * modules are big (gateway.networking.k8s.io alone is 1.6 MB of JavaScript), and
 * `require('cdk8s-expose')` should not pay for them. Only their types are imported statically
 * (`import type`, erased from the JavaScript).
 */
import type * as gateway from '../../imports/gateway.networking.k8s.io';
import type * as traefik from '../../imports/traefik.io';

/** The Traefik classes. */
export function traefikCrds(): typeof traefik {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../../imports/traefik.io');
}

/** The Gateway API classes. */
export function gatewayCrds(): typeof gateway {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load, see above
  return require('../../imports/gateway.networking.k8s.io');
}
