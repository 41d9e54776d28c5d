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
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** What a root image that writes to its filesystem needs from cdk8s-plus' hardening. */
export const ROOT_IMAGE_SECURITY_CONTEXT: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: false,
  readOnlyRootFilesystem: false,
};

/** The seeds' nginx container, serving HTTP on port 80 (named `http`). */
export const NGINX_CONTAINER: kplus.ContainerProps = {
  name: 'nginx',
  image: 'nginx',
  ports: [{ number: 80, name: 'http' }],
  securityContext: ROOT_IMAGE_SECURITY_CONTEXT,
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
