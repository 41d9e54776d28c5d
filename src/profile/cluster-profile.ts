import { Construct, IConstruct } from 'constructs';
import { attachedProfile, ownProfile, PROFILE_ATTACHMENT, PROFILE_ATTACHMENT_ID } from './attached-profile';
import { checkNodePortRange } from './node-port-rules';
import { Checker, structKeys } from '../core/errors';
import { dns1123LabelProblem } from '../core/names';
import { LoadBalancerProvider } from '../service/load-balancer-provider';
import { DEFAULT_NODE_PORT_RANGE, NodePortRange } from '../service/service-vocabulary';

/**
 * The Kubernetes distribution a `ClusterProfile` describes.
 */
export enum ClusterDistribution {
  /** k3s on machines of your own. @see https://docs.k3s.io/ */
  K3S = 'k3s',
  /** k3s in Docker containers, made with `k3d cluster create`. @see https://k3d.io/ */
  K3D = 'k3d',
  /** A cluster set up with kubeadm and a CNI of your choice. @see https://kubernetes.io/docs/reference/setup-tools/kubeadm/ */
  KUBEADM = 'kubeadm',
  /** Amazon Elastic Kubernetes Service. @see https://docs.aws.amazon.com/eks/ */
  EKS = 'eks',
  /** Google Kubernetes Engine. @see https://cloud.google.com/kubernetes-engine/docs */
  GKE = 'gke',
  /** Azure Kubernetes Service. @see https://learn.microsoft.com/azure/aks/ */
  AKS = 'aks',
}

/**
 * The pod network (CNI plugin) of a kubeadm cluster: it decides whether NetworkPolicies are enforced.
 */
export enum Cni {
  /** flannel alone: pod networking only, NetworkPolicies are accepted by the API server but not enforced. */
  FLANNEL = 'flannel',
  /** Calico: enforces NetworkPolicies. */
  CALICO = 'calico',
  /** Cilium: enforces NetworkPolicies. */
  CILIUM = 'cilium',
}

/**
 * What answers a Service of type `LoadBalancer` that names no `loadBalancerClass`.
 */
export enum LoadBalancerImplementation {
  /** k3s' ServiceLB (Klipper): host ports on every node, answering on every node's address. */
  SERVICE_LB = 'ServiceLB',
  /** MetalLB (on k3s: started with `--disable=servicelb`). */
  METALLB = 'MetalLB',
  /** The cloud provider's load balancers (EKS, GKE, AKS). */
  CLOUD = 'cloud',
  /** Nothing: a `LoadBalancer` Service stays `<pending>` (a stock kubeadm cluster). */
  NONE = 'none',
}

/**
 * The ingress controller a cluster comes with (or was given).
 */
export enum IngressController {
  /** Traefik (packaged with k3s and k3d, IngressClass `traefik`, exposed by ServiceLB on ports 80 and 443). */
  TRAEFIK = 'traefik',
  /** ingress-nginx (IngressClass `nginx`). */
  INGRESS_NGINX = 'ingress-nginx',
  /** GKE's built-in ingress controller (IngressClass `gce`). */
  GCE = 'gce',
  /** No ingress controller. */
  NONE = 'none',
}

/**
 * How a client outside the cluster reaches the nodes' addresses (node ports, host ports,
 * ServiceLB).
 */
export enum NodeAddressAccess {
  /** The nodes' addresses are routable from the client (`kubectl get nodes -o wide` lists them). */
  DIRECT = 'direct',
  /**
   * The nodes are Docker containers (k3d): a client on the Docker host reaches a node port only
   * through a port mapping made with `k3d cluster create -p` (or `k3d node edit --port-add`),
   * at `localhost`.
   */
  K3D_PORT_MAPPINGS = 'k3d-port-mappings',
}

/**
 * The facts of a cluster, each overriding the stock default of its distribution.
 */
export interface ClusterProfileOptions {
  /**
   * The cluster's node port range (kube-apiserver `--service-node-port-range`).
   * @default DEFAULT_NODE_PORT_RANGE (30000-32767), the default of every distribution here
   */
  readonly nodePortRange?: NodePortRange;
  /**
   * What answers `LoadBalancer` Services that name no `loadBalancerClass`.
   * @default - k3s and k3d: `SERVICE_LB`; kubeadm: `NONE`; EKS, GKE, AKS: `CLOUD`
   */
  readonly loadBalancer?: LoadBalancerImplementation;
  /**
   * Whether the cluster enforces NetworkPolicies (what `allowFrom` emits).
   * @default - k3s and k3d: true (k3s' embedded network policy controller); kubeadm: by CNI
   * (flannel false, Calico and Cilium true); EKS, GKE, AKS: false (off unless enabled on the
   * cluster: the VPC CNI's network policy agent, GKE Dataplane V2 or network policy enforcement,
   * AKS `--network-policy`)
   */
  readonly networkPoliciesEnforced?: boolean;
  /**
   * The ingress controller of the cluster.
   * @default - k3s and k3d: `TRAEFIK`; GKE: `GCE`; kubeadm, EKS, AKS: `NONE`
   */
  readonly ingressController?: IngressController;
  /**
   * The IngressClass of that controller.
   * @default - `traefik`, `nginx` or `gce` for those controllers; none for `NONE`
   */
  readonly ingressClassName?: string;
  /**
   * How clients reach the nodes' addresses.
   * @default - k3d: `K3D_PORT_MAPPINGS`; every other distribution: `DIRECT`
   */
  readonly nodeAddressAccess?: NodeAddressAccess;
}

/**
 * The facts of a k3d cluster.
 */
export interface K3dProfileOptions extends ClusterProfileOptions {
  /** The name given to `k3d cluster create` (its nodes are `k3d-<name>-server-0`, ...). */
  readonly clusterName: string;
}

/**
 * The facts of a kubeadm cluster.
 */
export interface KubeadmProfileOptions extends ClusterProfileOptions {
  /** The pod network (CNI plugin) the cluster runs. */
  readonly cni: Cni;
}

const OPTIONS_KEY_MAP = {
  nodePortRange: true, loadBalancer: true, networkPoliciesEnforced: true, ingressController: true, ingressClassName: true, nodeAddressAccess: true,
} as const;
const OPTIONS_KEYS = structKeys<ClusterProfileOptions>('ClusterProfileOptions', OPTIONS_KEY_MAP);
const K3D_KEYS = structKeys<K3dProfileOptions>('K3dProfileOptions', { ...OPTIONS_KEY_MAP, clusterName: true });
const KUBEADM_KEYS = structKeys<KubeadmProfileOptions>('KubeadmProfileOptions', { ...OPTIONS_KEY_MAP, cni: true });

/** The class name the profile's own errors carry. */
const CLASS_NAME = 'ClusterProfile';

const DEFAULT_INGRESS_CLASS: { [controller: string]: string | undefined } = {
  [IngressController.TRAEFIK]: 'traefik',
  [IngressController.INGRESS_NGINX]: 'nginx',
  [IngressController.GCE]: 'gce',
  [IngressController.NONE]: undefined,
};

/** A distribution's stock facts. */
interface StockFacts {
  readonly loadBalancer: LoadBalancerImplementation;
  readonly networkPoliciesEnforced: boolean;
  readonly ingressController: IngressController;
  readonly nodeAddressAccess: NodeAddressAccess;
}

const K3S_STOCK: StockFacts = {
  loadBalancer: LoadBalancerImplementation.SERVICE_LB,
  networkPoliciesEnforced: true,
  ingressController: IngressController.TRAEFIK,
  nodeAddressAccess: NodeAddressAccess.DIRECT,
};

const CLOUD_STOCK: StockFacts = {
  loadBalancer: LoadBalancerImplementation.CLOUD,
  networkPoliciesEnforced: false,
  ingressController: IngressController.NONE,
  nodeAddressAccess: NodeAddressAccess.DIRECT,
};

/** The provider whose Services each cloud's load balancers serve. */
const CLOUD_PROVIDER: { [distribution: string]: LoadBalancerProvider | undefined } = {
  [ClusterDistribution.EKS]: LoadBalancerProvider.AWS,
  [ClusterDistribution.GKE]: LoadBalancerProvider.GKE,
  [ClusterDistribution.AKS]: LoadBalancerProvider.AKS,
};

/** The hidden child of a scope that carries its profile. */
class ProfileAttachment extends Construct {
  constructor(scope: IConstruct, public readonly profile: ClusterProfile) {
    super(scope as Construct, PROFILE_ATTACHMENT_ID);
  }
}

// The brand `attachedProfile` looks for (it finds the child without loading this module).
Object.defineProperty(ProfileAttachment.prototype, PROFILE_ATTACHMENT, { value: true });

/**
 * What the target cluster is: its distribution and the facts the patterns depend on (node port
 * range, which load balancer answers, whether NetworkPolicies are enforced, the ingress
 * controller, how clients reach the nodes). Attach it once with `applyTo(scope)`; every pattern
 * under that scope reads it (the nearest scope's profile wins) to pick its defaults, to refuse
 * what would not work on that cluster (at synth time), and to tell in the access guide how to
 * reach it there.
 *
 * Without a profile every pattern behaves as documented for a generic cluster.
 *
 * @example
 * ClusterProfile.k3d({ clusterName: 'test' }).applyTo(app);
 */
export class ClusterProfile {
  /**
   * k3s on machines of your own: ServiceLB answers LoadBalancer Services on every node's address,
   * Traefik serves ingress (and holds ports 80 and 443 through ServiceLB), NetworkPolicies are
   * enforced by k3s' embedded controller.
   * @see https://docs.k3s.io/networking/networking-services
   */
  public static k3s(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile(ClusterDistribution.K3S, K3S_STOCK, options);
  }

  /**
   * k3s in Docker (k3d): as k3s, but the nodes are containers, so a client on the Docker host
   * reaches node ports, host ports, ServiceLB and Traefik only through the port mappings of
   * `k3d cluster create -p` (the access guide lists those the App needs).
   * @see https://k3d.io/stable/usage/exposing_services/
   */
  public static k3d(options: K3dProfileOptions): ClusterProfile {
    return new ClusterProfile(ClusterDistribution.K3D, { ...K3S_STOCK, nodeAddressAccess: NodeAddressAccess.K3D_PORT_MAPPINGS }, options,
      options?.clusterName);
  }

  /**
   * A kubeadm cluster: no load balancer implementation and no ingress controller unless
   * installed; NetworkPolicies are enforced as the CNI does (flannel: not at all).
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites
   */
  public static kubeadm(options: KubeadmProfileOptions): ClusterProfile {
    const cni = options?.cni;
    return new ClusterProfile(ClusterDistribution.KUBEADM, {
      loadBalancer: LoadBalancerImplementation.NONE,
      networkPoliciesEnforced: cni === Cni.CALICO || cni === Cni.CILIUM,
      ingressController: IngressController.NONE,
      nodeAddressAccess: NodeAddressAccess.DIRECT,
    }, options, undefined, cni);
  }

  /**
   * Amazon EKS: LoadBalancer Services are served by the AWS Load Balancer Controller
   * (`LoadBalancerService` defaults to `LoadBalancerProvider.AWS`); NetworkPolicies only with the
   * VPC CNI's network policy agent enabled.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
   */
  public static eks(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile(ClusterDistribution.EKS, CLOUD_STOCK, options);
  }

  /**
   * Google GKE: LoadBalancer Services get a passthrough Network Load Balancer, the GKE ingress
   * controller (class `gce`) serves Ingresses; NetworkPolicies only with Dataplane V2 or network
   * policy enforcement enabled.
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer
   */
  public static gke(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile(ClusterDistribution.GKE, { ...CLOUD_STOCK, ingressController: IngressController.GCE }, options);
  }

  /**
   * Azure AKS: LoadBalancer Services get an Azure Load Balancer; NetworkPolicies only with a
   * network policy engine enabled (`--network-policy`).
   * @see https://learn.microsoft.com/azure/aks/load-balancer-standard
   */
  public static aks(options: ClusterProfileOptions = {}): ClusterProfile {
    return new ClusterProfile(ClusterDistribution.AKS, CLOUD_STOCK, options);
  }

  /**
   * The profile of the nearest scope of `scope` (itself included) that has one.
   * @returns undefined when no scope above has a profile
   */
  public static of(scope: IConstruct): ClusterProfile | undefined {
    return attachedProfile(scope);
  }

  /** The distribution. */
  public readonly distribution: ClusterDistribution;
  /** The node port range. */
  public readonly nodePortRange: NodePortRange;
  /** What answers `LoadBalancer` Services that name no `loadBalancerClass`. */
  public readonly loadBalancer: LoadBalancerImplementation;
  /** Whether NetworkPolicies are enforced. */
  public readonly networkPoliciesEnforced: boolean;
  /** The ingress controller. */
  public readonly ingressController: IngressController;
  /** The IngressClass of the ingress controller, when there is one. */
  public readonly ingressClassName?: string;
  /** How clients reach the nodes' addresses. */
  public readonly nodeAddressAccess: NodeAddressAccess;
  /** The k3d cluster name (k3d only). */
  public readonly clusterName?: string;
  /** The CNI (kubeadm only). */
  public readonly cni?: Cni;

  /** The options as given, checked by `applyTo` (the first place with a construct path). */
  private readonly options: ClusterProfileOptions;

  private constructor(distribution: ClusterDistribution, stock: StockFacts, options: ClusterProfileOptions | undefined,
    clusterName?: string, cni?: Cni) {
    this.options = options ?? {};
    this.distribution = distribution;
    this.nodePortRange = this.options.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    this.loadBalancer = this.options.loadBalancer ?? stock.loadBalancer;
    this.networkPoliciesEnforced = this.options.networkPoliciesEnforced ?? stock.networkPoliciesEnforced;
    this.ingressController = this.options.ingressController ?? stock.ingressController;
    this.ingressClassName = this.options.ingressClassName ?? DEFAULT_INGRESS_CLASS[this.ingressController];
    this.nodeAddressAccess = this.options.nodeAddressAccess ?? stock.nodeAddressAccess;
    this.clusterName = clusterName;
    this.cni = cni;
  }

  /**
   * The `LoadBalancerService` provider that answers on this cluster: the cloud's on EKS, GKE and
   * AKS, `K3S_SERVICE_LB` where ServiceLB answers, `GENERIC` otherwise.
   */
  public get loadBalancerProvider(): LoadBalancerProvider {
    if (this.loadBalancer === LoadBalancerImplementation.SERVICE_LB) return LoadBalancerProvider.K3S_SERVICE_LB;
    if (this.loadBalancer === LoadBalancerImplementation.CLOUD) return CLOUD_PROVIDER[this.distribution] ?? LoadBalancerProvider.GENERIC;
    return LoadBalancerProvider.GENERIC;
  }

  /**
   * Makes this the profile of every pattern under `scope` (an App, a Chart or any construct)
   * that has no nearer profile. A scope has at most one profile.
   */
  public applyTo(scope: IConstruct): void {
    const check = new Checker(scope, CLASS_NAME);
    this.checkOptions(check);
    const existing = ownProfile(scope);
    if (existing) {
      check.fail('applyTo', `was already called on this scope (with the ${existing.distribution} profile)`, this.distribution,
        'Attach one profile per scope: the profile of an App applies to all its charts, and a chart\'s own profile overrides it.');
    }
    new ProfileAttachment(scope, this);
  }

  private checkOptions(check: Checker): void {
    const keys = this.distribution === ClusterDistribution.K3D ? K3D_KEYS
      : this.distribution === ClusterDistribution.KUBEADM ? KUBEADM_KEYS : OPTIONS_KEYS;
    const o = check.struct('options', this.options, keys);
    if (this.distribution === ClusterDistribution.K3D) {
      const problem = typeof this.clusterName === 'string' ? dns1123LabelProblem(this.clusterName) : 'must be a string';
      if (problem) {
        check.fail('clusterName', problem, this.clusterName, 'Pass the name given to k3d cluster create, e.g. "test".');
      }
    }
    if (this.distribution === ClusterDistribution.KUBEADM) {
      check.enumValue('cni', this.cni, Cni, 'Cni', { problem: 'must be a Cni (it decides whether NetworkPolicies are enforced)' });
      if (this.cni === undefined) check.fail('cni', 'must be a Cni (it decides whether NetworkPolicies are enforced)', this.cni, 'Use Cni.FLANNEL, Cni.CALICO or Cni.CILIUM.');
    }
    checkNodePortRange(check, this.nodePortRange);
    check.enumValue('loadBalancer', o.loadBalancer, LoadBalancerImplementation, 'LoadBalancerImplementation');
    check.enumValue('ingressController', o.ingressController, IngressController, 'IngressController');
    check.enumValue('nodeAddressAccess', o.nodeAddressAccess, NodeAddressAccess, 'NodeAddressAccess');
    check.boolean('networkPoliciesEnforced', o.networkPoliciesEnforced);
    if (o.ingressClassName !== undefined) {
      const problem = typeof o.ingressClassName === 'string' ? dns1123LabelProblem(o.ingressClassName) : 'must be a string';
      if (problem) check.fail('ingressClassName', problem, o.ingressClassName, 'Use the metadata.name of the IngressClass, e.g. "traefik".');
    }
    if (this.ingressController === IngressController.NONE && o.ingressClassName !== undefined) {
      check.fail('ingressClassName', 'needs an ingress controller, but ingressController is NONE', o.ingressClassName,
        'Set ingressController to the controller that serves this class, or omit ingressClassName.');
    }
    if (this.loadBalancer === LoadBalancerImplementation.SERVICE_LB && this.distribution !== ClusterDistribution.K3S
      && this.distribution !== ClusterDistribution.K3D) {
      check.fail('loadBalancer', `is ServiceLB, which only k3s (and k3d) run, but the distribution is ${this.distribution}`, this.loadBalancer,
        'Use LoadBalancerImplementation.METALLB, CLOUD or NONE, or ClusterProfile.k3s().');
    }
    if (this.loadBalancer === LoadBalancerImplementation.CLOUD && CLOUD_PROVIDER[this.distribution] === undefined) {
      check.fail('loadBalancer', `is CLOUD, but ${this.distribution} has no cloud load balancer`, this.loadBalancer,
        'Use LoadBalancerImplementation.METALLB, SERVICE_LB (k3s) or NONE, or the profile of your cloud (ClusterProfile.eks(), gke(), aks()).');
    }
  }
}
