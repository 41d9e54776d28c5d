import { Construct } from 'constructs';
import { IpFamily, LoadBalancerServiceBase, LoadBalancerServiceBaseProps } from './load-balancer-base';
import { LoadBalancerProvider } from './load-balancer-provider';
import { LoadBalancerShape } from './load-balancer-shape';
import { ExternalTrafficPolicy } from './service-vocabulary';
import { structKeys } from '../core/errors';
import { AccessPoint } from '../core/exposure';
import { SourceIpLost } from '../core/network-policy';
import { jsonPathCommand } from '../guide/commands';
import { ClusterProfile, LoadBalancerImplementation } from '../profile/cluster-profile';

/**
 * Properties of a `LoadBalancerService`.
 */
export interface LoadBalancerServiceProps extends LoadBalancerServiceBaseProps {
  /**
   * Who provisions the address: the annotations the Service carries, whether it can be internal
   * and how its address is found.
   * @default - the cluster profile's (`ClusterProfile.of(scope).loadBalancerProvider`: `AWS` on
   * EKS, `GKE`, `AKS`, `K3S_SERVICE_LB` on k3s and k3d), else `LoadBalancerProvider.GENERIC`
   */
  readonly provider?: LoadBalancerProvider;
  /**
   * Whether the load balancer gets a public address (`AWS`, `GKE`, `AKS`). Refused for
   * `K3S_SERVICE_LB` and `GENERIC`, which have no such choice: ServiceLB answers on every node's
   * address, and a generic implementation decides for itself (see the access guide and the
   * prerequisites).
   *
   * Security: `true` makes the Service reachable from the internet (AWS: an `internet-facing`
   * NLB; GKE, AKS: an external load balancer): limit the sources with `loadBalancerSourceRanges`.
   * The default `false` keeps it internal: reachable from the cluster's VPC / VNet and the networks
   * connected to it only.
   * @default DEFAULT_LOAD_BALANCER_INTERNET_FACING (false) for `AWS`, `GKE` and `AKS`; not
   * applicable to the others
   */
  readonly internetFacing?: boolean;
}

/** Whether a `LoadBalancerService` of a provider that can make an internal load balancer is internet-facing unless told. */
export const DEFAULT_LOAD_BALANCER_INTERNET_FACING = false;

/** The provider when neither the props nor a cluster profile name one. */
export const DEFAULT_LOAD_BALANCER_PROVIDER = LoadBalancerProvider.GENERIC;

const PROPS_KEYS = structKeys<LoadBalancerServiceProps>('LoadBalancerServiceProps', {
  namespace: true,
  selector: true,
  name: true,
  allowFrom: true,
  ports: true,
  ipFamilies: true,
  externalTrafficPolicy: true,
  loadBalancerSourceRanges: true,
  allocateLoadBalancerNodePorts: true,
  loadBalancerClass: true,
  nodePortRange: true,
  annotations: true,
  provider: true,
  internetFacing: true,
});

const AWS = 'service.beta.kubernetes.io/aws-load-balancer';

/** What `LoadBalancerService` resolves before its Service is built. */
interface ProviderShape extends LoadBalancerShape {
  readonly provider: LoadBalancerProvider;
  readonly providerGiven: boolean;
  readonly internetFacing?: boolean;
}

/** The providers that can make an internal load balancer. */
const CAN_BE_INTERNAL: readonly LoadBalancerProvider[] = [LoadBalancerProvider.AWS, LoadBalancerProvider.GKE, LoadBalancerProvider.AKS];

/** Where the AWS NLB's IP targets see traffic from: its own addresses. */
const AWS_SOURCE_IP_LOST: SourceIpLost = {
  reason: 'an NLB with IP targets sends the traffic to the pods from its own addresses (client IP preservation is off for IP targets by default)',
  value: 'LoadBalancerProvider.AWS',
  fix: 'Use loadBalancerSourceRanges (the AWS Load Balancer Controller turns them into security group rules) and remove allowFrom.',
  peerEffect: 'which no pod or namespace peer matches: every client, and the NLB\'s health checks, would be refused',
};

/**
 * A `type: LoadBalancer` Service for load balancers that are not MetalLB: a cloud's (AWS Load
 * Balancer Controller NLB, GKE, AKS), k3s' ServiceLB, or any other implementation of the cluster.
 *
 * The provider comes from the cluster profile (`ClusterProfile.eks()`, ...) unless given. Where
 * the provider can make an internal load balancer, it is internal unless `internetFacing` says
 * otherwise. The access guide prints the command that shows the address (a host name on AWS, an
 * IP elsewhere) and what must be installed.
 *
 * Security: a cloud load balancer is internal by default (reachable from the VPC / VNet and the
 * networks connected to it); `internetFacing: true` opens it to the internet. ServiceLB answers
 * on every node's address, and a generic implementation decides for itself where its address is
 * reachable from. `loadBalancerSourceRanges` limits the sources at the load balancer, `allowFrom`
 * adds a NetworkPolicy at the pods; node ports are only allocated where the provider needs them.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export class LoadBalancerService extends LoadBalancerServiceBase {
  /** Who provisions the address. */
  public readonly provider: LoadBalancerProvider;
  /** Whether the load balancer is internet-facing; undefined where the provider has no such choice. */
  public readonly internetFacing?: boolean;
  public readonly patternName = 'LoadBalancer Service';
  private readonly providerGiven: boolean;
  private _accessPoints?: AccessPoint[];

  constructor(scope: Construct, id: string, props: LoadBalancerServiceProps) {
    super(scope, id, props, 'LoadBalancerService');
    const own = this._shape.pattern as ProviderShape;
    this.provider = own.provider;
    this.providerGiven = own.providerGiven;
    this.internetFacing = own.internetFacing;
    this.node.addValidation({ validate: () => this.checkAgainstProfile() });
  }

  /** @internal */
  protected _loadBalancerShape(props: LoadBalancerServiceProps): ProviderShape {
    const check = this._check;
    check.props(props, PROPS_KEYS);
    const provider = check.enumValue('provider', props.provider, LoadBalancerProvider, 'LoadBalancerProvider')
      ?? ClusterProfile.of(this)?.loadBalancerProvider ?? DEFAULT_LOAD_BALANCER_PROVIDER;
    const given = check.boolean('internetFacing', props.internetFacing);
    const canBeInternal = CAN_BE_INTERNAL.includes(provider);
    if (given !== undefined && !canBeInternal) {
      check.fail('internetFacing', `has no effect with the ${provider} provider, which cannot make an internal load balancer`, given,
        provider === LoadBalancerProvider.K3S_SERVICE_LB
          ? 'Omit internetFacing: ServiceLB answers on every node\'s address; limit the sources with loadBalancerSourceRanges or a firewall in front of the nodes.'
          : 'Omit internetFacing, and check where your load balancer implementation makes the address reachable (the access guide says so); or name the provider (AWS, GKE, AKS).');
    }
    const internetFacing = canBeInternal ? given ?? DEFAULT_LOAD_BALANCER_INTERNET_FACING : undefined;
    const local = props.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL;
    if (provider === LoadBalancerProvider.K3S_SERVICE_LB && local && props.allocateLoadBalancerNodePorts === false) {
      check.fail('allocateLoadBalancerNodePorts', 'must not be false with externalTrafficPolicy Local on ServiceLB, which then forwards to the node port', false,
        'Omit allocateLoadBalancerNodePorts, or use externalTrafficPolicy Cluster.');
    }
    return {
      provider,
      providerGiven: props.provider !== undefined,
      internetFacing,
      annotations: providerAnnotations(provider, internetFacing === true, props.ipFamilies),
      defaultAllocateNodePorts: provider === LoadBalancerProvider.AWS ? false : provider === LoadBalancerProvider.K3S_SERVICE_LB ? local : true,
      sourceIpLost: provider === LoadBalancerProvider.AWS ? AWS_SOURCE_IP_LOST : undefined,
      otherAllowFromFix: 'use loadBalancerSourceRanges (filtered before the SNAT)',
      loadBalancerClassFix: 'Use the class your load balancer implementation serves, e.g. "service.k8s.aws/nlb" (AWS Load Balancer Controller).',
      ownAnnotationFix: canBeInternal ? 'Use internetFacing (and the provider) instead of writing the annotation.' : 'Remove the annotation.',
    };
  }

  /** How the Service is reached: the load balancer's address on each port (and node ports, where allocated). */
  public get accessPoints(): AccessPoint[] {
    this._accessPoints ??= this.buildAccessPoints();
    return this._accessPoints;
  }

  /** What must be installed for the address to be provisioned, and where it is reachable from. */
  public get prerequisites(): string[] {
    const sources = this.loadBalancerSourceRanges ? ` (only from ${this.loadBalancerSourceRanges.join(', ')})` : '';
    const result: string[] = [];
    switch (this.provider) {
      case LoadBalancerProvider.AWS:
        result.push('The AWS Load Balancer Controller v2.2 or later installed in the cluster (it provisions the NLB for aws-load-balancer-type: external): '
          + 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/');
        result.push('Pods on the Amazon VPC CNI (IP targets need VPC-routable pod IPs), and subnets tagged for '
          + `${this.internetFacing ? 'internet-facing (kubernetes.io/role/elb)' : 'internal (kubernetes.io/role/internal-elb)'} load balancers`);
        break;
      case LoadBalancerProvider.GKE:
        result.push('A GKE cluster (its service controller provisions the passthrough Network Load Balancer)');
        break;
      case LoadBalancerProvider.AKS:
        result.push('An AKS cluster (the Azure cloud provider provisions the Azure Load Balancer), whose identity may manage the network resources');
        break;
      case LoadBalancerProvider.K3S_SERVICE_LB:
        result.push('k3s with ServiceLB enabled (the default; not started with --disable=servicelb)');
        result.push(`Ports ${this._resolvedPorts.map((p) => `${p.port}/${p.protocol}`).join(', ')} free on the nodes: ServiceLB binds them as host ports on every node `
          + '(Traefik holds 80 and 443); the address is every node\'s address, reachable from wherever the nodes are' + sources);
        break;
      default:
        result.push('A load balancer implementation for Services of type LoadBalancer (a cloud controller manager, kube-vip, Cilium, ...); '
          + 'without one the Service stays <pending>. It decides where the address is reachable from: many clouds make it internet-facing '
          + '(name the provider for an internal one)');
        break;
    }
    if (CAN_BE_INTERNAL.includes(this.provider)) {
      result.push(this.internetFacing
        ? `An internet-facing load balancer: reachable from the internet${sources}`
        : `An internal load balancer: reachable from the cluster's ${this.provider === LoadBalancerProvider.AKS ? 'VNet' : 'VPC'} and the networks connected to it only${sources}`);
    }
    if (this.loadBalancerClass !== undefined) {
      result.push(`A load balancer implementation serving loadBalancerClass ${this.loadBalancerClass}`);
    }
    if (this.ipFamilies && this.ipFamilies.length === 2) {
      result.push('A dual-stack cluster (IPv4 and IPv6 Service CIDRs)');
    } else if (this.ipFamilies && this.ipFamilies[0] === IpFamily.IPV6) {
      result.push('IPv6 Services enabled on the cluster (an IPv6 Service CIDR)');
    }
    return result;
  }

  /** The profile's checks: a provider that contradicts it, or a cluster where nothing answers. */
  private checkAgainstProfile(): string[] {
    const profile = ClusterProfile.of(this);
    if (!profile || this.loadBalancerClass !== undefined) return [];
    if (profile.loadBalancer === LoadBalancerImplementation.NONE) {
      return [this._check.problem('provider', `has nothing to answer it: the ${profile.distribution} profile says no load balancer implementation runs, so the Service would stay <pending>`,
        this.provider, 'Install one (e.g. MetalLB, and use MetalLbLoadBalancer) and say so with loadBalancer in the profile, or use a NodePortService.')];
    }
    const expected = profile.loadBalancerProvider;
    if (this.provider === expected) return [];
    return [this._check.problem('provider', `is ${this.provider}, but the ${profile.distribution} profile's load balancers are ${expected}`
      + `${this.providerGiven ? '' : ' (the profile was attached after the Service was created, so it could not pick the default)'}`, this.provider,
    this.providerGiven ? `Omit provider to take the profile's (${expected}), or correct the profile.`
      : 'Attach the profile (profile.applyTo(scope)) before creating the Service, or pass provider.')];
  }

  private buildAccessPoints(): AccessPoint[] {
    const ns = this.namespace;
    const name = this.serviceName;
    const get = (path: string) => jsonPathCommand(ns, 'service', name, `{${path}}`);
    const facing = this.internetFacing ? 'internet-facing' : 'internal';
    const sources = this.loadBalancerSourceRanges ? `; only from ${this.loadBalancerSourceRanges.join(', ')}` : '';
    let host: string;
    let lookup: string;
    let what: string;
    switch (this.provider) {
      case LoadBalancerProvider.AWS:
        host = '<load-balancer-hostname>';
        lookup = get('.status.loadBalancer.ingress[0].hostname');
        what = `The ${facing} NLB's DNS name (provisioned by the AWS Load Balancer Controller, IP targets; reachable from ${this.internetFacing ? 'the internet' : 'the VPC and connected networks only'})`;
        break;
      case LoadBalancerProvider.GKE:
      case LoadBalancerProvider.AKS:
        host = '<load-balancer-ip>';
        lookup = get('.status.loadBalancer.ingress[0].ip');
        what = `The ${facing} ${this.provider === LoadBalancerProvider.GKE ? 'passthrough Network Load Balancer' : 'Azure Load Balancer'} IP (reachable from `
          + `${this.internetFacing ? 'the internet' : `the ${this.provider === LoadBalancerProvider.AKS ? 'VNet' : 'VPC'} and connected networks only`})`;
        break;
      case LoadBalancerProvider.K3S_SERVICE_LB:
        host = '<node-ip>';
        lookup = get('.status.loadBalancer.ingress[*].ip');
        what = 'Any node\'s address: ServiceLB binds the port as a host port on every node and answers there (reachable from wherever the nodes are)';
        break;
      default:
        host = '<load-balancer-address>';
        lookup = get('.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname');
        what = 'The address the cluster\'s load balancer implementation assigns (an IP or a host name; where it is reachable from is that implementation\'s choice)';
        break;
    }
    return this._loadBalancerAccessPoints([host], lookup,
      (_host, p) => `${what}, port ${p.port}/${p.protocol}, forwarded to the pods' port ${p.targetPort}${sources}`);
  }
}

/** The annotations of each provider. */
function providerAnnotations(provider: LoadBalancerProvider, internetFacing: boolean, ipFamilies: IpFamily[] | undefined): { [key: string]: string } {
  switch (provider) {
    case LoadBalancerProvider.AWS: {
      const result: { [key: string]: string } = {
        [`${AWS}-type`]: 'external',
        [`${AWS}-nlb-target-type`]: 'ip',
        // Written even when internal (the controller's default): without it an existing NLB keeps its scheme.
        [`${AWS}-scheme`]: internetFacing ? 'internet-facing' : 'internal',
      };
      if (Array.isArray(ipFamilies) && ipFamilies.length === 2) result[`${AWS}-ip-address-type`] = 'dualstack';
      return result;
    }
    case LoadBalancerProvider.GKE:
      return internetFacing ? {} : { 'networking.gke.io/load-balancer-type': 'Internal' };
    case LoadBalancerProvider.AKS:
      return internetFacing ? {} : { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' };
    default:
      return {};
  }
}
