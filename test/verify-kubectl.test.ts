/**
 * The kubectl-driven ClusterClient of `cdk8s-expose verify`, against a fake `kubectl` (a shell
 * script that records its arguments): flags passed through, one-line errors for an unreachable
 * cluster, missing permissions and a missing kubectl.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubectlClusterClient, kubectlReason } from '../src/verify/cluster';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-kubectl-'));
  log = path.join(dir, 'args.log');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fake kubectl: `body` is a bash `case "$*" in ... esac` body. */
function fakeKubectl(body: string): string {
  const file = path.join(dir, 'kubectl');
  fs.writeFileSync(file, `#!/bin/bash\necho "$*" >> '${log}'\ncase "$*" in\n${body}\nesac\n`, { mode: 0o755 });
  return file;
}

const REACHABLE = `*version*) echo '{"clientVersion":{},"serverVersion":{"minor":"20"}}' ;;
  *"auth can-i"*) echo yes ;;`;

test('passes --kubeconfig, --context and --as/--as-group through to every kubectl call', async () => {
  const kubectl = fakeKubectl(`${REACHABLE}\n  *"get service web"*) echo '{"metadata":{"name":"web"}}' ;;`);
  const client = new KubectlClusterClient({ kubectl, kubeconfig: '/k/config', context: 'lab', as: 'ci', asGroups: ['ops'] });
  await client.checkAccess(['web']);
  expect(await client.get('service', 'web', 'web')).toEqual({ metadata: { name: 'web' } });
  const lines = fs.readFileSync(log, 'utf-8').trim().split('\n');
  expect(lines[0]).toBe('--kubeconfig=/k/config --context=lab --as=ci --as-group=ops version -o json --request-timeout=10s');
  expect(lines).toContain('--kubeconfig=/k/config --context=lab --as=ci --as-group=ops auth can-i list services -n web');
  expect(lines[lines.length - 1]).toBe('--kubeconfig=/k/config --context=lab --as=ci --as-group=ops get service web -n web -o json');
});

test('a missing object is undefined; other errors are one line', async () => {
  const kubectl = fakeKubectl(`*"get service gone"*) echo 'Error from server (NotFound): services "gone" not found' >&2; exit 1 ;;
  *"get service web"*) echo 'Error from server (Forbidden): services "web" is forbidden: User "ci" cannot get resource "services"' >&2; exit 1 ;;`);
  const client = new KubectlClusterClient({ kubectl });
  expect(await client.get('service', 'web', 'gone')).toBeUndefined();
  await expect(client.get('service', 'web', 'web')).rejects.toThrow(/^kubectl get service web -n web failed: Error from server \(Forbidden\)/);
});

test('fails if the cluster is unreachable', async () => {
  const kubectl = fakeKubectl('*version*) echo \'{"clientVersion":{}}\'; echo \'W1203 08:00:00.000 skew\' >&2; \
echo \'error: Get "https://10.200.0.1:16443/version": dial tcp 10.200.0.1:16443: connect: connection refused\' >&2; exit 1 ;;');
  await expect(new KubectlClusterClient({ kubectl }).checkAccess(['web']))
    .rejects.toThrow('cannot reach the cluster: Get "https://10.200.0.1:16443/version": dial tcp 10.200.0.1:16443: connect: connection refused');
});

test('fails if the user cannot list what verify reads', async () => {
  const kubectl = fakeKubectl(`*version*) echo '{"serverVersion":{}}' ;;
  *"auth can-i list services"*) echo no; exit 1 ;;`);
  await expect(new KubectlClusterClient({ kubectl }).checkAccess(['web']))
    .rejects.toThrow('missing permission: cannot list services in namespace web (kubectl auth can-i list services -n web says "no")');
});

test('fails if kubectl is not installed', async () => {
  await expect(new KubectlClusterClient({ kubectl: path.join(dir, 'no-kubectl') }).checkAccess([]))
    .rejects.toThrow(/^kubectl not found \(.*no-kubectl\): install it or put it in PATH$/);
});

test('kubectl proxy: the address it prints, as the identity asked for (without the global --as)', async () => {
  const kubectl = fakeKubectl('*proxy*) echo "Starting to serve on 127.0.0.1:41234"; sleep 5 ;;');
  const client = new KubectlClusterClient({ kubectl, kubeconfig: '/k', as: 'ci' });
  const proxy = await client.startProxy({ user: 'alice', groups: ['developers'] });
  expect(proxy.address).toBe('127.0.0.1:41234');
  await client.cleanup();
  expect(fs.readFileSync(log, 'utf-8').trim()).toBe('--kubeconfig=/k --as=alice --as-group=developers proxy --port=0 --address=127.0.0.1');
});

test('the probe pod is created from a manifest on stdin, waited for, exec\'d into and deleted', async () => {
  const kubectl = fakeKubectl(`*"create -f -"*) cat > '${dir}/pod.json'; echo pod/x ;;
  *"get pod"*) echo '{"status":{"phase":"Running","podIP":"10.244.0.9"}}' ;;
  *exec*) echo answered ;;
  *delete*) ;;`);
  const client = new KubectlClusterClient({ kubectl });
  const pod = await client.startProbePod('web', 'busybox', Date.now() + 5000);
  expect(pod.podIP).toBe('10.244.0.9');
  expect(await pod.exec('true', 5000)).toEqual({ code: 0, stdout: 'answered\n', stderr: '' });
  await client.cleanup();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'pod.json'), 'utf-8'));
  expect(manifest).toMatchObject({ kind: 'Pod', metadata: { namespace: 'web' }, spec: { containers: [{ image: 'busybox' }] } });
  const lines = fs.readFileSync(log, 'utf-8').trim().split('\n');
  expect(lines).toContain(`exec -n web ${manifest.metadata.name} -- sh -c true`);
  expect(lines[lines.length - 1]).toBe(`delete pod ${manifest.metadata.name} -n web --wait=false --grace-period=0 --ignore-not-found`);
});

test('fails if the probe pod does not start, with the reason', async () => {
  const kubectl = fakeKubectl(`*"create -f -"*) cat > /dev/null; echo pod/x ;;
  *"get pod"*) echo '{"status":{"phase":"Pending","containerStatuses":[{"state":{"waiting":{"reason":"ImagePullBackOff","message":"not found"}}}]}}' ;;
  *) ;;`);
  await expect(new KubectlClusterClient({ kubectl }).startProbePod('web', 'nope', Date.now()))
    .rejects.toThrow(/did not start: ImagePullBackOff: not found; pick another image with --probe-image/);
});

test('kubectlReason keeps the last meaningful line', () => {
  expect(kubectlReason('W1203 08:00:00.1 warn\nerror: the server doesn\'t have a resource type "x"\n')).toBe('the server doesn\'t have a resource type "x"');
  expect(kubectlReason('')).toBe('no output');
});
