/**
 * Fuzz generator of PodIpReachability.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { sometimes } from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { dropUndefined } from './services';
import { PodIpReachability } from '../../src/calico/pod-ip-reachability';
import { networkOf, parseCidr } from '../../src/core/net';

interface Input {
  readonly podCidr: any;
  readonly asNumber: any;
  readonly peers: any;
  readonly nodeToNodeMesh?: any;
  readonly advertiseServiceClusterIPs?: any;
  readonly advertiseServiceExternalIPs?: any;
  readonly advertiseServiceLoadBalancerIPs?: any;
  readonly blockSize?: any;
  readonly poolName?: any;
}

const validCidr = fc.constantFrom('10.244.0.0/16', '192.168.128.0/20', '10.0.0.0/26', 'fd00:10:244::/56', 'fd00::/116');
const invalidCidr = fc.constantFrom<any>('10.244.0.1/16', '169.254.0.0/16', 'fe80::/64', '10.0.0.0/27', '10.0.0.0', 'bogus', '', '10.0.0.0/33');
// The CRDs declare asNumber `format: int32`: 4-byte AS numbers past 2147483647 are refused.
const validAs = fc.constantFrom(64512, 65000, 1, 2147483647);
const anyAs = fc.oneof<any>({ weight: 6, arbitrary: validAs }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2147483648, 4200000000, 4294967295, 4294967296, 1.5, NaN, '65000') });
const validPeerIp = fc.constantFrom('192.168.1.1', '192.168.1.2', '10.0.0.1', 'fd00::1', 'FD00:0::1');
const anyPeerIp = fc.oneof<any>({ weight: 6, arbitrary: validPeerIp }, { weight: 1, arbitrary: fc.constantFrom('192.168.1.1:179', '192.168.1.256', '', '0.0.0.0', 'fe80::1%eth0') });
const validNodeSelector = fc.constantFrom<{ [key: string]: string }>({ rack: 'a' }, { rack: 'b' }, { 'kubernetes.io/hostname': 'node-1', 'rack': 'a' });
const anyNodeSelector = fc.oneof<any>({ weight: 6, arbitrary: validNodeSelector }, { weight: 1, arbitrary: fc.constantFrom({}, { 'bad key': 'a' }, { rack: "a' || true" }) });

const peer = (edgy: boolean) => fc.record({
  peerIP: edgy ? anyPeerIp : validPeerIp,
  asNumber: edgy ? anyAs : validAs,
  nodeSelector: sometimes(edgy ? anyNodeSelector : validNodeSelector, 2),
  name: sometimes(edgy ? fc.constantFrom<any>('tor-a', 'tor.a', 'Tor', '') : fc.constantFrom('tor-a', 'tor-b', 'core.example')),
}).map(dropUndefined);

const advertised = (edgy: boolean) => sometimes(edgy
  ? fc.oneof<any>(fc.array(fc.oneof(validCidr, invalidCidr), { maxLength: 2 }), fc.constantFrom('10.96.0.0/12'))
  : fc.array(fc.constantFrom('10.96.0.0/12', '203.0.113.0/24', 'fd00:96::/108'), { minLength: 1, maxLength: 2 }), 2);

/** A valid input: the pool's family decides its block size and needs a peer of that family. */
const validInput: fc.Arbitrary<Input> = fc.constantFrom(4, 6).chain((family) => fc.record({
  podCidr: family === 4 ? fc.constantFrom('10.244.0.0/16', '192.168.128.0/20', '10.0.0.0/26') : fc.constantFrom('fd00:10:244::/56', 'fd00::/116'),
  asNumber: validAs,
  peers: fc.tuple(
    fc.record({ peerIP: fc.constantFrom(...(family === 4 ? ['192.168.1.1', '10.0.0.1'] : ['fd00::1', 'fd00::2'])), asNumber: validAs }),
    fc.uniqueArray(fc.record({ peerIP: fc.constantFrom('192.168.1.3', '192.168.1.4', 'fd00::3'), asNumber: validAs, nodeSelector: sometimes(validNodeSelector, 2) })
      .map(dropUndefined), { maxLength: 2, selector: (x) => x.peerIP }),
  ).map(([first, rest]) => [first, ...rest]),
  nodeToNodeMesh: fc.constantFrom(undefined, true, false),
  advertiseServiceClusterIPs: sometimes(fc.constantFrom(['10.96.0.0/12'], ['10.96.0.0/12', 'fd00:96::/108']), 2),
  advertiseServiceExternalIPs: sometimes(fc.constantFrom(['203.0.113.0/24']), 2),
  advertiseServiceLoadBalancerIPs: sometimes(fc.constantFrom(['192.168.9.0/24'], ['192.168.9.0/24', '192.168.10.0/24']), 2),
  blockSize: sometimes(fc.constantFrom(...(family === 4 ? [26, 28] : [122, 124])), 4),
  poolName: sometimes(fc.constantFrom('pods', 'pods.example')),
}).map(dropUndefined));

const input = (edgy: boolean): fc.Arbitrary<Input> => fc.record({
  podCidr: edgy ? fc.oneof<any>({ weight: 3, arbitrary: validCidr }, { weight: 1, arbitrary: invalidCidr }) : validCidr,
  asNumber: edgy ? anyAs : validAs,
  peers: edgy
    ? fc.oneof<any>({ weight: 8, arbitrary: fc.array(peer(true), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(undefined, {}) })
    : fc.array(peer(false), { minLength: 1, maxLength: 3 }),
  nodeToNodeMesh: edgy ? fc.constantFrom<any>(undefined, true, false, 'no') : fc.constantFrom(undefined, true, false),
  advertiseServiceClusterIPs: advertised(edgy),
  advertiseServiceExternalIPs: advertised(edgy),
  advertiseServiceLoadBalancerIPs: advertised(edgy),
  blockSize: sometimes(edgy ? fc.constantFrom<any>(20, 26, 32, 116, 122, 128, 19, 33, 26.5) : fc.constantFrom(26, 28), 4),
  poolName: sometimes(edgy ? fc.constantFrom<any>('pods', 'pods.example', 'Pods', '') : fc.constantFrom('pods', 'pods.example')),
}).map(dropUndefined);

export const podIpFuzzer: PatternFuzzer<Input> = {
  className: 'PodIpReachability',
  singleton: true,
  input: fc.oneof({ weight: 3, arbitrary: validInput }, { weight: 1, arbitrary: input(true) }),
  javascriptCallers: true,
  build(scope: Chart, id: string, given: Input, caller): Built {
    const reach = new PodIpReachability(scope, id, caller(given));
    return {
      construct: reach,
      check: (docs) => {
        const problems: string[] = [];
        const calico = docs.filter((d) => String(d.apiVersion).startsWith('projectcalico.org/'));
        for (const d of calico) if (d.metadata.namespace !== undefined) problems.push(`cluster-scoped ${d.kind}/${d.metadata.name} has a namespace`);
        const pool = calico.find((d) => d.kind === 'IPPool' && d.metadata.name === reach.ipPool.name);
        const cidr = parseCidr(given.podCidr);
        if (!pool || !cidr) return [...problems, `no IPPool ${reach.ipPool.name}`];
        const want = dropUndefined({ cidr: networkOf(cidr), blockSize: given.blockSize, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: false });
        if (JSON.stringify(Object.entries(pool.spec).sort()) !== JSON.stringify(Object.entries(want).sort())) {
          problems.push(`IPPool spec ${JSON.stringify(pool.spec)}, expected ${JSON.stringify(want)}`);
        }
        const bgp = calico.find((d) => d.kind === 'BGPConfiguration');
        if (bgp?.metadata.name !== 'default' || bgp?.spec.asNumber !== given.asNumber) problems.push(`BGPConfiguration ${JSON.stringify(bgp)}`);
        if (given.nodeToNodeMesh === false && bgp?.spec.nodeToNodeMeshEnabled !== false) problems.push('node-to-node mesh not turned off');
        for (const [prop, field] of [['advertiseServiceClusterIPs', 'serviceClusterIPs'], ['advertiseServiceExternalIPs', 'serviceExternalIPs'],
          ['advertiseServiceLoadBalancerIPs', 'serviceLoadBalancerIPs']] as const) {
          const emitted = (bgp?.spec[field] ?? []).map((c: any) => c.cidr).join();
          const wanted = ((given[prop] as string[] | undefined) ?? []).map((c) => networkOf(parseCidr(c)!)).join();
          if (emitted !== wanted) problems.push(`BGPConfiguration ${field} ${emitted}, expected ${wanted}`);
        }
        const peers = calico.filter((d) => d.kind === 'BGPPeer');
        if (peers.length !== given.peers.length) problems.push(`${peers.length} BGPPeers, ${given.peers.length} given`);
        for (const [i, p] of (given.peers as any[]).entries()) {
          const doc = peers[i];
          if (!doc) continue;
          if (doc.spec.asNumber !== p.asNumber) problems.push(`BGPPeer ${i} asNumber ${doc.spec.asNumber}`);
          const selector = Object.entries(p.nodeSelector ?? {}).map(([k, v]) => `${k} == '${v}'`).join(' && ');
          if ((doc.spec.nodeSelector ?? '') !== selector) problems.push(`BGPPeer ${i} nodeSelector ${doc.spec.nodeSelector}, expected ${selector}`);
        }
        return problems;
      },
    };
  },
};
