import { AppError } from '../../shared/errors.js';
import type { Handler } from '../../features/context.js';
import { loadModel } from '../common/load-model.js';
import { ZeroShotStore } from '../common/zero-shot-store.js';
import { decisionsExport, queueExport } from './export.js';
import { listQueue, scoredQueue } from './queue.js';
import { DecisionStore } from './store.js';

export const mismatchList: Handler<'mismatch.list'> = (input, ctx) => listQueue(input, ctx);

export const mismatchDecide: Handler<'mismatch.decide'> = async (input, { services }) => {
  const catalog = services.catalog;
  const listing = catalog.listingsByIds([input.listing])[0];
  if (!listing) throw new AppError('not_found', `no listing "${input.listing}" in the catalog`);
  const store = new DecisionStore(catalog);
  const previous = store.currentDecisions([listing.id]).get(listing.id) ?? null;
  // The score at decision time, from the named pack, else whichever pack scored this title last.
  const model = input.model ? await loadModel(services, input.model) : null;
  const score = new ZeroShotStore(catalog).latestScore(listing.id, model ? { id: model.id, revision: model.revision } : undefined);
  const decision = store.decide({
    listing: listing.id,
    decision: input.decision,
    title: listing.title.trim(),
    model: score?.model ?? model?.id ?? null,
    probability: score?.probability ?? null,
    relativeScore: score?.relativeScore ?? null,
    note: input.note ?? null,
  });
  return { decision, previous };
};

export const mismatchUndo: Handler<'mismatch.undo'> = async (input, { services }) => {
  const store = new DecisionStore(services.catalog);
  const undone = store.undo(input.listing) ?? null;
  const current = undone ? (store.currentDecisions([undone.listing]).get(undone.listing) ?? null) : null;
  return { undone, current };
};

export const mismatchExport: Handler<'mismatch.export'> = async (input, ctx) => {
  const { services } = ctx;
  const stamp = new Date().toISOString().slice(0, 10);
  let out;
  if (input.what === 'decisions') {
    if (input.decision === 'undecided') throw new AppError('bad_request', 'decision "undecided" selects no decisions; export what: "queue" instead');
    const store = new DecisionStore(services.catalog);
    const decisions = [...store.currentDecisions().values()].filter((d) => input.decision === 'any' || d.decision === input.decision);
    out = decisionsExport(services.catalog, decisions, input.format);
  } else {
    out = queueExport(services.catalog, await scoredQueue(input, ctx), input.format);
  }
  return {
    format: input.format,
    mime: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    filename: `lookalike-mismatch-${input.what}-${stamp}.${input.format}`,
    ...out,
  };
};
