/**
 * Checks of the shared vocabulary's inputs, for the patterns that take them: a Service to point
 * at (`IExposedService`), the pods to select (`kplus.IPodSelector`). A plain object or a string
 * where one is expected is refused with the library's error, never a TypeError.
 */
import * as kplus from 'cdk8s-plus-27';
import { Checker, isConstruct, structKeys } from './errors';
import { ExposedServicePort, IExposedService } from './exposure';

/** The keys of an `ExposedServicePort`. */
export const EXPOSED_SERVICE_PORT = structKeys<ExposedServicePort>('ExposedServicePort', { port: true, name: true, protocol: true });

/** Throws unless `service` is an `IExposedService` (a Service name and namespace, and a port list). */
export function checkExposedService(check: Checker, prop: string, service: IExposedService): IExposedService {
  const ok = service !== null && typeof service === 'object' && typeof service.serviceName === 'string'
    && typeof service.serviceNamespace === 'string';
  if (!ok) {
    // A construct (a kplus.Service passed as it is) is shown by its path.
    check.type(prop, isConstruct(service) ? service.node.path : service, ok, 'IExposedService',
      'Wrap a kplus.Service with ExposedService.fromService(svc), or use ExposedService.fromAttributes().');
  }
  return service;
}

/**
 * Throws unless `selector` is a `kplus.IPodSelector` construct (a workload, `kplus.Pods.select`,
 * one of this library's apps): not a plain object of labels or a string.
 */
export function checkPodSelector(check: Checker, prop: string, selector: kplus.IPodSelector): kplus.IPodSelector {
  return check.implementation(prop, selector, ['toPodSelectorConfig'], 'kplus.IPodSelector',
    'Pass the workload (a kplus.Deployment, or one of this library\'s apps) or kplus.Pods.select(scope, id, { labels: { ... } }).', true);
}
