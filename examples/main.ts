/**
 * Synthesizes every example chart to examples.out/ (one YAML file per chart) and writes, next
 * to each, its access guide (`<id>.access.md`, `<id>.access.json`), plus the App-wide guide
 * (ACCESS.md, access.json).
 * Run with `npx projen synth:examples` (or `cdk8s synth`, which reads cdk8s.yaml).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { AccessGuide } from '../src';
import { EXAMPLES } from './index';

const OUTDIR = 'examples.out';

const app = new App({ outdir: OUTDIR, yamlOutputType: YamlOutputType.FILE_PER_CHART });
const charts = Object.values(EXAMPLES).map((factory) => factory(app));
app.synth();
for (const chart of charts) {
  const guide = AccessGuide.of(chart);
  fs.writeFileSync(path.join(OUTDIR, `${chart.node.id}.access.md`), guide.toMarkdown());
  fs.writeFileSync(path.join(OUTDIR, `${chart.node.id}.access.json`), `${JSON.stringify(guide.toJson(), undefined, 2)}\n`);
}
AccessGuide.of(app).writeFiles();
console.log(`synthesized ${charts.length} example charts and their access guides to ${OUTDIR}/`);
