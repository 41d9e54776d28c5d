import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { EXAMPLES, GUIDES_DIR } from '../examples';
import { synthApp, toYaml } from './util';
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
      for (const entry of guide.entries) {
        expect(entry.accessPoints.length).toBeGreaterThan(0);
      }
      expect(guide.toMarkdown()).toMatchSnapshot();
    });

    test(`${id} has an up-to-date committed access guide (run npx projen synth:examples to refresh)`, () => {
      const app = Testing.app();
      factory(app);
      const committed = fs.readFileSync(path.join(__dirname, '..', GUIDES_DIR, `${id}.md`), 'utf8');
      expect(committed).toBe(AccessGuide.of(app).toMarkdown());
    });
  }
});
