import { describe, expect, it } from 'vitest';
import { formatScore } from '../../src-renderer/format.js';
import { matchValue, searchCells } from '../../src-renderer/pages/search/results.js';
import { providerReason } from '../../src-renderer/provider-reasons.js';
import { format } from '../../src-renderer/i18n/index.js';
import { en, ru } from '../../src-renderer/i18n/strings.js';

const result = (sha256: string, copies: string[] = []) => ({
  sha256,
  name: sha256,
  image: null,
  score: 0.9,
  listing: null,
  listings: [],
  copies: copies.map((c) => ({ sha256: c, name: c, image: null, score: 0.8, listing: null, listings: [] })),
});

describe('search results on the page', () => {
  it('a stack shows its copies right after it only when opened', () => {
    const results = [result('a', ['a1', 'a2']), result('b')];
    expect(searchCells(results, new Set()).map((c) => [c.result.sha256, c.rank, c.copyOf ?? null, c.copies])).toEqual([
      ['a', 1, null, 2],
      ['b', 2, null, 0],
    ]);
    expect(searchCells(results, new Set(['a'])).map((c) => [c.result.sha256, c.rank, c.copyOf ?? null])).toEqual([
      ['a', 1, null],
      ['a1', 1, 1],
      ['a2', 1, 1],
      ['b', 2, null],
    ]);
  });

  it('the match strength reads as a percentage (SigLIP) or standard deviations (CLIP), in the UI language', () => {
    expect(matchValue('en', { kind: 'probability', best: 0.698, threshold: 0.05, weak: false })).toBe('70%');
    expect(matchValue('en', { kind: 'probability', best: 0.0045, threshold: 0.05, weak: true })).toBe('0.5%');
    expect(matchValue('ru', { kind: 'probability', best: 0.0045, threshold: 0.05, weak: true })).toBe('0,5\u00a0%');
    expect(matchValue('en', { kind: 'probability', best: 0.00001, threshold: 0.05, weak: true })).toBe('<0.1%');
    expect(matchValue('ru', { kind: 'relative', best: 2.0057, threshold: 2.3, weak: true })).toBe('2,0 σ');
  });

  it('scores follow the UI language, not a fixed decimal point', () => {
    expect(formatScore(0.95, 'en')).toBe('0.950');
    expect(formatScore(0.95, 'ru')).toBe('0,950');
  });
});

describe('provider explanations in both languages', () => {
  const t = (dict: Record<string, string>) => (key: string, params?: Record<string, string | number>) => format(dict[key] as string, params);
  it('recognises the backend\'s known reasons', () => {
    const vulkan = "no Vulkan loader (libvulkan.so.1) found: install libvulkan1 and the GPU vendor's Vulkan driver";
    expect(providerReason(t(ru) as never, vulkan)).toMatch(/^Не найден загрузчик Vulkan/);
    expect(providerReason(t(en) as never, 'cuda is not built into this onnxruntime-node for darwin-arm64')).toBe('Not built into this onnxruntime-node for darwin-arm64.');
    expect(providerReason(t(ru) as never, 'libonnxruntime_providers_cuda.so is not installed (reinstall with: npm install --onnxruntime-node-install=cuda12)')).toBe(
      'libonnxruntime_providers_cuda.so не установлена (переустановите командой: npm install --onnxruntime-node-install=cuda12).',
    );
  });
  it('keeps an unknown reason behind a translated lead', () => {
    expect(providerReason(t(ru) as never, 'Failed to create session')).toBe('Не удалось запустить: Failed to create session');
  });
});
