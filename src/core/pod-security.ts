import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { claimObjectName } from './claims';
import { Checker } from './errors';
import { DEFAULT_NAMESPACE } from './exposure';

/** The Pod Security Admission labels. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const POD_SECURITY_WARN_LABEL = 'pod-security.kubernetes.io/warn';
export const POD_SECURITY_AUDIT_LABEL = 'pod-security.kubernetes.io/audit';

/** Namespaces this library never creates or relabels. */
const RESERVED_NAMESPACES = new Set([DEFAULT_NAMESPACE, 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * The Prerequisite text host-level patterns add to the access guide.
 */
export function podSecurityPrerequisite(namespace: string, created: boolean): string {
  return created
    ? `Namespace "${namespace}" is created by this app with Pod Security level "privileged" enforced (warn/audit stay at "baseline"), because the "baseline" level forbids hostNetwork and hostPort.`
    : `Namespace "${namespace}" must allow Pod Security level "privileged" (label ${POD_SECURITY_ENFORCE_LABEL}=privileged): the "baseline" and "restricted" levels forbid hostNetwork and hostPort, and pods are refused without saying why in the workload.`;
}

/**
 * Creates the namespace of a host-level pattern with Pod Security `privileged` enforced and
 * `baseline` warnings and audit, so that `kubectl apply` still warns about what is privileged.
 */
export function privilegedNamespace(scope: Construct, check: Checker, prop: string, namespace: string | undefined): kplus.k8s.KubeNamespace {
  if (namespace === undefined || RESERVED_NAMESPACES.has(namespace)) {
    check.fail(prop, 'needs an explicit namespace of the app\'s own', namespace ?? DEFAULT_NAMESPACE,
      'Set namespace (e.g. "edge-proxy"): this library never creates or relabels default, kube-system, kube-public or kube-node-lease.');
  }
  const created = new kplus.k8s.KubeNamespace(scope, 'Namespace', {
    metadata: {
      name: namespace,
      labels: {
        [POD_SECURITY_ENFORCE_LABEL]: 'privileged',
        [POD_SECURITY_WARN_LABEL]: 'baseline',
        [POD_SECURITY_AUDIT_LABEL]: 'baseline',
      },
    },
  });
  // Namespaces are cluster-wide: one app of the App creates each (refused rather than shared, so
  // that no app's output silently depends on another app's).
  claimObjectName(check, prop, created,
    `Set createNamespace on one app of namespace "${namespace}" only: it creates the namespace with Pod Security "privileged", `
    + 'and the other apps run in it without createNamespace.');
  return created;
}
