/**
 * Fuzz generator of MetalLbLoadBalancer (with, sometimes, a MetalLbAddressPool of its own).
 */
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as fc from 'fast-check';
import {
  allowFromInvariants, anyAllowFrom, anyNamespace, anySelector, anyServiceName, makeAllowFrom, makeSelector, PeerSpec, sometimes,
  validSelector, validServiceName,
} from './arbitraries';
import { Built, PatternFuzzer } from './framework';
import { anyServicePorts, dropUndefined, serviceDocOf, serviceInvariants, validServicePorts } from './services';
import { parseCidr, parseIp } from '../../src/core/net';
import { IpFamily, MetalLbAnnotationStyle, MetalLbLoadBalancer } from '../../src/metallb/metallb-load-balancer';
import { MetalLbAddressPool } from '../../src/metallb/metallb-pool';
import { ExternalTrafficPolicy } from '../../src/service/service-vocabulary';

interface Input {
  readonly selector: any;
  readonly ports: any;
  /** A pool of this App: the construct gets `<id>Pool` with these addresses. */
  readonly pool?: string[];
  readonly poolName?: any;
  readonly loadBalancerIPs?: any;
  readonly ipFamilies?: any;
  readonly sharedIpKey?: any;
  readonly externalTrafficPolicy?: any;
  readonly loadBalancerSourceRanges?: any;
  readonly allocateLoadBalancerNodePorts?: any;
  readonly loadBalancerClass?: any;
  readonly annotationStyle?: any;
  readonly name?: any;
  readonly namespace?: any;
  readonly allowFrom?: PeerSpec[];
}

/** Pools of distinct addresses (a pool per construct: two constructs' pools must not overlap, so pools come from a small set). */
const validPool = fc.constantFrom(['192.168.9.0/24'], ['192.168.10.10-192.168.10.20'], ['fd00:9::/120'], ['192.168.11.0/28', 'fd00:11::/124']);
/** Addresses inside and outside those pools, IPv4 and IPv6, some in non-canonical spellings. */
const lbIp = fc.constantFrom('192.168.9.0', '192.168.9.10', '192.168.10.15', '192.168.11.1', 'fd00:9::10', 'FD00:9:0::10', 'fd00:11::1', '10.0.0.1');
const anyLbIps = fc.oneof<any>(
  { weight: 6, arbitrary: fc.array(lbIp, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom([], ['192.168.9.256'], ['192.168.9.0/32'], 'fd00:9::10', [' 192.168.9.1'], ['192.168.9.1', '192.168.9.2', 'fd00:9::1']) },
);
const anyFamilies = fc.oneof<any>(
  { weight: 6, arbitrary: fc.constantFrom([IpFamily.IPV4], [IpFamily.IPV6], [IpFamily.IPV4, IpFamily.IPV6], [IpFamily.IPV6, IpFamily.IPV4]) },
  { weight: 1, arbitrary: fc.constantFrom([], [IpFamily.IPV4, IpFamily.IPV4], ['IPv5'], [IpFamily.IPV4, IpFamily.IPV6, IpFamily.IPV4]) },
);
const anySourceRanges = fc.oneof<any>(
  { weight: 6, arbitrary: fc.array(fc.constantFrom('203.0.113.0/24', '10.0.0.0/8', '0.0.0.0/0', 'fd00::/8', '2001:db8::/32'), { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom([], ['203.0.113.7/24'], ['203.0.113.0'], ['bogus'], ['10.0.0.0/33']) },
);

const valid: fc.Arbitrary<Input> = fc.record({
  selector: validSelector,
  ports: validServicePorts(true),
  pool: sometimes(validPool),
  externalTrafficPolicy: fc.constantFrom(undefined, ExternalTrafficPolicy.CLUSTER, ExternalTrafficPolicy.LOCAL),
  sharedIpKey: sometimes(fc.constantFrom('dns', 'web')),
  allocateLoadBalancerNodePorts: fc.constantFrom(undefined, false, true),
  annotationStyle: fc.constantFrom(undefined, MetalLbAnnotationStyle.CURRENT, MetalLbAnnotationStyle.LEGACY),
  name: sometimes(validServiceName),
}).map(dropUndefined);

const edgy: fc.Arbitrary<Input> = fc.record({
  selector: anySelector,
  ports: anyServicePorts('rarely'),
  pool: sometimes(validPool),
  poolName: sometimes(fc.constantFrom<any>('public', 'pool.example', 'Public', '')),
  loadBalancerIPs: sometimes(anyLbIps, 2),
  ipFamilies: sometimes(anyFamilies),
  sharedIpKey: sometimes(fc.constantFrom<any>('dns', 'web', '', ' ', 7)),
  externalTrafficPolicy: fc.constantFrom<any>(undefined, ExternalTrafficPolicy.CLUSTER, ExternalTrafficPolicy.LOCAL, 'local'),
  loadBalancerSourceRanges: sometimes(anySourceRanges),
  allocateLoadBalancerNodePorts: fc.constantFrom<any>(undefined, false, true, 'no'),
  loadBalancerClass: sometimes(fc.constantFrom<any>('example.com/metallb', 'metallb', 'Bad Class', '')),
  annotationStyle: fc.constantFrom<any>(undefined, MetalLbAnnotationStyle.CURRENT, MetalLbAnnotationStyle.LEGACY, 'metallb'),
  name: sometimes(anyServiceName),
  namespace: anyNamespace,
  allowFrom: anyAllowFrom,
}).map(dropUndefined);

/** The canonical form of an address, for comparisons. */
const canonical = (ip: string) => {
  const parsed = parseIp(ip);
  return parsed ? `${parsed.family}/${parsed.value}` : ip;
};

/** MetalLB's sharing rule, re-stated: one address, the same key, disjoint ports, and with Local the same pods. */
function sharingProblems(lb: MetalLbLoadBalancer, docs: any[]): string[] {
  const problems: string[] = [];
  const mine = new Set((lb.loadBalancerIPs ?? []).map(canonical));
  if (mine.size === 0) return problems;
  const others = lb.node.root.node.findAll().filter((c: IConstruct): c is MetalLbLoadBalancer => c instanceof MetalLbLoadBalancer && c !== lb);
  for (const other of others) {
    if (!(other.loadBalancerIPs ?? []).some((ip) => mine.has(canonical(ip)))) continue;
    if (lb.sharedIpKey === undefined || lb.sharedIpKey !== other.sharedIpKey) {
      problems.push(`shares a load balancer IP with [${other.node.path}] without the same sharedIpKey`);
      continue;
    }
    const ports = new Set(lb.servicePorts.map((p) => `${p.port}/${p.protocol}`));
    if (other.servicePorts.some((p) => ports.has(`${p.port}/${p.protocol}`))) problems.push(`shares a load balancer IP and a port with [${other.node.path}]`);
    const local = lb.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL || other.externalTrafficPolicy === ExternalTrafficPolicy.LOCAL;
    const selector = (svc: MetalLbLoadBalancer) => JSON.stringify(serviceDocOf(svc, docs)?.spec?.selector ?? {});
    if (local && (lb.externalTrafficPolicy !== other.externalTrafficPolicy || selector(lb) !== selector(other))) {
      problems.push(`shares a load balancer IP with [${other.node.path}] under externalTrafficPolicy Local with other pods or policy`);
    }
  }
  return problems;
}

export const metalLbFuzzer: PatternFuzzer<Input> = {
  className: 'MetalLbLoadBalancer',
  otherClassNames: ['MetalLbAddressPool'],
  input: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: edgy }),
  javascriptCallers: true,
  build(scope: Chart, id: string, input: Input, caller): Built {
    const made = makeSelector(scope, id, input.selector, input.namespace ?? scope.namespace ?? 'default', input.ports);
    const pool = input.pool ? new MetalLbAddressPool(scope, `${id}Pool`, { addresses: input.pool }) : undefined;
    const { pool: _pool, allowFrom, ...props } = input;
    const lb = new MetalLbLoadBalancer(scope, id, caller({
      ...props, pool, selector: made.selector, allowFrom: makeAllowFrom(scope, id, allowFrom),
    }));
    return {
      construct: lb,
      check: (docs) => {
        const problems = serviceInvariants(lb, { type: 'LoadBalancer', ports: input.ports, made, name: input.name }, docs);
        const doc = serviceDocOf(lb, docs);
        if (!doc) return problems;
        const spec = doc.spec;
        const prefix = input.annotationStyle ?? MetalLbAnnotationStyle.CURRENT;
        const annotations = doc.metadata.annotations ?? {};
        const wantAnnotations = dropUndefined({
          [`${prefix}/address-pool`]: pool?.poolName ?? input.poolName,
          [`${prefix}/loadBalancerIPs`]: lb.loadBalancerIPs?.join(','),
          [`${prefix}/allow-shared-ip`]: input.sharedIpKey,
        });
        if (JSON.stringify(Object.entries(annotations).sort()) !== JSON.stringify(Object.entries(wantAnnotations).sort())) {
          problems.push(`annotations ${JSON.stringify(annotations)}, expected ${JSON.stringify(wantAnnotations)}`);
        }
        if ((lb.loadBalancerIPs ?? []).map(canonical).join() !== ((input.loadBalancerIPs as string[] | undefined) ?? []).map(canonical).join()) {
          problems.push(`loadBalancerIPs ${lb.loadBalancerIPs} differ from the given ${input.loadBalancerIPs}`);
        }
        if (spec.allocateLoadBalancerNodePorts !== (input.allocateLoadBalancerNodePorts === true ? undefined : false)) {
          problems.push(`allocateLoadBalancerNodePorts ${spec.allocateLoadBalancerNodePorts}, given ${input.allocateLoadBalancerNodePorts}`);
        }
        if (spec.loadBalancerIP !== undefined) problems.push('the deprecated spec.loadBalancerIP is set');
        // Pinned addresses: one per family, of the Service's families, inside the pool.
        const families: string[] = spec.ipFamilies ?? [];
        for (const ip of lb.loadBalancerIPs ?? []) {
          const family = `IPv${parseIp(ip)?.family}`;
          if (families.length > 0 && !families.includes(family)) problems.push(`loadBalancerIP ${ip} is not of the Service's families ${families}`);
          if (pool && !pool.addresses.some((a) => contains(a, ip))) problems.push(`loadBalancerIP ${ip} is outside the pool ${pool.addresses}`);
        }
        // Source ranges: every family the Service serves has one (else kube-proxy opens it to all).
        if (spec.loadBalancerSourceRanges) {
          const rangeFamilies = new Set((spec.loadBalancerSourceRanges as string[]).map((r) => `IPv${parseCidr(r)?.family}`));
          // The families it may end up with: said, else pinned, else its pool's, else either (the cluster's).
          const pinned = [...new Set((lb.loadBalancerIPs ?? []).map((ip) => `IPv${parseIp(ip)?.family}`))];
          const pooled = pool ? [...new Set(pool.addresses.map((a) => `IPv${a.includes(':') ? 6 : 4}`))] : ['IPv4', 'IPv6'];
          const served = families.length > 0 ? families : pinned.length > 0 ? pinned : pooled;
          for (const f of served) if (!rangeFamilies.has(f)) problems.push(`no loadBalancerSourceRange of family ${f}`);
        }
        problems.push(...sharingProblems(lb, docs));
        problems.push(...allowFromInvariants(lb.networkPolicy?.name, input.allowFrom, lb.namespace, spec.selector,
          [...new Set((input.ports as any[]).map((p) => `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`))], docs));
        return problems;
      },
    };
  },
};

/** Whether a pool entry (CIDR or first-last range) holds `ip`. */
function contains(entry: string, ip: string): boolean {
  const address = parseIp(ip);
  if (!address) return false;
  if (entry.includes('/')) {
    const cidr = parseCidr(entry);
    return !!cidr && cidr.family === address.family && address.value >= cidr.first && address.value <= cidr.last;
  }
  const [first, last] = entry.split('-').map((t) => parseIp(t.trim()));
  return !!first && !!last && first.family === address.family && address.value >= first.value && address.value <= last.value;
}
