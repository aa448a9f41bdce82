import { sigmoid } from '../../engine/similarity.js';

/**
 * Area under the ROC curve: the chance that a random positive scores higher than a random
 * negative, ties counting one half (Mann-Whitney U with average ranks). Null when either class is
 * absent.
 */
export function rocAuc(scores: readonly number[], positives: readonly boolean[]): number | null {
  if (scores.length !== positives.length) throw new Error('scores and labels differ in length');
  const order = scores.map((s, i) => ({ s, p: positives[i]! })).sort((a, b) => a.s - b.s);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) {
      if (order[k]!.p) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    i = j;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  meanPredicted: number | null;
  /** Observed frequency of the event in the bin (null when empty). */
  observed: number | null;
}

/** Equal-width bins over [0, 1]; p = 1 falls in the last bin. */
export function reliabilityBins(probabilities: readonly number[], outcomes: readonly boolean[], bins = 10): ReliabilityBin[] {
  if (probabilities.length !== outcomes.length) throw new Error('probabilities and outcomes differ in length');
  const sums = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  probabilities.forEach((p, i) => {
    const b = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!;
    b.n++;
    b.p += p;
    b.y += outcomes[i] ? 1 : 0;
  });
  return sums.map((b, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    count: b.n,
    meanPredicted: b.n ? b.p / b.n : null,
    observed: b.n ? b.y / b.n : null,
  }));
}

/** Expected calibration error: the count-weighted mean gap |mean predicted - observed| over equal-width bins. */
export function expectedCalibrationError(probabilities: readonly number[], outcomes: readonly boolean[], bins = 10): number {
  if (probabilities.length === 0) throw new Error('no probabilities to calibrate');
  const n = probabilities.length;
  return reliabilityBins(probabilities, outcomes, bins).reduce(
    (s, b) => (b.count ? s + (b.count / n) * Math.abs(b.meanPredicted! - b.observed!) : s),
    0,
  );
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Counts of values in `bins` equal-width bins over [min, max] (defaults to [0, 1]). */
export function histogram(values: Iterable<number>, bins = 20, min = 0, max = 1): HistogramBin[] {
  const width = (max - min) / bins;
  const out = Array.from({ length: bins }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    out[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)))]!.count++;
  }
  return out;
}

/** p = sigmoid(a * logit + b): Platt scaling of a classifier's logit. */
export interface PlattScaling {
  a: number;
  b: number;
}

/**
 * Fits Platt scaling by Newton's method with step halving on the log loss, with Platt's (1999)
 * smoothed targets (n+ + 1)/(n+ + 2) and 1/(n- + 2) so that separable data still gives finite
 * parameters.
 */
export function fitPlatt(logits: readonly number[], outcomes: readonly boolean[], iterations = 100): PlattScaling {
  if (logits.length !== outcomes.length || logits.length === 0) throw new Error('need as many outcomes as logits, at least one');
  const nPos = outcomes.filter(Boolean).length;
  const nNeg = outcomes.length - nPos;
  const hi = (nPos + 1) / (nPos + 2);
  const lo = 1 / (nNeg + 2);
  const t = outcomes.map((y) => (y ? hi : lo));
  const loss = (a: number, b: number) =>
    logits.reduce((s, x, i) => {
      const z = a * x + b;
      // log(1 + e^z) - t*z, computed without overflow.
      return s + (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i]! * z;
    }, 0);
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    logits.forEach((x, i) => {
      const p = sigmoid(a * x + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * x;
      gb += d;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-18)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Full Newton steps can overshoot far from the optimum: halve until the loss goes down.
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improved = current - next;
    current = next;
    if (improved < 1e-12) break;
  }
  return { a, b };
}

export function applyPlatt(scaling: PlattScaling, logit: number): number {
  return sigmoid(scaling.a * logit + scaling.b);
}
