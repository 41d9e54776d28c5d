import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { EXAMPLES, GUIDES_DIR } from '../examples';
import { synthApp, toYaml } from './util';
import { Exposure } from '../src/core/exposure-base';
import { AccessGuide } from '../src/guide/access-guide';

describe('examples', () => {
  test('there is at least one example per pattern scenario', () => {
    expect(Object.keys(EXAMPLES).length).toBeGreaterThan(0);
  });

  for (const [id, factory] of Object.entries(EXAMPLES)) {
    test(`${id} synthesizes to valid manifests`, () => {
      const app = Testing.app();
      const chart = factory(app);
      expect(chart.node.id).toBe(id);
      const docs = synthApp(app);
      expect(docs.length).toBeGreaterThan(0);
      expect(toYaml(docs)).toMatchSnapshot();
    });

    test(`${id} has an access guide for every exposure`, () => {
      const app = Testing.app();
      const chart = factory(app);
      const guide = AccessGuide.of(chart);
      const exposures = chart.node.findAll().filter((c) => Exposure.isExposure(c)).map((c) => c.node.path).sort();
      expect(exposures.length).toBeGreaterThan(0);
      expect(guide.entries.map((e) => e.path).sort()).toEqual(exposures);
      for (const entry of guide.entries) {
        expect(entry.accessPoints.length).toBeGreaterThan(0);
      }
    });

    // The committed guide is the one golden copy of each example's guide (no snapshot repeats it).
    test(`${id} has an up-to-date committed access guide (run npx projen synth:examples to refresh)`, () => {
      const app = Testing.app();
      factory(app);
      const committed = fs.readFileSync(path.join(__dirname, '..', GUIDES_DIR, `${id}.md`), 'utf8');
      expect(committed).toBe(AccessGuide.of(app).toMarkdown());
    });
  }

  test('the README\'s rendered guide is a part of the committed guide it shows, word for word', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- SECTION:guide -->'), readme.indexOf('<!-- END:guide -->'));
    const excerpt = /^````markdown\n([\s\S]*?)\n````$/m.exec(section)?.[1];
    expect(excerpt).toContain('## MetalLB LoadBalancer Service: `metallb-l2/NginxLoadBalancer`');
    expect(fs.readFileSync(path.join(__dirname, '..', GUIDES_DIR, 'metallb-l2.md'), 'utf8')).toContain(excerpt);
  });
});
