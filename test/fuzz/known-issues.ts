/**
 * Library bugs the fuzzer found that are not fixed yet. Cases that would hit one are left out of
 * the generated cases (so that the property keeps guarding everything else), and
 * test/fuzz.test.ts pins each with a `test.failing` regression: when the bug is fixed that test
 * starts to fail, and the entry here must be deleted.
 */
import { Entry, entryNamespace } from './framework';

export interface KnownIssue {
  /** What goes wrong, and where the fix belongs. */
  readonly description: string;
  /** True for a case that would hit the issue. */
  matches(entries: readonly Entry[]): boolean;
}

const HOST_APPS = new Set(['HostNetworkApp', 'HostPortApp']);

export const KNOWN_ISSUES: KnownIssue[] = [
  {
    description: 'Two HostNetworkApp/HostPortApp of one App with the same explicit name, namespace and workload kind emit two '
      + 'DaemonSets (or Deployments) with one name: the second overwrites the first when applied. Fix: an App-wide claim on '
      + 'kind/namespace/name in src/private/host-workload.ts (buildHostWorkload needs the Checker).',
    matches(entries) {
      const seen = new Set<string>();
      for (const e of entries) {
        const input = e.input as any;
        if (!HOST_APPS.has(e.pattern) || typeof input?.name !== 'string') continue;
        const key = `${input.name}/${entryNamespace(e)}/${input.workloadKind === 'Deployment' ? 'Deployment' : 'DaemonSet'}`;
        if (seen.has(key)) return true;
        seen.add(key);
      }
      return false;
    },
  },
  {
    description: 'Two IngressRoutes of one App with the same explicit name and namespace emit two route objects (Ingress, '
      + 'IngressRoute or HTTPRoute) with one name: the second overwrites the first when applied. Fix: an App-wide claim on '
      + 'kind/namespace/name in src/ingress-route.ts.',
    matches(entries) {
      const seen = new Set<string>();
      for (const e of entries) {
        const input = e.input as any;
        if (e.pattern !== 'IngressRoute' || typeof input?.name !== 'string') continue;
        const key = `${input.name}/${entryNamespace(e)}`;
        if (seen.has(key)) return true;
        seen.add(key);
      }
      return false;
    },
  },
];
