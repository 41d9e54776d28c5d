/**
 * The seeds' images, as the examples run them.
 *
 * The stock `nginx` and `influxdb` images start as root (nginx to bind port 80) and write to
 * their root filesystem (/var/cache/nginx, /var/run, /var/lib/influxdb2). cdk8s-plus' container
 * hardening (runAsNonRoot, readOnlyRootFilesystem) would stop them, so the examples relax exactly
 * those two settings for these images, here, visibly; privilege escalation stays off and the
 * library's own defaults keep the full hardening. To keep it, run an unprivileged image instead
 * (e.g. nginxinc/nginx-unprivileged, listening on 8080).
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** What a root image that writes to its filesystem needs from cdk8s-plus' hardening. */
export const ROOT_IMAGE_SECURITY_CONTEXT: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: false,
  readOnlyRootFilesystem: false,
};

/**
 * What each example container asks for: a small web server's share, so that every example fits
 * one 2-CPU node together (cdk8s-plus' default requests a whole CPU per container).
 */
export const EXAMPLE_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
};

/** The seeds' nginx container, serving HTTP on port 80 (named `http`). */
export const NGINX_CONTAINER: kplus.ContainerProps = {
  name: 'nginx',
  image: 'nginx',
  ports: [{ number: 80, name: 'http' }],
  securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
  resources: EXAMPLE_RESOURCES,
};

/**
 * The seeds' nginx workload: one pod labelled `name=nginx` (the label the seeds' Services
 * select), in a Deployment named `nginx`.
 */
export function seedNginxDeployment(scope: Construct): kplus.Deployment {
  return new kplus.Deployment(scope, 'Nginx', {
    metadata: { name: 'nginx' },
    replicas: 1,
    podMetadata: { labels: { name: 'nginx' } },
    containers: [NGINX_CONTAINER],
  });
}

/**
 * The seeds' influxdb workload: one pod labelled `name=influxdb`, serving HTTP on 8086, in a
 * Deployment named `influxdb` (root image: see ROOT_IMAGE_SECURITY_CONTEXT).
 */
export function seedInfluxdbDeployment(scope: Construct): kplus.Deployment {
  return new kplus.Deployment(scope, 'Influxdb', {
    metadata: { name: 'influxdb' },
    replicas: 1,
    podMetadata: { labels: { name: 'influxdb' } },
    containers: [{ name: 'influxdb', image: 'influxdb', ports: [{ number: 8086, name: 'http' }], securityContext: ROOT_IMAGE_SECURITY_CONTEXT, resources: EXAMPLE_RESOURCES }],
  });
}
