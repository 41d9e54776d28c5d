import { median, ratioInterval } from '../scripts/bench/stats';

describe('the benchmark statistics', () => {
  test('median: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  test('median does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  test('ratioInterval: no spread gives the ratio itself', () => {
    expect(ratioInterval([110, 110, 110], [100, 100, 100])).toEqual([1.1, 1.1]);
  });

  test('ratioInterval holds the ratio of the medians, and is the same for the same samples', () => {
    const over = [1010, 990, 1040, 1005, 980, 1020, 995];
    const base = [1000, 1030, 970, 1010, 990, 1000, 985];
    const [low, high] = ratioInterval(over, base);
    const ratio = median(over) / median(base);
    expect(low).toBeLessThan(ratio);
    expect(high).toBeGreaterThan(ratio);
    expect(ratioInterval(over, base)).toEqual([low, high]);
  });

  test('ratioInterval is wider where the processes spread more', () => {
    const base = [1000, 1000, 1000, 1000, 1000];
    const [tightLow, tightHigh] = ratioInterval([1000, 1010, 990, 1005, 995], base);
    const [wideLow, wideHigh] = ratioInterval([1000, 1100, 900, 1050, 950], base);
    expect(wideHigh - wideLow).toBeGreaterThan(2 * (tightHigh - tightLow));
    // It stays within the ratios the samples can give.
    expect(wideLow).toBeGreaterThanOrEqual(0.9);
    expect(wideHigh).toBeLessThanOrEqual(1.1);
  });
});
