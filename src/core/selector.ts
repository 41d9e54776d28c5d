import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkPodSelector } from './checks';
import { Checker } from './errors';
import { DEFAULT_NAMESPACE } from './exposure';

/**
 * The namespace a workload's pods run in, when the selector is a workload we can inspect.
 */
function namespaceOf(selector: IConstruct): string | undefined {
  const candidate = selector as any;
  if (typeof candidate.namespace === 'string') {
    return candidate.namespace;
  }
  if (candidate.metadata && typeof candidate.metadata === 'object' && 'namespace' in candidate.metadata) {
    return candidate.metadata.namespace ?? Chart.of(selector).namespace ?? DEFAULT_NAMESPACE;
  }
  const apiObject = selector.node.tryFindChild('Resource');
  if (apiObject && ApiObject.isApiObject(apiObject)) {
    return apiObject.metadata.namespace ?? Chart.of(selector).namespace ?? DEFAULT_NAMESPACE;
  }
  return undefined;
}

/** How to fix a selector label the API server refuses. */
const SELECTOR_LABEL_FIXES = {
  map: 'Select the pods with equality labels.',
  key: 'Select the pods by a valid label key ([prefix/]name of alphanumerics, \'-\', \'_\' and \'.\').',
  value: 'Select the pods by a valid label value (at most 63 alphanumerics, \'-\', \'_\' and \'.\').',
};

/**
 * The equality labels a Service (or NetworkPolicy) needs from a `kplus.IPodSelector`.
 * Refuses what a Service selector cannot express: set-based expressions, namespace selection,
 * an empty selector, or pods that live in another namespace than the Service.
 */
export function selectorLabels(check: Checker, prop: string, selector: kplus.IPodSelector, namespace: string): { [key: string]: string } {
  const config = checkPodSelector(check, prop, selector).toPodSelectorConfig();
  const kube = (config.labelSelector as any)._toKube() as { matchLabels?: { [key: string]: string }; matchExpressions?: unknown[] };
  if (config.namespaces) {
    // A namespaced cdk8s-plus workload selects its own namespace by name: fine when it is the Service's.
    const names = config.namespaces.names ?? [];
    const byLabels = config.namespaces.labelSelector !== undefined && !config.namespaces.labelSelector.isEmpty();
    if (byLabels || names.length !== 1) {
      check.fail(prop, 'selects pods in other namespaces, which a Service cannot do', selector.node.path,
        'Select pods of this namespace only; create the Service in the namespace of the pods.');
    }
    if (names[0] !== namespace) {
      check.fail(prop, `selects pods in namespace "${names[0]}" but the Service is in "${namespace}"`, selector.node.path,
        'A Service only selects pods of its own namespace: create it in the namespace of the workload.');
    }
  }
  if (kube.matchExpressions && kube.matchExpressions.length > 0) {
    check.fail(prop, 'uses set-based label expressions, which a Service selector cannot express', kube.matchExpressions,
      'Select the pods with equality labels (kplus.Pods.select(scope, id, { labels: {...} })) or pass the workload itself.');
  }
  const labels = kube.matchLabels ?? {};
  const keys = Object.keys(labels);
  if (keys.length === 0) {
    check.fail(prop, 'selects no labels, so the Service would select every pod or none', selector.node.path,
      'Pass the workload (a kplus.Deployment, or one of this library\'s apps) or a selector with labels.');
  }
  // The API server validates a Service selector as a label map.
  check.labelMap(prop, labels, SELECTOR_LABEL_FIXES);
  // A copy (an index loop: a spread or a for-of loop costs more, and this runs for every Service).
  const copy: { [key: string]: string } = {};
  for (let i = 0; i < keys.length; i++) copy[keys[i]] = labels[keys[i]];
  const podNamespace = namespaceOf(selector);
  if (podNamespace !== undefined && podNamespace !== namespace) {
    check.fail(prop, `selects pods in namespace "${podNamespace}" but the Service is in "${namespace}"`, selector.node.path,
      'A Service only selects pods of its own namespace: create it in the namespace of the workload.');
  }
  return copy;
}
