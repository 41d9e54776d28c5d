import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { buildService, ResolvedServicePort, ServiceShape, sourceIpLostUnlessLocal, toExposedPorts } from './service';
import { ExternalTrafficPolicy } from './service-vocabulary';
import { ExposedServicePort, ExposureProps, IExposedService } from '../core/exposure';
import { Exposure } from '../core/exposure-base';
import { PossibleFamilies } from '../core/families';
import { AllowFromPattern } from '../core/network-policy';
import { networkPolicyModule } from '../policy/lazy';

/**
 * Properties every Service pattern accepts (`NodePortService`, `ClusterIpService`,
 * `HeadlessService`, `MetalLbLoadBalancer`).
 */
export interface ServiceExposureProps extends ExposureProps {
  /**
   * The pods behind the Service: a workload (`kplus.Deployment`, one of this library's apps) or
   * any `kplus.IPodSelector` with equality labels, in the Service's namespace.
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service
   */
  readonly selector: kplus.IPodSelector;
  /**
   * The Service's `metadata.name` (a DNS-1035 label).
   * @default - derived from the construct path by cdk8s
   */
  readonly name?: string;
}

/**
 * Base class of the Service patterns: checks the selector, ports and name, creates the `Service`
 * as the `Resource` child, claims its name (and node ports) App-wide, and exposes it to routes
 * and proxies as an `IExposedService`. Each pattern says what its Service is (type, ports,
 * further spec fields) through one hook, which the base calls before it builds; the pattern then
 * adds its own fields and how it is reached.
 *
 * Security: a Service forwards only its listed ports, and only to the pods its selector matches
 * in its own namespace (an empty selector, set-based expressions and pods of other namespaces
 * are refused). From where it can be reached depends on the pattern: `ClusterIpService` and
 * `HeadlessService` from inside the cluster only, `NodePortService` and `MetalLbLoadBalancer`
 * from outside, where `allowFrom` narrows the sources.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export abstract class ServiceExposure extends Exposure implements IExposedService {
  /** The `Service` object. */
  public readonly service: kplus.k8s.KubeService;
  /** The Service's `metadata.name`. */
  public readonly serviceName: string;
  /** The Service's namespace. */
  public readonly serviceNamespace: string;

  /**
   * What the pattern's hook said the Service is (a pattern may narrow its type with `declare`).
   * @internal
   */
  protected readonly _shape: ServiceShape;

  /**
   * The Service's ports after defaults and checks.
   * @internal
   */
  protected readonly _resolvedPorts: ResolvedServicePort[];

  /**
   * The Service's selector labels.
   * @internal
   */
  protected readonly _selectorLabels: { [key: string]: string };

  private _servicePorts?: ExposedServicePort[];

  protected constructor(scope: Construct, id: string, props: ServiceExposureProps, className: string) {
    super(scope, id, props, className);
    this.serviceNamespace = this.namespace;
    const shape = this._serviceShape(props);
    const built = buildService({
      scope: this,
      check: this._check,
      name: props.name,
      selector: props.selector,
      metadataNamespace: this._metadataNamespace,
      namespace: this.namespace,
      shape,
    });
    this._shape = shape;
    this._resolvedPorts = built.ports;
    this._selectorLabels = built.selector;
    this.service = built.apiObject;
    this.serviceName = built.name;
  }

  /** The Service's ports, as routes and proxies see them. */
  public get servicePorts(): ExposedServicePort[] {
    // Made on first read (routes and proxies read it; most Services are never routed to), then kept.
    this._servicePorts ??= toExposedPorts(this._resolvedPorts);
    return this._servicePorts;
  }

  /**
   * What the pattern's Service is: its type, ports and further spec fields, after the pattern
   * checked its own props. Called once, by the base constructor, before the Service is built:
   * it reads `props` only (the pattern's own fields are not assigned yet).
   * @internal
   */
  protected abstract _serviceShape(props: ServiceExposureProps): ServiceShape;

  /**
   * The NetworkPolicy behind `allowFrom` of a Service reachable from outside the cluster (every
   * such pattern builds it here): it admits the peers on the pods' ports (the policy sees the
   * traffic after the Service's DNAT), and refuses `ipBlock` peers where the pods do not see the
   * client's address: by default unless `externalTrafficPolicy` is `LOCAL` (with `Cluster` they
   * see a node IP; `pattern.otherAllowFromFix` is a further way out), or as the pattern's own
   * `sourceIpLost` says. An `ipBlock` of a family outside `families` is refused too.
   * Undefined when `allowFrom` is not set.
   * @internal
   */
  protected _allowFromBehindService(allowFrom: kplus.INetworkPolicyPeer[] | undefined, selector: kplus.IPodSelector,
    externalTrafficPolicy: ExternalTrafficPolicy | undefined, pattern?: AllowFromPattern,
    families?: PossibleFamilies): kplus.NetworkPolicy | undefined {
    if (allowFrom === undefined) return undefined;
    return networkPolicyModule().allowFromPolicy({
      scope: this,
      check: this._check,
      allowFrom,
      pods: selector,
      metadataNamespace: this._metadataNamespace,
      ports: this._resolvedPorts.map((p) => ({ port: p.targetPort, protocol: p.protocol })),
      sourceIpLost: pattern?.sourceIpLost ?? sourceIpLostUnlessLocal(externalTrafficPolicy, pattern?.otherAllowFromFix),
      families,
    });
  }
}
