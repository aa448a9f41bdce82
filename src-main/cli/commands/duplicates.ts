import type { AgainstOutput, FindOutput, ListingsOutput } from '../../api/schemas/duplicates.js';
import { type Command, type CommandIO, type OptionValues, UsageError, numberOption, stringOption } from '../command.js';

const TIERS = ['exact', 'near', 'similar'] as const;
type Tier = (typeof TIERS)[number];

export const duplicatesCommand: Command = {
  name: 'duplicates',
  aliases: ['dupes'],
  summary: 'Duplicate listings: groups of the same photo (exact, near: after edits) or similar products, with per-pair evidence',
  usage:
    'duplicates [--tier exact|near|similar] [--threshold X] [--max-hash N] [--mirror] [--model ID] [--format json|csv] [--db FILE]\n' +
    '       prints {"tier", "groups": [{"id", "images": [path...], "listings": [...], "sellers", "pairs": [{"a", "b", "hash_distance", "cosine"}]}]}\n' +
    '       --threshold: cosine of the tier (near: with a close hash; similar: alone); --max-hash: near-tier pHash bits (0-64)\n' +
    'duplicates --by listing [--view all|merge|copied] [--sort sellers|listings] [--tier exact|near] ...\n' +
    '       listings tied by the same photo: merge = one seller re-listing, copied = the same photo under several sellers\n' +
    'duplicates --against SOURCE [--threshold X] [--similar N] ...\n' +
    '       every listing against those of another imported listing file (SOURCE: its path, file name or name without extension):\n' +
    '       the same photo (near) and similar products (cosine >= X) there, with evidence',
  options: {
    by: { type: 'string' },
    view: { type: 'string' },
    sort: { type: 'string' },
    against: { type: 'string' },
    similar: { type: 'string' },
    tier: { type: 'string' },
    threshold: { type: 'string' },
    'max-hash': { type: 'string' },
    mirror: { type: 'boolean' },
    model: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const by = stringOption(values, 'by') ?? 'image';
    if (by !== 'image' && by !== 'listing') throw new UsageError(`--by must be image or listing, got "${by}"`);
    const against = stringOption(values, 'against');
    if (against !== undefined && by === 'listing') throw new UsageError('--against already matches listing by listing: leave out --by listing');
    if (by === 'image' && !against) for (const o of ['view', 'sort', 'similar']) if (values[o] !== undefined) throw new UsageError(`--${o} goes with --by listing${o === 'similar' ? ' or --against' : ''}`);
    if (against !== undefined) return runAgainst(against, values, io);
    if (by === 'listing') return runByListing(values, io);
    const tier = (stringOption(values, 'tier') ?? 'near') as Tier;
    if (!TIERS.includes(tier)) throw new UsageError(`--tier must be one of ${TIERS.join(', ')}, got "${tier}"`);
    const format = formatOf(values);
    const settings = groupingSettings(values, tier);
    if (format === 'csv') {
      const out = await io.call('duplicates.export', { ...settings, format: 'csv' });
      io.write(out.text);
      return undefined;
    }
    const result = await io.call('duplicates.find', { ...settings, limit: 100_000 });
    for (const w of result.warnings) io.log(`warning: ${w.message}`);
    return cliShape(result);
  },
};

type Values = OptionValues;
type Io = CommandIO;

function formatOf(values: Values): 'json' | 'csv' {
  const format = stringOption(values, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
  return format;
}

/** --threshold, --max-hash, --mirror and --model as the API's grouping settings for a tier. */
function groupingSettings<T extends Tier>(values: Values, tier: T) {
  const threshold = numberOption(values, 'threshold', { min: 0, max: 1 });
  const maxHashDistance = numberOption(values, 'max-hash', { min: 0, max: 64, integer: true });
  const model = stringOption(values, 'model');
  return {
    tier,
    mirror: values.mirror === true,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(maxHashDistance !== undefined ? { maxHashDistance } : {}),
    ...(model ? { model } : {}),
  };
}

async function runByListing(values: Values, io: Io) {
  const tier = stringOption(values, 'tier') ?? 'near';
  if (tier !== 'exact' && tier !== 'near') throw new UsageError(`--by listing groups listings by the same photo: --tier must be exact or near, got "${tier}"`);
  const view = stringOption(values, 'view') ?? 'all';
  if (view !== 'all' && view !== 'merge' && view !== 'copied') throw new UsageError(`--view must be all, merge or copied, got "${view}"`);
  const sort = stringOption(values, 'sort') ?? (view === 'merge' ? 'listings' : 'sellers');
  if (sort !== 'sellers' && sort !== 'listings') throw new UsageError(`--sort must be sellers or listings, got "${sort}"`);
  const format = formatOf(values);
  const settings = groupingSettings(values, tier);
  if (format === 'csv') {
    const out = await io.call('duplicates.export', { ...settings, format: 'csv', what: 'listings', view });
    io.write(out.text);
    return undefined;
  }
  const result = await io.call('duplicates.listings', { ...settings, view, sort, limit: 100_000 });
  for (const w of result.warnings) io.log(`warning: ${w.message}`);
  return listingsCliShape(result);
}

async function runAgainst(source: string, values: Values, io: Io) {
  for (const o of ['tier', 'max-hash', 'view', 'sort']) if (values[o] !== undefined) throw new UsageError(`--${o} does not apply to --against (near is the same photo at the default rule, similar is cosine >= --threshold)`);
  const format = formatOf(values);
  const threshold = numberOption(values, 'threshold', { min: 0, max: 1 });
  const similarPerListing = numberOption(values, 'similar', { min: 0, max: 100, integer: true });
  const model = stringOption(values, 'model');
  const settings = { source, mirror: values.mirror === true, ...(threshold !== undefined ? { threshold } : {}), ...(model ? { model } : {}) };
  if (format === 'csv') {
    const out = await io.call('duplicates.export', { ...settings, tier: 'near', format: 'csv', what: 'against' });
    io.write(out.text);
    return undefined;
  }
  const result = await io.call('duplicates.against', { ...settings, ...(similarPerListing !== undefined ? { similarPerListing } : {}), limit: 100_000 });
  for (const w of result.warnings) io.log(`warning: ${w.message}`);
  return againstCliShape(result);
}

const listingOut = (l: { id: string; seller: string | null; title: string; source: string | null }) => ({ id: l.id, seller: l.seller, title: l.title, source: l.source });

/** Listing groups as the CLI prints them: listings with their sellers, the shared photos by path. */
export function listingsCliShape(result: ListingsOutput) {
  return {
    view: result.view,
    settings: result.settings,
    total_groups: result.totalGroups,
    groups: result.groups.map((g) => ({
      id: g.id,
      kind: g.kind,
      size: g.size,
      sellers: g.sellers,
      seller_names: g.sellerNames,
      listings: g.listings.map((l) => ({ ...listingOut(l), photos: l.photos, shared_photos: l.sharedPhotos })),
      shared_photos: g.photos.map((p) => ({
        images: p.images.map((im) => ({ path: im.paths[0] ?? im.sha256, listings: im.listings })),
        listings: p.listings,
        sellers: p.sellers,
        pairs: p.pairs.map((x) => ({ cosine: x.cosine, hash_distance: x.hashDistance, alignment: x.alignment, colour_distance: x.colourDistance, tier: x.tier })),
      })),
    })),
  };
}

/** Cross-catalog matches as the CLI prints them. */
export function againstCliShape(result: AgainstOutput) {
  const match = (m: AgainstOutput['rows'][number]['near'][number]) => ({
    ...listingOut(m.listing),
    tier: m.tier,
    score: m.score,
    hash_distance: m.pair.hashDistance,
    alignment: m.pair.alignment,
    colour_distance: m.pair.colourDistance,
    other_colour: m.pair.otherColour,
  });
  return {
    source: result.source,
    settings: result.settings,
    listings_a: result.listingsA,
    listings_b: result.listingsB,
    with_near: result.withNear,
    with_similar_only: result.withSimilarOnly,
    rows: result.rows.map((r) => ({ listing: listingOut(r.listing), near: r.near.map(match), similar: r.similar.map(match) })),
  };
}

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
          frame: p.frame,
          colour_distance: p.colourDistance,
          other_colour: p.otherColour,
          tier: p.tier,
          decision: p.decision,
        })),
      };
    }),
  };
}
