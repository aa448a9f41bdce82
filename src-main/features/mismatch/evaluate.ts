import { type PlattScaling, type ReliabilityBin, applyPlatt, expectedCalibrationError, fitPlatt, reliabilityBins, rocAuc } from './metrics.js';

export interface LabelledScore {
  listing: string;
  /** The model's P(match) for the listing's title and photo. */
  probability: number;
  /** Ground truth: the title was planted on a photo of something else. */
  mismatched: boolean;
}

export interface MismatchEvaluation {
  n: number;
  positives: number;
  /** ROC AUC of ranking by probability ascending as a mismatch detector. */
  auc: number | null;
  /** ECE (10 bins) of the raw probabilities as P(match) against the labels. */
  ece: number;
  reliability: ReliabilityBin[];
  /**
   * Platt scaling fitted on half the listings (even positions in id order) and evaluated on the
   * other half: the raw and the calibrated ECE on that held-out half.
   */
  platt: { fit: PlattScaling; heldOut: number; eceRaw: number; eceCalibrated: number; auc: number | null };
}

const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));

export function evaluateMismatch(rows: readonly LabelledScore[]): MismatchEvaluation {
  const sorted = [...rows].sort((a, b) => (a.listing < b.listing ? -1 : a.listing > b.listing ? 1 : 0));
  const p = sorted.map((r) => r.probability);
  const match = sorted.map((r) => !r.mismatched);
  const train = sorted.filter((_, i) => i % 2 === 0);
  const test = sorted.filter((_, i) => i % 2 === 1);
  const fit = fitPlatt(
    train.map((r) => logit(r.probability)),
    train.map((r) => !r.mismatched),
  );
  const calibrated = test.map((r) => applyPlatt(fit, logit(r.probability)));
  return {
    n: sorted.length,
    positives: sorted.filter((r) => r.mismatched).length,
    auc: rocAuc(
      p.map((x) => -x),
      sorted.map((r) => r.mismatched),
    ),
    ece: expectedCalibrationError(p, match),
    reliability: reliabilityBins(p, match),
    platt: {
      fit,
      heldOut: test.length,
      eceRaw: expectedCalibrationError(
        test.map((r) => r.probability),
        test.map((r) => !r.mismatched),
      ),
      eceCalibrated: expectedCalibrationError(
        calibrated,
        test.map((r) => !r.mismatched),
      ),
      auc: rocAuc(
        calibrated.map((x) => -x),
        test.map((r) => r.mismatched),
      ),
    },
  };
}
