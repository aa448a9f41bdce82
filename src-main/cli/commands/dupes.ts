import type { FindOutput } from '../../api/schemas/duplicates.js';
import { type Command, UsageError, numberOption, stringOption } from '../command.js';

const TIERS = ['exact', 'near', 'similar'] as const;
type Tier = (typeof TIERS)[number];

export const dupesCommand: Command = {
  name: 'dupes',
  summary: 'Duplicate listings: groups of the same photo (exact, near: after edits) or similar products, with per-pair evidence',
  usage:
    'dupes [--tier exact|near|similar] [--threshold X] [--max-hash N] [--mirror] [--model ID] [--format json|csv] [--db FILE]\n' +
    '       prints {"tier", "groups": [{"id", "images": [path...], "listings": [...], "sellers", "pairs": [{"a", "b", "hash_distance", "cosine"}]}]}\n' +
    '       --threshold: cosine of the tier (near: with a close hash; similar: alone); --max-hash: near-tier pHash bits (0-64)',
  options: {
    tier: { type: 'string' },
    threshold: { type: 'string' },
    'max-hash': { type: 'string' },
    mirror: { type: 'boolean' },
    model: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const tier = (stringOption(values, 'tier') ?? 'near') as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`--tier must be one of ${TIERS.join(', ')}, got "${tier}"`);
    const format = stringOption(values, 'format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
    const threshold = numberOption(values, 'threshold', { min: 0, max: 1 });
    const maxHashDistance = numberOption(values, 'max-hash', { min: 0, max: 64, integer: true });
    const model = stringOption(values, 'model');
    const settings = {
      tier,
      mirror: values.mirror === true,
      ...(threshold !== undefined ? { threshold } : {}),
      ...(maxHashDistance !== undefined ? { maxHashDistance } : {}),
      ...(model ? { model } : {}),
    };
    if (format === 'csv') {
      const out = await io.call('duplicates.export', { ...settings, format: 'csv' });
      io.write(out.text);
      return undefined;
    }
    const result = await io.call('duplicates.find', { ...settings, limit: 100_000 });
    for (const w of result.warnings) io.log(`warning: ${w}`);
    return cliShape(result);
  },
};

/** The CLI's documented JSON: images and pairs named by file path, snake_case evidence. */
export function cliShape(result: FindOutput) {
  return {
    tier: result.settings.tier,
    settings: result.settings,
    total_groups: result.totalGroups,
    groups: result.groups.map((g) => {
      const pathOf = new Map(g.images.map((im) => [im.sha256, im.paths[0] ?? im.sha256]));
      return {
        id: g.id,
        size: g.size,
        images: g.images.flatMap((im) => (im.paths.length ? im.paths : [im.sha256])),
        listings: g.images.flatMap((im) => im.listings.map((l) => ({ id: l.id, seller: l.seller, title: l.title, image: pathOf.get(im.sha256) }))),
        sellers: g.sellers,
        pairs: g.pairs.map((p) => ({
          a: pathOf.get(p.a),
          b: pathOf.get(p.b),
          hash_distance: p.hashDistance,
          crop_hash_distance: p.cropHashDistance,
          alignment: p.alignment,
          cosine: p.cosine,
          tier: p.tier,
          decision: p.decision,
        })),
      };
    }),
  };
}
