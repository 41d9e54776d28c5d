/**
 * The statistics of the benchmark (scripts/bench.ts): medians of the processes of one
 * measurement, and how far the machine's spread carries a ratio of two medians.
 */

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * A small seeded PRNG (Park and Miller's minimal standard generator, exact in doubles): the same
 * seed gives the same sequence.
 */
function prng(seed: number): () => number {
  const modulus = 2147483647;
  let state = (Math.floor(seed) % (modulus - 1)) + 1;
  return () => {
    state = (state * 48271) % modulus;
    return (state - 1) / (modulus - 1);
  };
}

/** Resamples of the bootstrap in `ratioInterval`. */
const RESAMPLES = 2000;

/**
 * The 95% interval of `median(over) / median(base)`: a bootstrap that resamples the processes
 * of each measurement on its own (with replacement) and takes the 2.5th and 97.5th percentiles
 * of the resampled ratios. Seeded by the sample counts, so the same samples give the same
 * interval in every run. With 3 processes per measurement it is no more than their spread.
 */
export function ratioInterval(over: readonly number[], base: readonly number[]): [number, number] {
  const random = prng(over.length * 7919 + base.length);
  const resample = (xs: readonly number[]) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const ratios: number[] = [];
  for (let i = 0; i < RESAMPLES; i++) ratios.push(median(resample(over)) / median(resample(base)));
  ratios.sort((a, b) => a - b);
  return [ratios[Math.floor(RESAMPLES * 0.025)], ratios[Math.ceil(RESAMPLES * 0.975) - 1]];
}
