/**
 * Synthesizes every example chart to examples.out/ (one YAML file per chart).
 * Run with `npx projen synth:examples` (or `cdk8s synth`, which reads cdk8s.yaml).
 */
import { App, YamlOutputType } from 'cdk8s';
import { EXAMPLES } from './index';

const OUTDIR = 'examples.out';

const app = new App({ outdir: OUTDIR, yamlOutputType: YamlOutputType.FILE_PER_CHART });
for (const factory of Object.values(EXAMPLES)) {
  factory(app);
}
app.synth();
console.log(`synthesized ${app.charts.length} example charts to ${OUTDIR}/`);
