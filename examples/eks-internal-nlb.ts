/**
 * The seeds' nginx on Amazon EKS behind an internal Network Load Balancer: the `ClusterProfile.eks`
 * profile makes `LoadBalancerService` an AWS Load Balancer Controller NLB with IP targets,
 * internal (reachable from the VPC and the networks connected to it only), with no node ports.
 *
 * Needs the AWS Load Balancer Controller. Find the NLB's DNS name with
 * `kubectl get service nginx -o jsonpath='{.status.loadBalancer.ingress[0].hostname}'`, then
 * `curl -v http://<that-name>/` from inside the VPC (the office range 10.20.0.0/16 only).
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { seedNginxDeployment } from './images';
import { ClusterProfile } from '../src/profile/cluster-profile';
import { LoadBalancerService } from '../src/service/load-balancer';
import { IpFamily } from '../src/service/load-balancer-base';

/** nginx behind an internal NLB. */
export class EksInternalNlbChart extends Chart {
  /** The LoadBalancer Service. */
  public readonly loadBalancer: LoadBalancerService;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    ClusterProfile.eks().applyTo(this);

    // nginx runs as root and writes to its filesystem: see examples/images.ts.
    const nginx = seedNginxDeployment(this);
    this.loadBalancer = new LoadBalancerService(this, 'NginxLoadBalancer', {
      name: 'nginx',
      selector: nginx,
      ports: [{ name: 'http', port: 80, appProtocol: 'http' }],
      // An EKS cluster is IPv4 unless it was created for IPv6: saying so lets the IPv4-only
      // source ranges below cover every family the Service has.
      ipFamilies: [IpFamily.IPV4],
      // The controller turns these into security group rules of the NLB.
      loadBalancerSourceRanges: ['10.20.0.0/16'],
    });
  }
}

/** The chart id of this example. */
export const EKS_INTERNAL_NLB_EXAMPLE = 'eks-internal-nlb';

/** Builds the example in `app`. */
export function eksInternalNlbExample(app: App): Chart {
  return new EksInternalNlbChart(app, EKS_INTERNAL_NLB_EXAMPLE);
}
