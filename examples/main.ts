/**
 * Synthesizes every example to its own folder, examples.out/<id>/: the manifests
 * (<id>.k8s.yaml) and the access guide (ACCESS.md, access.json). Each example is an independent
 * deployment, so each gets its own App: the App-wide checks (node ports, host ports, address
 * pools, Service names) apply within one example, as they would within one cluster.
 *
 * The Markdown guides are also written to docs/access-guides/<id>.md, which is committed and
 * linked from the README; test/examples.test.ts fails when it is out of date.
 *
 * Run with `npx projen synth:examples` (or `cdk8s synth`, which reads cdk8s.yaml).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { AccessGuide } from '../src';
import { EXAMPLES, GUIDES_DIR } from './index';

const OUTDIR = 'examples.out';

fs.rmSync(OUTDIR, { recursive: true, force: true });
fs.mkdirSync(GUIDES_DIR, { recursive: true });
for (const [id, factory] of Object.entries(EXAMPLES)) {
  const app = new App({ outdir: path.join(OUTDIR, id) });
  factory(app);
  app.synth();
  const guide = AccessGuide.of(app);
  guide.writeFiles();
  fs.writeFileSync(path.join(GUIDES_DIR, `${id}.md`), guide.toMarkdown());
}
console.log(`synthesized ${Object.keys(EXAMPLES).length} examples to ${OUTDIR}/<id>/ (manifests, ACCESS.md, access.json)`);
