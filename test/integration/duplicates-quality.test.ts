import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDITS } from '../../src-main/bench/duplicates-edits.js';
import { runQuality } from '../../src-main/bench/duplicates-quality.js';

/**
 * The near tier on small fixed subsets of the quality benchmark (`lookalike bench --only duplicates-quality`)
 * with the shipped default thresholds. The bounds are what the defaults measure, so a regression in
 * hashing, candidates or grouping fails here; they are below the targets where the defaults
 * fall short (precision on the flat synthetic renders): see docs/DUPLICATES.md.
 */
describe('near-duplicate quality (demo-siglip, fixed subsets)', () => {
  it('synthetic: 60 demo originals with their planted copies and hard negatives, 6 with every edit; product renders with every edit, recoloured and shot twice', async () => {
    const r = await runQuality({ model: 'demo-siglip', mirror: false, syntheticOriginals: 60, syntheticEdited: 6, realPhotos: 0, renderProducts: 6, renderScenes: 6 });
    const s = r.results.mirrorOff!;
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    // Every edit clears the 0.80 on this small subset, crops included (found by alignment: see
    // the crop test in duplicates-align; measured 2026-12-02: crop 0.89, pad 0.89, crop_offset 0.92).
    for (const edit of EDITS.filter((e) => e !== 'mirror')) expect(s.perEdit[edit]!.recall, edit).toBeGreaterThanOrEqual(0.8);
    // Colour variants (hue-rotated demo products, products with regions repainted) and second shots
    // are never near (before the moved-block count undid window misregistration, a scene whose camera
    // barely moved was: its crop placement was allowed one moved block).
    for (const kind of ['recolour_hue', 'recolour_region', 'second_shot']) expect(s.perHardKind[kind]!.grouped, kind).toBe(0);
    expect(s.perHardKind.recolour_region!.total).toBe(6);
    expect(s.perHardKind.second_shot!.total).toBe(12);
  });

  // Real photographs come from Debian's wallpaper packages, which only some machines have.
  const havePhotos = fs.existsSync('/usr/share/wallpapers') || fs.existsSync('/usr/share/backgrounds/gnome');
  it.skipIf(!havePhotos)('real photos: 6 wallpapers with every edit (apt-get install plasma-workspace-wallpapers gnome-backgrounds)', async () => {
    const r = await runQuality({ model: 'demo-siglip', mirror: false, syntheticOriginals: 0, syntheticEdited: 0, realPhotos: 6, renderProducts: 0, renderScenes: 0 });
    const s = r.results.mirrorOff!;
    const real = s.perSource.real!;
    expect(real.precision).toBeGreaterThanOrEqual(0.97);
    expect(real.recall).toBeGreaterThanOrEqual(0.9);
    expect(s.perEdit['real:crop']!.recall).toBeGreaterThanOrEqual(0.75);
    expect(s.perEdit['real:crop_offset']!.recall).toBeGreaterThanOrEqual(0.75);
    // The same photos with their hue rotated are other colours, not copies.
    expect(s.perHardKind.recolour_hue!.grouped).toBe(0);
    expect(s.perHardKind.recolour_hue!.total).toBeGreaterThanOrEqual(3);
  });
});
