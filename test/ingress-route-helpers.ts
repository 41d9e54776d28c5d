/** Fixtures shared by the IngressRoute tests. */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ExposedService, IExposedService } from '../src/core/exposure';
import { IngressRoute, IngressRouteProps } from '../src/ingress/ingress-route';
import { IngressRule } from '../src/ingress/rules';
import { ClusterIpService } from '../src/service/cluster-ip';

export const HOST = 'nginx.example.com';

/** A chart with nginx pods behind the ClusterIP Service `nginx` (port 80, plus 9000/UDP). */
export function setup(chart: Chart = Testing.chart()) {
  const pods = kplus.Pods.select(chart, 'NginxPods', { labels: { name: 'nginx' } });
  const nginx = new ClusterIpService(chart, 'Nginx', {
    name: 'nginx',
    selector: pods,
    ports: [{ port: 80, name: 'http' }, { port: 9000, name: 'stats', protocol: kplus.Protocol.UDP }],
  });
  return { chart, nginx };
}

/** A Service made elsewhere, in namespace `ns`. */
export function external(name: string, namespace = 'default', port = 8080): IExposedService {
  return ExposedService.fromAttributes(name, namespace, [{ port }]);
}

export function route(props: Partial<IngressRouteProps> & { rules?: IngressRule[] } = {}, id = 'Web') {
  const { chart, nginx } = setup();
  const r = new IngressRoute(chart, id, { rules: [{ host: HOST, backend: nginx, port: 80 }], ...props });
  return { chart, nginx, r };
}

/** Builds with the given rules (backend `nginx` port 80 unless set). */
export function withRules(rules: Partial<IngressRule>[], props: Partial<IngressRouteProps> = {}) {
  const { chart, nginx } = setup();
  return () => new IngressRoute(chart, 'Web', {
    ...props,
    rules: rules.map((r) => ({ backend: nginx, port: 80, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) })),
  });
}

export const GATEWAY = { name: 'web-gateway', namespace: 'gateway-system' };

/**
 * The routes a flavour's objects emit, read back from the YAML as `host pathType path -> service:port`
 * (sorted), and the hosts served over HTTPS.
 */
export function emittedRoutes(docs: any[]): { routes: string[]; https: string[] } {
  const routes = new Set<string>();
  const https = new Set<string>();
  for (const doc of docs) {
    if (doc.kind === 'Ingress') {
      for (const rule of doc.spec.rules) {
        for (const p of rule.http.paths) routes.add(`${rule.host} ${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`);
      }
      for (const block of doc.spec.tls ?? []) block.hosts.forEach((h: string) => https.add(h));
    } else if (doc.kind === 'IngressRoute') {
      for (const r of doc.spec.routes) {
        const wildcard = /HostRegexp\(`\^\[a-z0-9-\]\+(.*)\$`\)/.exec(r.match)?.[1]?.replace(/\\/g, '');
        const host = /Host\(`([^`]*)`\)/.exec(r.match)?.[1] ?? (wildcard ? `*${wildcard}` : '(any)');
        const exact = /^(?:.* && )?Path\(`([^`]*)`\)$/.exec(r.match)?.[1];
        const prefix = /PathPrefix\(`([^`]*)`\)/.exec(r.match)?.[1];
        const path = exact ?? (prefix === '/' ? '/' : prefix!.replace(/\/$/, ''));
        routes.add(`${host} ${exact ? 'Exact' : 'Prefix'} ${path} -> ${r.services[0].name}:${r.services[0].port}`);
        if (doc.spec.entryPoints.includes('websecure')) https.add(host);
      }
    } else if (doc.kind === 'HTTPRoute') {
      // The redirect route sends its hosts to the Gateway's HTTPS listener.
      if (doc.spec.rules.some((rule: any) => rule.filters?.some((f: any) => f.type === 'RequestRedirect'))) {
        doc.spec.hostnames.forEach((h: string) => https.add(h));
        continue;
      }
      for (const rule of doc.spec.rules) {
        for (const m of rule.matches) {
          routes.add(`${doc.spec.hostnames[0]} ${m.path.type === 'PathPrefix' ? 'Prefix' : m.path.type} ${m.path.value} -> ${rule.backendRefs[0].name}:${rule.backendRefs[0].port}`);
        }
      }
    }
  }
  return { routes: [...routes].sort(), https: [...https].sort() };
}
