/**
 * Who provisions the address of a `LoadBalancerService`, which decides the annotations it carries,
 * whether it can be internal, and how its address is found.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export enum LoadBalancerProvider {
  /**
   * The AWS Load Balancer Controller (v2.2 or later), as a Network Load Balancer with IP targets:
   * `service.beta.kubernetes.io/aws-load-balancer-type: external`,
   * `...-nlb-target-type: ip` and `...-scheme: internal` or `internet-facing`. Its address is a
   * DNS host name.
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/nlb/
   */
  AWS = 'aws',
  /**
   * GKE's service controller: a passthrough Network Load Balancer, internal with
   * `networking.gke.io/load-balancer-type: Internal`.
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters
   */
  GKE = 'gke',
  /**
   * AKS's cloud provider: an Azure Load Balancer, internal with
   * `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`.
   * @see https://learn.microsoft.com/azure/aks/internal-lb
   */
  AKS = 'aks',
  /**
   * k3s' ServiceLB (Klipper): a DaemonSet that binds each Service port as a host port on every
   * node and answers on every node's address. No annotations; it cannot make an internal load
   * balancer.
   * @see https://docs.k3s.io/networking/networking-services#service-load-balancer
   */
  K3S_SERVICE_LB = 'k3s-servicelb',
  /**
   * Whatever load balancer implementation the cluster runs (a cloud controller manager, kube-vip,
   * Cilium, ...): no annotations. Where the address is reachable from is that implementation's
   * choice.
   */
  GENERIC = 'generic',
}
