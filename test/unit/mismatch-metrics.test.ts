import { describe, expect, it } from 'vitest';
import { applyPlatt, expectedCalibrationError, fitPlatt, histogram, reliabilityBins, rocAuc } from '../../src-main/features/mismatch/metrics.js';
import { candidateScores, cosine, matchProbability, pairLogit, sigmoid, softmax } from '../../src-main/engine/similarity.js';

describe('scores', () => {
  it('sigmoid and softmax stay finite at large logits', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    const s = softmax([1000, 1000, 0]);
    expect(s[0]).toBeCloseTo(0.5);
    expect(s[2]).toBeCloseTo(0);
    expect(softmax([])).toEqual([]);
  });

  it('SigLIP probability is sigmoid(scale*cos+bias); CLIP has none', () => {
    const siglip = { kind: 'sigmoid' as const, scale: 10, bias: -5 };
    expect(pairLogit(siglip, 0.5)).toBe(0);
    expect(matchProbability(siglip, 0.5)).toBe(0.5);
    expect(matchProbability(siglip, 0.8)).toBeCloseTo(1 / (1 + Math.exp(-3)));
    expect(() => matchProbability({ kind: 'softmax', scale: 100 }, 0.3)).toThrow(/no absolute probability/);
  });

  it('softmax scores are relative (sum to 1, change with the candidates); sigmoid ones are independent', () => {
    const clip = { kind: 'softmax' as const, scale: 100 };
    const siglip = { kind: 'sigmoid' as const, scale: 10, bias: -5 };
    const two = candidateScores(clip, [0.3, 0.29]);
    const three = candidateScores(clip, [0.3, 0.29, 0.31]);
    expect(two.reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(three.reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(three[0]).toBeLessThan(two[0]!); // adding a candidate takes share from the others
    expect(two[0]).toBeCloseTo(1 / (1 + Math.exp(-1)));
    const s2 = candidateScores(siglip, [0.3, 0.29]);
    const s3 = candidateScores(siglip, [0.3, 0.29, 0.31]);
    expect(s3.slice(0, 2)).toEqual(s2); // unchanged by a new candidate
    expect(s2[0]).toBeCloseTo(sigmoid(-2));
  });

  it('cosine of normalised vectors, and refuses mismatched sizes', () => {
    expect(cosine(Float32Array.of(1, 0), Float32Array.of(0.6, 0.8))).toBeCloseTo(0.6);
    expect(() => cosine(Float32Array.of(1), Float32Array.of(1, 0))).toThrow(/sizes differ/);
  });
});

describe('ROC AUC', () => {
  it('is 1 for a perfect ranking, 0 for an inverted one, 0.5 for all ties', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [true, false, true, false])).toBe(0.5);
  });

  it('matches the pairwise count (ties half) on a mixed example', () => {
    // Positives 0.8, 0.4; negatives 0.6, 0.4, 0.1: pairs won 1+1+1, 0+0.5+1 of 6 -> 4.5/6.
    expect(rocAuc([0.8, 0.4, 0.6, 0.4, 0.1], [true, true, false, false, false])).toBeCloseTo(0.75);
  });

  it('is null with one class, and refuses mismatched lengths', () => {
    expect(rocAuc([0.1, 0.2], [false, false])).toBeNull();
    expect(() => rocAuc([0.1], [true, false])).toThrow();
  });
});

describe('calibration', () => {
  it('ECE is the count-weighted gap between mean prediction and frequency per bin', () => {
    // Bin [0.9,1.0]: 4 predictions of 0.95, 3 true -> gap 0.2; bin [0.1,0.2): 4 of 0.15, 0 true -> 0.15.
    const p = [0.95, 0.95, 0.95, 0.95, 0.15, 0.15, 0.15, 0.15];
    const y = [true, true, true, false, false, false, false, false];
    expect(expectedCalibrationError(p, y)).toBeCloseTo((4 / 8) * 0.2 + (4 / 8) * 0.15);
    const bins = reliabilityBins(p, y);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 4, observed: 0.75 });
    expect(bins[5]).toMatchObject({ count: 0, meanPredicted: null });
  });

  it('ECE is 0 for perfectly calibrated bins and puts p = 1 in the last bin', () => {
    expect(expectedCalibrationError([1, 1, 0, 0], [true, true, false, false])).toBe(0);
  });

  it('Platt scaling recovers the logistic law the outcomes were drawn from', () => {
    // Deterministic "draws": at each logit x, a fraction sigmoid(2x - 1) of 200 outcomes is true.
    const xs: number[] = [];
    const ys: boolean[] = [];
    for (let x = -3; x <= 3; x += 0.25) {
      const k = Math.round(200 * sigmoid(2 * x - 1));
      for (let i = 0; i < 200; i++) {
        xs.push(x);
        ys.push(i < k);
      }
    }
    const fit = fitPlatt(xs, ys);
    expect(fit.a).toBeCloseTo(2, 1);
    expect(fit.b).toBeCloseTo(-1, 1);
    expect(applyPlatt(fit, 0.5)).toBeCloseTo(0.5, 1);
  });

  it('Platt scaling converges from far away (all logits negative, few negatives) and lowers the ECE', () => {
    const logits: number[] = [];
    const ys: boolean[] = [];
    for (let i = 0; i < 500; i++) {
      const x = -6 + (6 * i) / 500; // raw probabilities all below 0.5 ...
      logits.push(x);
      ys.push(i % 10 !== 0 || x > -1); // ... yet 90%+ of the pairs match
    }
    const fit = fitPlatt(logits, ys);
    expect(Number.isFinite(fit.a) && Math.abs(fit.a) < 10).toBe(true);
    const raw = logits.map((x) => sigmoid(x));
    const calibrated = logits.map((x) => applyPlatt(fit, x));
    expect(expectedCalibrationError(calibrated, ys)).toBeLessThan(expectedCalibrationError(raw, ys) / 5);
  });

  it('Platt scaling stays finite on separable data', () => {
    const fit = fitPlatt([-2, -1, 1, 2], [false, false, true, true]);
    expect(Number.isFinite(fit.a) && Number.isFinite(fit.b)).toBe(true);
    expect(applyPlatt(fit, 2)).toBeGreaterThan(0.5);
  });
});

describe('histogram', () => {
  it('counts values in equal bins over [0, 1], 1 in the last bin, NaN skipped', () => {
    const h = histogram([0, 0.05, 0.5, 0.99, 1, Number.NaN], 4);
    expect(h.map((b) => b.count)).toEqual([2, 0, 1, 2]);
    expect(h[0]).toMatchObject({ from: 0, to: 0.25 });
  });
});
