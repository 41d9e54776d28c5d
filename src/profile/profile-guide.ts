/**
 * What a `ClusterProfile` changes in the access guide: on k3d, the port mappings a client on the
 * Docker host needs, and the access points at `localhost` they make.
 */
import { IConstruct } from 'constructs';
import { ClusterProfile, IngressController, LoadBalancerImplementation, NodeAddressAccess } from './cluster-profile';
import { AccessMethod, AccessOrigin, AccessPoint } from '../core/exposure';

/** The node-address placeholder the patterns write for node ports, host ports and ServiceLB. */
const NODE_IP = '<node-ip>';

/** The host of an ingress rule without a host name. */
const INGRESS_ADDRESS = '<ingress-address>';

/**
 * The port a k3d port mapping opens on the Docker host for a port of the cluster: the same number,
 * except that privileged ports (below 1024) get 8000 added (80 -> 8080, 443 -> 8443), so that
 * the mapping needs no root on the host and clashes with nothing the host runs on them.
 */
export function k3dHostPort(port: number): number {
  return port < 1024 ? port + 8000 : port;
}

/** An exposure's guide entry, as the profile of its scope shows it. */
export interface ProfiledGuide {
  readonly accessPoints: AccessPoint[];
  readonly prerequisites: string[];
  /** The k3d port mappings it needs (`-p` arguments), for the guide's cluster section. */
  readonly k3dPortMappings?: string[];
}

interface K3dMapping {
  /** `-p` argument of `k3d cluster create`. */
  readonly create: string;
  /** `--port-add` argument of `k3d node edit` on the cluster's load balancer node. */
  readonly add: string;
}

/**
 * The access points and prerequisites of `exposure` on the cluster its profile describes:
 * unchanged without a profile, or where clients reach the nodes directly.
 */
export function profiledGuide(exposure: IConstruct, accessPoints: AccessPoint[], prerequisites: string[]): ProfiledGuide {
  const profile = ClusterProfile.of(exposure);
  if (!profile || profile.nodeAddressAccess !== NodeAddressAccess.K3D_PORT_MAPPINGS) {
    return { accessPoints, prerequisites };
  }
  const name = profile.clusterName ?? '<cluster>';
  const mappings: K3dMapping[] = [];
  const unmapped: AccessPoint[] = [];
  const traefik = profile.ingressController === IngressController.TRAEFIK && profile.loadBalancer === LoadBalancerImplementation.SERVICE_LB;
  const points = accessPoints.map((point): AccessPoint => {
    if (point.origin !== AccessOrigin.OUTSIDE_CLUSTER) return point;
    // ServiceLB and Traefik answer behind k3d's load balancer container; node ports and host
    // ports on the first server node.
    const behindLoadBalancer = point.method === AccessMethod.LOAD_BALANCER ? point.host === NODE_IP
      : point.method === AccessMethod.INGRESS ? traefik : false;
    const onServer = [AccessMethod.NODE_PORT, AccessMethod.HOST_PORT, AccessMethod.HOST_NETWORK].includes(point.method)
      && point.host === NODE_IP;
    if (!behindLoadBalancer && !onServer) return point;
    if (point.port === undefined) {
      unmapped.push(point);
      return point;
    }
    const hostPort = behindLoadBalancer ? k3dHostPort(point.port) : point.port;
    const create = `${hostPort}:${point.port}@${behindLoadBalancer ? 'loadbalancer' : 'server:0'}`;
    if (!mappings.some((m) => m.create === create)) mappings.push({ create, add: `${hostPort}:${point.port}` });
    const ingressHost = point.method === AccessMethod.INGRESS && point.host !== INGRESS_ADDRESS && !point.host.startsWith('<') ? point.host : undefined;
    const host = ingressHost ?? 'localhost';
    const url = `${point.scheme ?? 'http'}://${host}:${hostPort}${point.path ?? ''}`;
    const resolve = ingressHost ? ` --resolve ${ingressHost}:${hostPort}:127.0.0.1` : '';
    return {
      ...point,
      host,
      port: hostPort,
      hostLookupCommand: undefined,
      portLookupCommand: undefined,
      testCommand: point.scheme ? `curl -v${resolve} ${url}` : undefined,
      description: `${point.description} On k3d: from the Docker host at localhost:${hostPort}, through the port mapping "${create}" of cluster ${name}.`,
    };
  });
  const extra: string[] = [];
  if (mappings.length > 0) {
    extra.push('k3d port mappings (k3d nodes are containers: only mapped ports reach them from the host): '
      + `k3d cluster create ${name} ${mappings.map((m) => `-p "${m.create}"`).join(' ')}; `
      + `for an existing cluster: k3d node edit k3d-${name}-serverlb ${mappings.map((m) => `--port-add ${m.add}`).join(' ')}`);
  }
  if (unmapped.length > 0) {
    extra.push(`A fixed nodePort for ${unmapped.map((p) => `${p.portName ?? 'the port'} (${p.protocol})`).join(', ')}: k3d maps ports when the cluster `
      + 'is created, so an allocated node port cannot be reached from the host');
  }
  return { accessPoints: points, prerequisites: [...prerequisites, ...extra], k3dPortMappings: mappings.map((m) => m.create) };
}

/**
 * The guide's cluster section: on k3d, one `k3d cluster create` with every port mapping the
 * exposures under `scope` need (empty without such a profile).
 */
export function clusterSetup(scope: IConstruct, guides: ProfiledGuide[]): string[] {
  // The scope's profile, or (a guide of an App whose charts carry their own) the first chart's.
  const profile = ClusterProfile.of(scope) ?? scope.node.children.map((c) => ClusterProfile.of(c)).find((p) => p !== undefined);
  const mappings = [...new Set(guides.flatMap((g) => g.k3dPortMappings ?? []))];
  if (!profile || profile.nodeAddressAccess !== NodeAddressAccess.K3D_PORT_MAPPINGS || mappings.length === 0) return [];
  const name = profile.clusterName ?? '<cluster>';
  return [
    `Cluster: k3d \`${name}\`. Its nodes are Docker containers: create the cluster with every port mapping this App needs:`,
    '',
    '```sh',
    `k3d cluster create ${name} ${mappings.map((m) => `-p "${m}"`).join(' ')}`,
    '```',
    '',
  ];
}
