/**
 * Every pattern's fuzz generator. A new pattern plugs in with one module exporting a
 * `PatternFuzzer` and one line here.
 */
import { apiProxyFuzzer } from './api-proxy';
import { clusterIpFuzzer } from './cluster-ip';
import { PatternFuzzer } from './framework';
import { headlessFuzzer } from './headless';
import { hostNetworkFuzzer, hostPortFuzzer } from './host';
import { ingressFuzzer } from './ingress';
import { metalLbFuzzer } from './metallb';
import { nodePortFuzzer } from './node-port';
import { podIpFuzzer } from './pod-ip';

export const FUZZERS: { [pattern: string]: PatternFuzzer } = {
  NodePortService: nodePortFuzzer,
  ClusterIpService: clusterIpFuzzer,
  HeadlessService: headlessFuzzer,
  HostNetworkApp: hostNetworkFuzzer,
  HostPortApp: hostPortFuzzer,
  MetalLbLoadBalancer: metalLbFuzzer,
  IngressRoute: ingressFuzzer,
  ApiProxyAccess: apiProxyFuzzer,
  PodIpReachability: podIpFuzzer,
};
