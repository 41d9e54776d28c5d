/**
 * Every example scenario: one deterministic Chart each. `main.ts` synthesizes each to
 * examples.out/<id>/, and test/examples.test.ts validates and snapshots each.
 */
import { App, Chart } from 'cdk8s';
import { apiProxyExample, API_PROXY_EXAMPLE } from './api-proxy';
import { clusterIpExample, CLUSTER_IP_EXAMPLE } from './cluster-ip';
import { eksInternalNlbExample, EKS_INTERNAL_NLB_EXAMPLE } from './eks-internal-nlb';
import { headlessExample, HEADLESS_EXAMPLE } from './headless';
import { hostNetworkExample, HOST_NETWORK_EXAMPLE } from './host-network';
import { hostPortExample, HOST_PORT_EXAMPLE } from './host-port';
import { ingressControllerNodePortExample, INGRESS_CONTROLLER_NODE_PORT_EXAMPLE } from './ingress-controller-node-port';
import {
  ingressNginxExample, ingressNginxGatewayApiExample, ingressNginxTraefikExample,
  INGRESS_NGINX_EXAMPLE, INGRESS_NGINX_GATEWAY_API_EXAMPLE, INGRESS_NGINX_TRAEFIK_EXAMPLE,
} from './ingress-nginx';
import { k3dExample, K3D_EXAMPLE } from './k3d';
import { metallbBgpExample, METALLB_BGP_EXAMPLE } from './metallb-bgp';
import { metallbL2Example, METALLB_L2_EXAMPLE } from './metallb-l2';
import { nodePortExample, NODE_PORT_EXAMPLE } from './node-port';
import { podIpExample, POD_IP_EXAMPLE } from './pod-ip';

/** Where the rendered access guide of each example is committed (linked from the README). */
export const GUIDES_DIR = 'docs/access-guides';

/** Builds one example chart in `app`. */
export type ExampleFactory = (app: App) => Chart;

/** Example id (the chart id and the output file name) to factory. */
export const EXAMPLES: { [id: string]: ExampleFactory } = {
  [HOST_NETWORK_EXAMPLE]: hostNetworkExample,
  [HOST_PORT_EXAMPLE]: hostPortExample,
  [NODE_PORT_EXAMPLE]: nodePortExample,
  [CLUSTER_IP_EXAMPLE]: clusterIpExample,
  [HEADLESS_EXAMPLE]: headlessExample,
  [METALLB_L2_EXAMPLE]: metallbL2Example,
  [METALLB_BGP_EXAMPLE]: metallbBgpExample,
  [INGRESS_NGINX_EXAMPLE]: ingressNginxExample,
  [INGRESS_NGINX_TRAEFIK_EXAMPLE]: ingressNginxTraefikExample,
  [INGRESS_NGINX_GATEWAY_API_EXAMPLE]: ingressNginxGatewayApiExample,
  [INGRESS_CONTROLLER_NODE_PORT_EXAMPLE]: ingressControllerNodePortExample,
  [API_PROXY_EXAMPLE]: apiProxyExample,
  [POD_IP_EXAMPLE]: podIpExample,
  [K3D_EXAMPLE]: k3dExample,
  [EKS_INTERNAL_NLB_EXAMPLE]: eksInternalNlbExample,
};
