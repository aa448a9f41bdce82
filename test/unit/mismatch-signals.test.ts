import { describe, expect, it } from 'vitest';
import { plausibleAlternatives, scoresDisagree } from '../../src-renderer/mismatch-signals.js';

const sig = (text: string, probability: number) => ({ text, probability, relativeScore: null });
const clip = (text: string, relativeScore: number) => ({ text, probability: null, relativeScore });

describe('mismatch: alternatives worth offering', () => {
  it('offers none when every alternative is implausible (SigLIP)', () => {
    expect(plausibleAlternatives({ probability: 0.0004, relativeScore: null }, [sig('vase', 0.0009), sig('tshirt', 0.0002)])).toEqual([]);
  });
  it('offers plausible alternatives that fit better than the title', () => {
    const out = plausibleAlternatives({ probability: 0.01, relativeScore: null }, [sig('vase', 0.6), sig('mug', 0.04), sig('tshirt', 0.07)]);
    expect(out.map((a) => a.text)).toEqual(['vase', 'tshirt']);
    // An alternative below the title's own probability does not "look more like" it.
    expect(plausibleAlternatives({ probability: 0.9, relativeScore: null }, [sig('vase', 0.6)])).toEqual([]);
  });
  it('CLIP: by share of the softmax', () => {
    const out = plausibleAlternatives({ probability: null, relativeScore: 0.05 }, [clip('vase', 0.7), clip('mug', 0.1)]);
    expect(out.map((a) => a.text)).toEqual(['vase']);
  });
});

describe('mismatch: SigLIP and CLIP disagree', () => {
  it('flags a high CLIP share beside a tiny SigLIP probability, and the reverse', () => {
    expect(scoresDisagree({ probability: 0.0005, relativeScore: 0.959 })).toBe('clipHigher');
    expect(scoresDisagree({ probability: 0.8, relativeScore: 0.03 })).toBe('siglipHigher');
  });
  it('says nothing when they agree or one is missing', () => {
    expect(scoresDisagree({ probability: 0.9, relativeScore: 0.8 })).toBeNull();
    expect(scoresDisagree({ probability: 0.01, relativeScore: 0.02 })).toBeNull();
    expect(scoresDisagree({ probability: null, relativeScore: 0.9 })).toBeNull();
  });
});
