import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Checker, structKeys } from '../../core/errors';
import { dns1123SubdomainProblem } from '../../core/names';
import { definedOnly } from '../../core/objects';
import { jsonPathCommand } from '../../guide/commands';
import { CONTROLLER_REACHABLE } from '../route-access';
import {
  checkClassOptions, claimName, FlavourDescription, FlavourObjects, groupBy, refuseAllowFrom, ResolvedRule, RouteContext,
  RouteFlavourImpl, RouteSpec, serviceText,
} from '../route-model';
import { IngressTls } from '../rules';

/**
 * Options of `RouteFlavour.ingress()`: a `networking.k8s.io/v1` Ingress.
 */
export interface IngressRouteFlavourOptions {
  /**
   * The IngressClass that serves the routes (`spec.ingressClassName`).
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
}

const INGRESS_OPTIONS = structKeys<IngressRouteFlavourOptions>('IngressRouteFlavourOptions', { className: true });

const CERT_MANAGER_CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
const CERT_MANAGER_ISSUER = 'cert-manager.io/issuer';

/** The networking.k8s.io/v1 Ingress flavour. */
export class IngressFlavourImpl implements RouteFlavourImpl {
  public readonly name = 'RouteFlavour.ingress()';
  public readonly patternName = 'Ingress';

  constructor(private readonly options: IngressRouteFlavourOptions) {}

  public checkOptions(check: Checker): void {
    checkClassOptions(check, 'ingress', this.options, INGRESS_OPTIONS);
  }

  public resolveAllowFrom(check: Checker, allowFrom: kplus.INetworkPolicyPeer[] | undefined): undefined {
    return refuseAllowFrom(check, this.name, 'a networking.k8s.io/v1 Ingress', allowFrom);
  }

  public checkTlsBlock(check: Checker, block: IngressTls, index: number, tls: IngressTls[]): void {
    // cert-manager's ingress-shim reads one issuer annotation per Ingress and issues a
    // certificate for every TLS block: mixing would overwrite the other blocks' Secrets.
    if (index === 0) return;
    const key = issuerKey(block);
    const first = issuerKey(tls[0]);
    if (key !== first) {
      check.fail(`tls[${index}]`, `uses ${key} but tls[0] uses ${first}; cert-manager applies one issuer to every TLS block of an Ingress`,
        block, 'Use the same issuer in every block, or put the blocks in separate IngressRoute constructs.');
    }
  }

  public checkRule(check: Checker, rule: ResolvedRule, namespace: string): void {
    if (rule.crossNamespace) {
      check.fail(`rules[${rule.index}].backend`, `is in namespace "${rule.backend.serviceNamespace}" but an Ingress only routes to Services of its own namespace "${namespace}"`,
        serviceText(rule.backend), `Create the IngressRoute in namespace "${rule.backend.serviceNamespace}", or use RouteFlavour.gatewayApi() (ReferenceGrant) or RouteFlavour.traefik().`);
    }
  }

  public checkRoutes(check: Checker, spec: RouteSpec): void {
    if (spec.httpsRedirect) {
      check.fail('httpsRedirect', 'is not supported by RouteFlavour.ingress(): networking.k8s.io/v1 has no redirect field, only controller-specific annotations', true,
        'Use RouteFlavour.traefik() or RouteFlavour.gatewayApi(), or rely on the controller (ingress-nginx redirects TLS hosts by default; Traefik: router.entrypoints and a redirect Middleware annotation).');
    }
  }

  public build(ctx: RouteContext, spec: RouteSpec): FlavourObjects {
    const issuerBlock = spec.tls.find((b) => b.clusterIssuer !== undefined || b.issuer !== undefined);
    const annotations: { [key: string]: string } | undefined = issuerBlock?.clusterIssuer !== undefined
      ? { [CERT_MANAGER_CLUSTER_ISSUER]: issuerBlock.clusterIssuer }
      : issuerBlock?.issuer !== undefined ? { [CERT_MANAGER_ISSUER]: issuerBlock.issuer } : undefined;
    const className = this.options.className;
    // The Secret names cert-manager writes are derived from the Ingress' name: known once it exists.
    const tlsOf = (name: string): IngressTls[] => (issuerBlock === undefined ? spec.tls
      : spec.tls.map((b, i) => (b.secretName !== undefined ? b : { ...b, secretName: `${name}-tls${i === 0 ? '' : `-${i}`}` })));
    const ingress: kplus.k8s.KubeIngress = new kplus.k8s.KubeIngress(ctx.scope, 'Resource', {
      metadata: definedOnly({ name: ctx.name, namespace: ctx.metadataNamespace, annotations }),
      // Lazy only to read the generated name for cert-manager's Secret names; it cannot throw.
      spec: Lazy.any({
        produce: () => {
          const tls = tlsOf(ingress.name);
          return definedOnly({
            ingressClassName: className,
            rules: groupBy(spec.rules, (r) => r.host ?? '').map((group) => definedOnly({
              host: group[0].host,
              http: {
                paths: group.map((r) => ({
                  path: r.path,
                  pathType: r.pathType,
                  backend: { service: { name: r.backend.serviceName, port: { number: r.port } } },
                })),
              },
            })),
            tls: tls.length === 0 ? undefined : tls.map((b) => definedOnly({ hosts: b.hosts, secretName: b.secretName })),
          });
        },
      }),
    });
    claimName(ctx.check, 'name', ingress, ctx.name !== undefined);
    const tls = tlsOf(ingress.name);
    if (issuerBlock !== undefined) {
      tls.forEach((b, i) => {
        const problem = dns1123SubdomainProblem(b.secretName ?? '');
        if (problem) {
          ctx.check.fail(`tls[${i}].secretName`, `(generated from the route's name) ${problem}`, b.secretName, 'Pass secretName, or a shorter name.');
        }
      });
    }
    return { resource: ingress, routeObjects: [ingress], tls, referenceGrants: [] };
  }

  public describe(ctx: RouteContext, _spec: RouteSpec, objects: FlavourObjects): FlavourDescription {
    const className = this.options.className;
    return {
      via: `Ingress ${objects.resource.name}${className ? ` (class ${className})` : ''}`,
      lookupCommand: jsonPathCommand(ctx.namespace, 'ingress', objects.resource.name, '{.status.loadBalancer.ingress[*].ip}'),
      wildcardAnyDepth: false,
      controller: [`an ingress controller serving ${className ? `IngressClass "${className}"` : 'the cluster\'s default IngressClass'}; ${CONTROLLER_REACHABLE}`],
    };
  }
}

function issuerKey(block: IngressTls): string {
  return block.clusterIssuer !== undefined ? `ClusterIssuer "${block.clusterIssuer}"`
    : block.issuer !== undefined ? `Issuer "${block.issuer}"` : 'no issuer';
}
