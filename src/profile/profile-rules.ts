/**
 * The rules a `ClusterProfile` adds to the patterns: one small call from each pattern, and the
 * checks themselves here. Checks run as `node.addValidation` (at synth), so that a profile
 * attached after the construct was created still applies; defaults are read when the construct
 * is created.
 */
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { describeProfile } from './attached-profile';
import { ClusterDistribution, ClusterProfile, Cni, IngressController, LoadBalancerImplementation } from './cluster-profile';
import { AppClaims, ClaimKind } from '../core/claims';
import { Checker } from '../core/errors';

/** The ports k3s' packaged Traefik takes on every node through ServiceLB. */
const TRAEFIK_NODE_PORTS = [80, 443];

interface NodeBindingClaim {
  readonly scope: IConstruct;
  readonly className: string;
  readonly port: number;
  readonly protocol: kplus.Protocol;
  /** A LoadBalancer Service (ServiceLB binds its ports when it serves it), else a host-level app. */
  readonly loadBalancer: boolean;
  readonly loadBalancerClass?: string;
}

interface MetalLbServiceClaim {
  readonly loadBalancerClass?: string;
}

/**
 * Every port a pattern binds on every node it runs on: host-level apps' host ports and the ports
 * of LoadBalancer Services that ServiceLB may serve. `<port>/<protocol>` -> who binds it.
 */
const NODE_BINDING = new ClaimKind<NodeBindingClaim>('node-binding');

/** The MetalLB Services of an App (construct path -> class), for the MetalLB-beside-ServiceLB check. */
const METALLB_SERVICE = new ClaimKind<MetalLbServiceClaim>('metallb-service');

/** One port of a pattern, for the profile checks. */
export interface ProfilePort {
  /** The prop it comes from, e.g. `ports[0].port`, for messages. */
  readonly prop: string;
  readonly port: number;
  readonly protocol: kplus.Protocol;
}

/** True on a k3s or k3d profile. */
function isK3s(profile: ClusterProfile): boolean {
  return profile.distribution === ClusterDistribution.K3S || profile.distribution === ClusterDistribution.K3D;
}

/** True when ServiceLB answers a LoadBalancer Service of this class on the profile's cluster. */
function servedByServiceLb(profile: ClusterProfile | undefined, loadBalancerClass: string | undefined): profile is ClusterProfile {
  return profile?.loadBalancer === LoadBalancerImplementation.SERVICE_LB && loadBalancerClass === undefined;
}

/** True when k3s' packaged Traefik holds ports 80 and 443 of every node (through ServiceLB). */
function traefikHoldsNodePorts(profile: ClusterProfile | undefined): profile is ClusterProfile {
  return profile !== undefined && isK3s(profile) && profile.ingressController === IngressController.TRAEFIK
    && profile.loadBalancer === LoadBalancerImplementation.SERVICE_LB;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy enforcement
// ---------------------------------------------------------------------------------------------

/** How to get NetworkPolicies enforced on each distribution. */
function enforcementFix(profile: ClusterProfile): string {
  switch (profile.distribution) {
    case ClusterDistribution.KUBEADM:
      return profile.cni === Cni.FLANNEL ? 'Run a CNI that enforces NetworkPolicies (Calico, Cilium, or Canal: flannel with Calico\'s policy engine)'
        : 'Run a CNI that enforces NetworkPolicies';
    case ClusterDistribution.EKS:
      return 'Enable the Amazon VPC CNI\'s network policy agent (enableNetworkPolicy)';
    case ClusterDistribution.GKE:
      return 'Enable GKE Dataplane V2 or network policy enforcement (--enable-network-policy)';
    case ClusterDistribution.AKS:
      return 'Enable a network policy engine on the cluster (az aks create --network-policy azure, calico or cilium)';
    default:
      return 'Run k3s without --disable-network-policy';
  }
}

/**
 * Refuses, at synth, `allowFrom` (a NetworkPolicy) where the profile says NetworkPolicies are not
 * enforced: the policy would be accepted and protect nothing.
 */
export function validateNetworkPolicyEnforced(check: Checker, peers: string[]): void {
  check.scope.node.addValidation({
    validate: () => {
      const profile = ClusterProfile.of(check.scope);
      if (!profile || profile.networkPoliciesEnforced) return [];
      return [check.problem('allowFrom', `emits a NetworkPolicy, but ${describeProfile(profile)} says NetworkPolicies are not enforced, `
        + 'so every source that reaches the entry point would still reach the pods', peers,
      `${enforcementFix(profile)} and say so with networkPoliciesEnforced: true in the profile; or restrict the sources before the cluster `
        + '(loadBalancerSourceRanges, a firewall or security group) and remove allowFrom.')];
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Ports bound on every node: ServiceLB, Traefik and host-level apps
// ---------------------------------------------------------------------------------------------

function bindingsOn(scope: IConstruct, port: number, protocol: kplus.Protocol): readonly NodeBindingClaim[] {
  return AppClaims.of(scope).get(NODE_BINDING, `${port}/${protocol}`);
}

function describeOwner(claim: NodeBindingClaim): string {
  return `[${claim.scope.node.path}] (${claim.className})`;
}

/**
 * Records the host ports of a host-level app, and refuses at synth those that k3s' packaged
 * Traefik already holds on every node (80 and 443, through ServiceLB). Clashes with LoadBalancer
 * Services are reported by the Service (`claimLoadBalancerPorts`).
 */
export function claimHostBindings(check: Checker, ports: ProfilePort[]): void {
  const claims = AppClaims.of(check.scope);
  for (const p of ports) {
    claims.add(NODE_BINDING, `${p.port}/${p.protocol}`,
      { scope: check.scope, className: check.className, port: p.port, protocol: p.protocol, loadBalancer: false });
  }
  check.scope.node.addValidation({
    validate: () => {
      const profile = ClusterProfile.of(check.scope);
      if (!traefikHoldsNodePorts(profile)) return [];
      return ports.filter((p) => p.protocol === kplus.Protocol.TCP && TRAEFIK_NODE_PORTS.includes(p.port)).map((p) => check.problem(p.prop,
        `is ${p.port}/TCP, which k3s' packaged Traefik already binds on every node through ServiceLB (${describeProfile(profile)}), so the pods would stay Pending`,
        p.port, 'Pick another port, or start k3s with --disable=traefik and say ingressController: IngressController.NONE in the profile.'));
    },
  });
}

/**
 * Records the ports of a LoadBalancer Service and refuses at synth, where ServiceLB serves it
 * (a k3s profile with ServiceLB, no `loadBalancerClass`), each port that ServiceLB cannot bind on
 * the nodes because another LoadBalancer Service served by ServiceLB, a host-level app of the
 * App, or k3s' packaged Traefik (80, 443) already binds it: ServiceLB's pods would stay Pending
 * and the Service `<pending>`.
 */
export function claimLoadBalancerPorts(check: Checker, ports: ProfilePort[], loadBalancerClass: string | undefined): void {
  const claims = AppClaims.of(check.scope);
  const own: NodeBindingClaim[] = ports.map((p) => ({
    scope: check.scope, className: check.className, port: p.port, protocol: p.protocol, loadBalancer: true, loadBalancerClass,
  }));
  own.forEach((claim) => claims.add(NODE_BINDING, `${claim.port}/${claim.protocol}`, claim));
  check.scope.node.addValidation({
    validate: () => {
      const profile = ClusterProfile.of(check.scope);
      if (!servedByServiceLb(profile, loadBalancerClass)) return [];
      const problems: string[] = [];
      ports.forEach((p, i) => {
        if (traefikHoldsNodePorts(profile) && p.protocol === kplus.Protocol.TCP && TRAEFIK_NODE_PORTS.includes(p.port)) {
          problems.push(check.problem(p.prop, `is ${p.port}/TCP, which k3s' packaged Traefik already binds on every node through ServiceLB (${describeProfile(profile)}), `
            + 'so ServiceLB cannot bind it again and the Service would stay <pending>', p.port,
          'Pick another port (route HTTP through Traefik with an IngressRoute instead), or start k3s with --disable=traefik and say ingressController: IngressController.NONE in the profile.'));
          return;
        }
        const all = bindingsOn(check.scope, p.port, p.protocol);
        const mine = all.indexOf(own[i]);
        // Another LoadBalancer Service is reported once, by the later of the two.
        const other = all.find((c, j) => c.scope !== check.scope
          && (c.loadBalancer ? j < mine && servedByServiceLb(ClusterProfile.of(c.scope), c.loadBalancerClass) : true));
        if (other) {
          problems.push(check.problem(p.prop, `is ${p.port}/${p.protocol}, which ${describeOwner(other)} already binds on the nodes; ServiceLB `
            + `(${describeProfile(profile)}) binds every LoadBalancer port as a host port on every node, so its pods would stay Pending and the Service <pending>`,
          p.port, other.loadBalancer
            ? 'Give each LoadBalancer Service served by ServiceLB its own port, or route HTTP through Traefik with an IngressRoute.'
            : 'Pick another port for one of them, or restrict ServiceLB to other nodes (svccontroller.k3s.cattle.io/enablelb node labels).'));
        }
      });
      return problems;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// MetalLB beside ServiceLB
// ---------------------------------------------------------------------------------------------

const METALLB_BESIDE_SERVICELB_FIX = 'Start k3s with --disable=servicelb and say loadBalancer: LoadBalancerImplementation.METALLB in the profile, '
  + 'or run MetalLB with --lb-class and give the MetalLbLoadBalancer that loadBalancerClass (ServiceLB ignores Services of another class).';

/**
 * Records a MetalLB Service and refuses it at synth on a k3s profile whose ServiceLB is on,
 * unless its `loadBalancerClass` keeps ServiceLB away: both controllers would serve it.
 */
export function validateMetalLbService(check: Checker, loadBalancerClass: string | undefined): void {
  AppClaims.of(check.scope).add(METALLB_SERVICE, check.scope.node.path, { loadBalancerClass });
  check.scope.node.addValidation({
    validate: () => {
      const profile = ClusterProfile.of(check.scope);
      if (!servedByServiceLb(profile, loadBalancerClass)) return [];
      return [check.problem('loadBalancerClass', `is not set, and on ${describeProfile(profile)} ServiceLB serves every LoadBalancer Service without a class, `
        + 'so ServiceLB and MetalLB would both serve this one', loadBalancerClass, METALLB_BESIDE_SERVICELB_FIX)];
    },
  });
}

/**
 * Refuses at synth a MetalLB pool on a k3s profile whose ServiceLB is on, unless every MetalLB
 * Service of the App has a `loadBalancerClass` (MetalLB started with `--lb-class` then leaves the
 * other Services to ServiceLB): without that, both controllers serve every LoadBalancer Service,
 * Traefik's included.
 */
export function validateMetalLbPool(check: Checker, addresses: string[]): void {
  check.scope.node.addValidation({
    validate: () => {
      const profile = ClusterProfile.of(check.scope);
      if (profile?.loadBalancer !== LoadBalancerImplementation.SERVICE_LB) return [];
      const services = AppClaims.of(check.scope).all(METALLB_SERVICE);
      if (services.length > 0 && services.every((s) => s.loadBalancerClass !== undefined)) return [];
      return [check.problem('addresses', `would be handed out by MetalLB beside ServiceLB (${describeProfile(profile)}): without --lb-class `
        + 'MetalLB serves every LoadBalancer Service without a class, as ServiceLB does', addresses, METALLB_BESIDE_SERVICELB_FIX)];
    },
  });
}
