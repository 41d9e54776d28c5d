/**
 * The diagram check (scripts/render-diagrams.ts, the `check:diagrams` task) renders with Mermaid
 * in the system Chromium and fails on a diagram Mermaid refuses. Skipped where Chromium is not
 * installed, except in CI (CI=true), where it must run.
 */
import { BROKEN_DIAGRAM, hasChromium, mermaidBlocks, renderDiagrams } from '../scripts/render-diagrams';

const runs = hasChromium() || process.env.CI === 'true';

describe('Mermaid diagrams', () => {
  test('finds every mermaid block of a guide, and only those', () => {
    const markdown = '# Guide\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```yaml\nx: 1\n```\n\n```mermaid\nflowchart TB\n  c --> d\n```\n';
    expect(mermaidBlocks('g.md', markdown)).toStrictEqual([
      { name: 'g.md#1', source: 'flowchart LR\n  a --> b\n' },
      { name: 'g.md#2', source: 'flowchart TB\n  c --> d\n' },
    ]);
  });

  (runs ? test : test.skip)(`renders a diagram to SVG and fails on a broken one, in Chromium${runs ? '' : ' (skipped: /usr/bin/chromium not installed)'}`, async () => {
    const [good, broken] = await renderDiagrams([
      { name: 'good', source: 'flowchart LR\n  client([client]) --> entry["node port<br/>http://10.200.0.11:30018"]\n  entry --> pods[(pods)]\n' },
      BROKEN_DIAGRAM,
    ]);
    expect(good.error).toBeUndefined();
    // Booleans, not the SVG (tens of kB) in a failure message.
    expect(good.svg?.startsWith('<svg')).toBe(true);
    expect(good.svg?.endsWith('</svg>')).toBe(true);
    expect(good.svg?.includes('>pods</tspan>')).toBe(true);
    expect(broken.svg).toBeUndefined();
    expect(broken.error).toMatch(/Parse error|Syntax error|Expecting/i);
  }, 120_000);
});
