/**
 * Every example scenario: one deterministic Chart each. `main.ts` synthesizes them all to
 * examples.out/, and test/examples.test.ts validates and snapshots each.
 */
import { App, Chart } from 'cdk8s';

/** Builds one example chart in `app`. */
export type ExampleFactory = (app: App) => Chart;

/** Example id (the chart id and the output file name) to factory. */
export const EXAMPLES: { [id: string]: ExampleFactory } = {
};
