import type { MethodOutput } from '../../api/contract.js';
import { type Command, UsageError, numberOption, stringOption } from '../command.js';

const DECISIONS = ['accept', 'flag', 'skip'] as const;
const PAGE = 5000;

export const mismatchCommand: Command = {
  name: 'mismatch',
  summary: 'Image/title mismatches: listings whose photo does not show what the title says, least likely match first',
  usage:
    'mismatch [--model ID] [--below P] [--limit N] [--format json|csv] [--db FILE]\n' +
    '       prints {"model", "items": [{"listing", "image", "title", "probability", "alternatives": [{"text", "probability"}]}]}, probability ascending\n' +
    '       (CLIP packs: "relative_score" instead of "probability": relative to the catalog\'s categories, not a probability)\n' +
    '       mismatch decide LISTING accept|flag|skip [--note TEXT] [--model ID]\n' +
    '       mismatch undo [LISTING]\n' +
    '       mismatch export [--what decisions|queue] [--format csv|json] [--model ID] [--below P]',
  options: {
    model: { type: 'string' },
    below: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    note: { type: 'string' },
    what: { type: 'string' },
  },
  allowPositionals: true,
  async run(values, positionals, io) {
    const model = stringOption(values, 'model');
    const below = numberOption(values, 'below', { min: 0, max: 1 });
    const [action, ...rest] = positionals;
    if (action === 'decide') {
      const [listing, decision] = rest;
      if (!listing || !DECISIONS.includes(decision as never) || rest.length !== 2) throw new UsageError('usage: mismatch decide LISTING accept|flag|skip');
      const note = stringOption(values, 'note');
      return io.call('mismatch.decide', { listing, decision: decision as (typeof DECISIONS)[number], ...(model ? { model } : {}), ...(note ? { note } : {}) });
    }
    if (action === 'undo') {
      if (rest.length > 1) throw new UsageError('usage: mismatch undo [LISTING]');
      return io.call('mismatch.undo', rest[0] ? { listing: rest[0] } : {});
    }
    const format = stringOption(values, 'format') ?? (action === 'export' ? 'csv' : 'json');
    if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, got "${format}"`);
    const filters = { ...(model ? { model } : {}), ...(below !== undefined ? { below } : {}) };
    if (action === 'export') {
      const what = stringOption(values, 'what') ?? 'decisions';
      if (what !== 'decisions' && what !== 'queue') throw new UsageError(`--what must be decisions or queue, got "${what}"`);
      const out = await io.call('mismatch.export', { ...filters, format, what });
      io.write(out.text);
      return undefined;
    }
    if (action !== undefined) throw new UsageError(`unknown action "${action}" (decide, undo, export, or none for the queue)`);
    if (format === 'csv') {
      const out = await io.call('mismatch.export', { ...filters, format: 'csv', what: 'queue' });
      io.write(out.text);
      return undefined;
    }
    const limit = numberOption(values, 'limit', { min: 1, integer: true });
    const pages: Array<MethodOutput<'mismatch.list'>> = [];
    for (let offset = 0; ; offset += PAGE) {
      const size = limit === undefined ? PAGE : Math.min(PAGE, limit - offset);
      if (size <= 0) break;
      const page = await io.call('mismatch.list', { ...filters, offset, limit: size });
      pages.push(page);
      if (offset + size >= page.total) break;
    }
    for (const n of pages[0]!.notices) io.log(`note: ${n.message}`);
    return cliShape(pages);
  },
};

/** The CLI's documented JSON: one entry per listing, the photo by file path, snake_case fields. */
export function cliShape(pages: Array<MethodOutput<'mismatch.list'>>) {
  const first = pages[0]!;
  const relative = first.scoreField === 'relativeScore';
  return {
    model: first.model.id,
    score: relative ? 'relative_score' : 'probability',
    relative_model: relative ? first.model.id : (first.relativeModel?.id ?? null),
    below: first.below,
    total: first.total,
    notes: first.notices.map((n) => n.message),
    items: pages.flatMap((p) =>
      p.items.map((it) => ({
        listing: it.listing,
        image: it.imagePath ?? it.sha256,
        sha256: it.sha256,
        title: it.title,
        probability: it.probability,
        relative_score: it.relativeScore,
        language_warning: it.languageWarning,
        alternatives: it.alternatives.map((a) => (relative ? { text: a.text, relative_score: a.relativeScore } : { text: a.text, probability: a.probability })),
        decision: it.decision?.decision ?? null,
      })),
    ),
  };
}
