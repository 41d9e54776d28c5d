import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  buildService, BuiltService, ResolvedServicePort, ServiceShape, sourceIpLostUnlessLocal, toExposedPorts,
} from './service';
import {
  Exposure, ExposedServicePort, ExposureProps, ExternalExposureProps, ExternalTrafficPolicy, IExposedService,
} from '../core/exposure';
import { allowFromPolicy } from '../core/network-policy';

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

/** The props of a Service pattern reachable from outside the cluster, as `_allowFromBehindService` reads them. */
type ExternalServiceProps = ServiceExposureProps & ExternalExposureProps & { readonly externalTrafficPolicy?: ExternalTrafficPolicy };

/**
 * Base class of the Service patterns: checks the selector, ports and name, creates the `Service`
 * as the `Resource` child, claims its name (and node ports) App-wide, and exposes it to routes
 * and proxies as an `IExposedService`. Each pattern adds its Service type, its own fields and how
 * it is reached.
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
  // Set by `_buildService`, which every subclass calls from its constructor once its own props
  // are checked (the Service spec depends on them).
  /** The `Service` object. */
  public readonly service!: kplus.k8s.KubeService;
  /** The Service's `metadata.name`. */
  public readonly serviceName!: string;
  /** The Service's namespace. */
  public readonly serviceNamespace: string;
  /** The Service's ports, as routes and proxies see them. */
  public readonly servicePorts!: ExposedServicePort[];

  /**
   * The Service's ports after defaults and checks.
   * @internal
   */
  protected _resolvedPorts: ResolvedServicePort[] = [];

  protected constructor(scope: Construct, id: string, props: ServiceExposureProps, className: string) {
    super(scope, id, props, className);
    this.serviceNamespace = this.namespace;
  }

  /**
   * Checks the name, selector and ports, creates the `Service` as the `Resource` child and fills
   * `service`, `serviceName` and `servicePorts`.
   * @internal
   */
  protected _buildService(props: ServiceExposureProps, shape: ServiceShape): BuiltService {
    // `...shape` comes last: V8 (Node 20) stores properties written after a spread through slow
    // map transitions, which cost about 4 us per Service here (the two sets of keys are disjoint).
    const built = buildService({
      scope: this,
      check: this._check,
      name: props.name,
      selector: props.selector,
      metadataNamespace: this._metadataNamespace,
      namespace: this.namespace,
      ...shape,
    });
    this._resolvedPorts = built.ports;
    const fields: Pick<ServiceExposure, 'service' | 'serviceName' | 'servicePorts'> = {
      service: built.apiObject,
      serviceName: built.name,
      servicePorts: toExposedPorts(built.ports),
    };
    Object.assign(this, fields);
    return built;
  }

  /**
   * The NetworkPolicy behind `allowFrom` of a Service reachable from outside the cluster: it
   * admits the peers on the pods' ports (the policy sees the traffic after the Service's DNAT),
   * and refuses `ipBlock` peers unless `externalTrafficPolicy` is `LOCAL` (with `Cluster` the
   * pods see a node IP). `otherFix` is a further way out for the refusal message.
   * Undefined when `allowFrom` is not set.
   * @internal
   */
  protected _allowFromBehindService(props: ExternalServiceProps, otherFix?: string): kplus.NetworkPolicy | undefined {
    if (props.allowFrom === undefined) return undefined;
    return allowFromPolicy({
      scope: this,
      check: this._check,
      allowFrom: props.allowFrom,
      pods: props.selector,
      metadataNamespace: this._metadataNamespace,
      ports: this._resolvedPorts.map((p) => ({ port: p.targetPort, protocol: p.protocol })),
      sourceIpLost: sourceIpLostUnlessLocal(props.externalTrafficPolicy, otherFix),
    });
  }
}
