/**
 * An independent oracle of the rules the Kubernetes 1.27 API server enforces beyond the OpenAPI
 * schema (pkg/apis/core/validation: ValidateService, ValidatePodSpec's port rules, the node port
 * and cluster IP allocators), and of the App-wide facts a cluster enforces (one object per
 * kind/namespace/name, one Service per node port, one Service per cluster IP).
 *
 * The schema harness (test/util.ts) checks types and field names; these rules check values.
 * Each function returns the problems found, empty when the API server would accept the input.
 */
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, ianaServiceNameProblem, labelKeyProblem, labelValueProblem } from '../../src/core/names';
import { parseCidr, parseIp } from '../../src/core/net';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job']);

const isPort = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** `metadata.namespace`, or the namespace the object lands in when it has none. */
export function namespaceOf(doc: any): string {
  return doc?.metadata?.namespace ?? 'default';
}

/** Problems of one Service document (ValidateService). */
export function serviceProblems(doc: any): string[] {
  const problems: string[] = [];
  const spec = doc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports: any[] = spec.ports ?? [];
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    problems.push(`spec.type: unsupported value ${JSON.stringify(type)}`);
  }
  if (ports.length === 0 && !headless && type !== 'ExternalName') {
    problems.push('spec.ports: Required value');
  }
  if (headless && type !== 'ClusterIP') {
    problems.push(`spec.clusterIP: "None" is only allowed with type ClusterIP, not ${type}`);
  }
  if (spec.clusterIP !== undefined && spec.clusterIP !== 'None' && spec.clusterIP !== '' && !parseIp(spec.clusterIP)) {
    problems.push(`spec.clusterIP: must be a valid IP address or "None"; got ${JSON.stringify(spec.clusterIP)}`);
  }
  const names = new Set<string>();
  const portKeys = new Set<string>();
  const nodePortKeys = new Set<string>();
  ports.forEach((p, i) => {
    const where = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) problems.push(`${where}.name: Required value (more than one port)`);
    if (p.name !== undefined) {
      const problem = ianaServiceNameProblem(p.name);
      if (problem) problems.push(`${where}.name ${problem}: ${JSON.stringify(p.name)}`);
      if (names.has(p.name)) problems.push(`${where}.name: Duplicate value ${JSON.stringify(p.name)}`);
      names.add(p.name);
    }
    if (!isPort(p.port)) problems.push(`${where}.port: must be 1-65535; got ${p.port}`);
    const protocol = p.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) problems.push(`${where}.protocol: unsupported value ${JSON.stringify(protocol)}`);
    if (p.targetPort !== undefined) {
      if (typeof p.targetPort === 'string') {
        const problem = ianaServiceNameProblem(p.targetPort);
        if (problem) problems.push(`${where}.targetPort ${problem}`);
      } else if (!isPort(p.targetPort)) {
        problems.push(`${where}.targetPort: must be 1-65535; got ${p.targetPort}`);
      }
    }
    const key = `${p.port}/${protocol}`;
    if (portKeys.has(key)) problems.push(`${where}: Duplicate value ${key}`);
    portKeys.add(key);
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        problems.push(`${where}.nodePort: Forbidden: may not be used when \`type\` is '${type}'`);
      }
      if (!isPort(p.nodePort)) problems.push(`${where}.nodePort: must be 1-65535; got ${p.nodePort}`);
      const nodeKey = `${p.nodePort}/${protocol}`;
      if (nodePortKeys.has(nodeKey)) problems.push(`${where}.nodePort: Duplicate value ${nodeKey}`);
      nodePortKeys.add(nodeKey);
    }
  });
  if (spec.externalTrafficPolicy !== undefined) {
    if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
      problems.push(`spec.externalTrafficPolicy: unsupported value ${JSON.stringify(spec.externalTrafficPolicy)}`);
    }
    if (type === 'ClusterIP' || type === 'ExternalName') {
      problems.push('spec.externalTrafficPolicy: may only be set for externally-accessible services');
    }
  }
  // Load balancer fields (validateServiceSpec, ValidateLoadBalancerSourceRanges, validateIPFamilies).
  const loadBalancer = type === 'LoadBalancer';
  if (spec.allocateLoadBalancerNodePorts !== undefined && !loadBalancer) {
    problems.push('spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is \'LoadBalancer\'');
  }
  if (spec.loadBalancerClass !== undefined) {
    if (!loadBalancer) problems.push('spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\'');
    const problem = labelKeyProblem(spec.loadBalancerClass);
    if (problem) problems.push(`spec.loadBalancerClass ${problem}`);
  }
  if (spec.loadBalancerSourceRanges !== undefined) {
    if (!loadBalancer) problems.push('spec.loadBalancerSourceRanges: may only be used when `type` is \'LoadBalancer\'');
    for (const range of spec.loadBalancerSourceRanges) {
      if (!parseCidr(String(range).trim())) problems.push(`spec.loadBalancerSourceRanges: ${JSON.stringify(range)} is not a CIDR`);
    }
  }
  const families: string[] = spec.ipFamilies ?? [];
  if (families.length > 2 || new Set(families).size !== families.length || families.some((f) => f !== 'IPv4' && f !== 'IPv6')) {
    problems.push(`spec.ipFamilies: at most one IPv4 and one IPv6; got ${JSON.stringify(families)}`);
  }
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(policy)) {
    problems.push(`spec.ipFamilyPolicy: unsupported value ${JSON.stringify(policy)}`);
  }
  if (families.length === 2 && (policy === undefined || policy === 'SingleStack')) {
    problems.push('spec.ipFamilies: two families need ipFamilyPolicy PreferDualStack or RequireDualStack');
  }
  if (policy === 'RequireDualStack' && families.length === 1) {
    problems.push('spec.ipFamilyPolicy RequireDualStack with one family');
  }
  if (headless === false && spec.clusterIP !== undefined && families.length > 0) {
    const ip = parseIp(spec.clusterIP);
    if (ip && families[0] !== `IPv${ip.family}`) problems.push(`spec.clusterIP ${spec.clusterIP} is not of the primary family ${families[0]}`);
  }
  problems.push(...labelMapProblems(spec.selector, 'spec.selector'));
  return problems;
}

/** Problems of a label map (ValidateLabels). */
export function labelMapProblems(labels: { [key: string]: string } | undefined, where: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) problems.push(`${where} ${JSON.stringify(key)}=${JSON.stringify(value)}: ${problem}`);
  }
  return problems;
}

/** The pod spec of a Pod or of a workload's template. */
export function podSpecOf(doc: any): any | undefined {
  if (doc.kind === 'Pod') return doc.spec;
  if (WORKLOAD_KINDS.has(doc.kind)) return doc.spec?.template?.spec;
  return undefined;
}

/** The pod template labels of a workload (or a Pod's labels). */
export function podLabelsOf(doc: any): { [key: string]: string } | undefined {
  if (doc.kind === 'Pod') return doc.metadata?.labels;
  if (WORKLOAD_KINDS.has(doc.kind)) return doc.spec?.template?.metadata?.labels;
  return undefined;
}

/** Problems of a pod spec's ports (validateContainerPorts, AccumulateUniqueHostPorts, hostNetwork rules). */
export function podSpecProblems(spec: any, where: string): string[] {
  const problems: string[] = [];
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const portNames = new Set<string>();
  const hostPorts = new Set<string>();
  for (const [ci, c] of containers.entries()) {
    for (const [pi, p] of (c.ports ?? []).entries()) {
      const at = `${where}.containers[${ci}].ports[${pi}]`;
      if (!isPort(p.containerPort)) problems.push(`${at}.containerPort: must be 1-65535; got ${p.containerPort}`);
      const protocol = p.protocol ?? 'TCP';
      if (!PROTOCOLS.includes(protocol)) problems.push(`${at}.protocol: unsupported value ${JSON.stringify(protocol)}`);
      if (p.name !== undefined) {
        const problem = ianaServiceNameProblem(p.name);
        if (problem) problems.push(`${at}.name ${problem}`);
        if (portNames.has(p.name)) problems.push(`${at}.name: Duplicate value ${JSON.stringify(p.name)}`);
        portNames.add(p.name);
      }
      if (p.hostPort !== undefined && p.hostPort !== 0) {
        if (!isPort(p.hostPort)) problems.push(`${at}.hostPort: must be 1-65535; got ${p.hostPort}`);
        const key = `${p.hostIP ?? ''}/${p.hostPort}/${protocol}`;
        if (hostPorts.has(key)) problems.push(`${at}.hostPort: Duplicate value ${key}`);
        hostPorts.add(key);
      }
      if (spec.hostNetwork === true && p.hostPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
        problems.push(`${at}.hostPort: must match containerPort when hostNetwork is true; got ${p.hostPort} for ${p.containerPort}`);
      }
      if (p.hostIP !== undefined && !parseIp(p.hostIP)) problems.push(`${at}.hostIP: must be a valid IP address`);
    }
  }
  return problems;
}

/**
 * Problems of the whole App, as one cluster would see them: every document's own rules, then
 * the cluster-wide ones.
 */
export function clusterProblems(docs: any[]): string[] {
  const problems: string[] = [];
  const identities = new Map<string, number>();
  const nodePorts = new Map<number, string>();
  const clusterIPs = new Map<string, string>();
  docs.forEach((doc, i) => {
    const id = `${doc.kind}/${doc.metadata?.name}`;
    const group = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/')[0] : '';
    const identity = `${group}/${doc.kind}/${namespaceOf(doc)}/${doc.metadata?.name}`;
    const previous = identities.get(identity);
    if (previous !== undefined) {
      problems.push(`${id} in namespace ${namespaceOf(doc)}: the App emits two objects with this name (documents ${previous} and ${i}); the second overwrites the first`);
    }
    identities.set(identity, i);
    // ValidateObjectMeta's name rule of the kind: DNS-1035 label for Services, DNS-1123 label for
    // Namespaces, DNS-1123 subdomain for the rest (custom resources included).
    const nameRule = doc.kind === 'Service' && doc.apiVersion === 'v1' ? dns1035LabelProblem
      : doc.kind === 'Namespace' && doc.apiVersion === 'v1' ? dns1123LabelProblem : dns1123SubdomainProblem;
    const nameProblem = nameRule(String(doc.metadata?.name ?? ''));
    if (nameProblem) problems.push(`${id}: metadata.name ${nameProblem}`);
    if (doc.metadata?.namespace !== undefined) {
      const problem = dns1123LabelProblem(doc.metadata.namespace);
      if (problem) problems.push(`${id}: metadata.namespace ${problem}`);
    }
    if (doc.kind === 'Service' && doc.apiVersion === 'v1') {
      problems.push(...serviceProblems(doc).map((p) => `${id}: ${p}`));
      const service = `${namespaceOf(doc)}/${doc.metadata?.name}`;
      const own = new Set<number>();
      for (const p of doc.spec?.ports ?? []) {
        if (p.nodePort === undefined || own.has(p.nodePort)) continue;
        own.add(p.nodePort);
        const holder = nodePorts.get(p.nodePort);
        if (holder !== undefined) problems.push(`${id}: nodePort ${p.nodePort} is already allocated to Service ${holder}`);
        nodePorts.set(p.nodePort, service);
      }
      const ip = doc.spec?.clusterIP;
      if (ip !== undefined && ip !== 'None' && ip !== '') {
        const canonical = parseIp(ip);
        const key = canonical ? `${canonical.family}/${canonical.value}` : ip;
        const holder = clusterIPs.get(key);
        if (holder !== undefined) problems.push(`${id}: clusterIP ${ip} is already allocated to Service ${holder}`);
        clusterIPs.set(key, service);
      }
    }
    if (doc.kind === 'Ingress' && doc.apiVersion === 'networking.k8s.io/v1') {
      problems.push(...ingressProblems(doc).map((p) => `${id}: ${p}`));
    }
    const podSpec = podSpecOf(doc);
    if (podSpec) {
      problems.push(...podSpecProblems(podSpec, `${id} spec`).map((p) => `${id}: ${p}`));
      problems.push(...labelMapProblems(podLabelsOf(doc), `${id} pod labels`));
    }
  });
  return problems;
}

/**
 * Whether some workload (or Pod) of `namespace` in `docs` carries every label of `selector`.
 */
export function selectsSomePods(docs: any[], namespace: string, selector: { [key: string]: string }): boolean {
  return docs.some((doc) => {
    const labels = podLabelsOf(doc);
    return labels !== undefined && namespaceOf(doc) === namespace
      && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/** Problems of an Ingress (networking/validation ValidateIngressSpec). */
export function ingressProblems(doc: any): string[] {
  const problems: string[] = [];
  const spec = doc.spec ?? {};
  if ((spec.rules ?? []).length === 0 && !spec.defaultBackend) problems.push('spec: either defaultBackend or rules must be specified');
  if (spec.ingressClassName !== undefined) {
    const problem = dns1123SubdomainProblem(spec.ingressClassName);
    if (problem) problems.push(`spec.ingressClassName ${problem}`);
  }
  const hostProblem = (host: string) => {
    if (parseIp(host)) return 'must be a DNS name, not an IP address';
    return dns1123SubdomainProblem(host.startsWith('*.') ? host.slice(2) : host);
  };
  for (const [i, rule] of (spec.rules ?? []).entries()) {
    if (rule.host !== undefined) {
      const problem = hostProblem(rule.host);
      if (problem) problems.push(`spec.rules[${i}].host ${JSON.stringify(rule.host)} ${problem}`);
    }
    const paths = rule.http?.paths ?? [];
    if (rule.http && paths.length === 0) problems.push(`spec.rules[${i}].http.paths: Required value`);
    for (const [j, p] of paths.entries()) {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType)) problems.push(`${at}.pathType: unsupported value ${JSON.stringify(p.pathType)}`);
      if (p.pathType !== 'ImplementationSpecific' || p.path) {
        if (typeof p.path !== 'string' || !p.path.startsWith('/')) problems.push(`${at}.path must be an absolute path; got ${JSON.stringify(p.path)}`);
      }
      if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
        for (const bad of ['//', '/./', '/../', '%2f', '%2F']) {
          if (String(p.path).includes(bad)) problems.push(`${at}.path must not contain '${bad}'; got ${JSON.stringify(p.path)}`);
        }
        for (const bad of ['/..', '/.']) {
          if (String(p.path).endsWith(bad)) problems.push(`${at}.path must not end with '${bad}'; got ${JSON.stringify(p.path)}`);
        }
      }
      const service = p.backend?.service;
      if (!service) {
        problems.push(`${at}.backend: a Service backend is expected`);
      } else {
        const problem = dns1035LabelProblem(service.name);
        if (problem) problems.push(`${at}.backend.service.name ${problem}`);
        const port = service.port ?? {};
        if ((port.number === undefined) === (port.name === undefined)) problems.push(`${at}.backend.service.port: exactly one of number and name`);
        if (port.number !== undefined && !isPort(port.number)) problems.push(`${at}.backend.service.port.number ${port.number}`);
      }
    }
  }
  for (const [i, t] of (spec.tls ?? []).entries()) {
    for (const host of t.hosts ?? []) {
      const problem = hostProblem(host);
      if (problem) problems.push(`spec.tls[${i}].hosts ${JSON.stringify(host)} ${problem}`);
    }
    if (t.secretName !== undefined) {
      const problem = dns1123SubdomainProblem(t.secretName);
      if (problem) problems.push(`spec.tls[${i}].secretName ${problem}`);
    }
  }
  return problems;
}
