import { z } from 'zod';
import { method } from '../method.js';
import { ModelRef } from './models.js';

const ModelId = z.string().min(1).max(200);
const ListingId = z.string().min(1).max(500);
export const MismatchDecisionKind = z.enum(['accept', 'flag', 'skip']);

export const HistogramBins = z.array(z.object({ from: z.number(), to: z.number(), count: z.number() }));

export const MismatchDecision = z.object({
  id: z.number(),
  listing: z.string(),
  /** accept: the title fits the photo; flag: mismatch confirmed; skip: decide later. */
  decision: MismatchDecisionKind,
  /** The title decided on; a decision lapses when the title changes. */
  title: z.string(),
  model: z.string().nullable(),
  probability: z.number().nullable(),
  relativeScore: z.number().nullable(),
  note: z.string().nullable(),
  decidedAt: z.number(),
});

export const MismatchAlternative = z.object({
  text: z.string(),
  /** category: a zero-shot prompt made from one of the catalog's categories. */
  kind: z.enum(['category']),
  /** SigLIP: this text's own sigmoid probability for the photo (independent of the others). */
  probability: z.number().nullable(),
  /** CLIP: this text's share of the softmax over the title and every category prompt. */
  relativeScore: z.number().nullable(),
});

export const MismatchItem = z.object({
  listing: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  category: z.string().nullable(),
  seller: z.string().nullable(),
  /** The photo scored (the listing's first image): thumbnail via catalog.thumbnail. */
  sha256: z.string(),
  /** A file holding the photo, when one is known. */
  imagePath: z.string().nullable(),
  /** SigLIP: P(photo shows what the title says) = sigmoid(scale*cos+bias). Null for CLIP packs. */
  probability: z.number().nullable(),
  /**
   * CLIP (the list's model, or `relativeModel`): the title's share of the softmax over the title
   * and the catalog's category prompts. Relative to that set: never read it as a probability.
   */
  relativeScore: z.number().nullable(),
  cosine: z.number(),
  /** The title is in a script the model was not trained on; its score may be poor. */
  languageWarning: z.boolean(),
  script: z.string().nullable(),
  /** What the photo looks like instead: the best-scoring category prompts, best first. */
  alternatives: z.array(MismatchAlternative),
  decision: MismatchDecision.nullable(),
});
export type MismatchItem = z.infer<typeof MismatchItem>;

export const LanguageSupport = z.object({
  multilingual: z.boolean(),
  scripts: z.array(z.string()),
  source: z.enum(['config', 'name', 'tokenizer']),
});

/** Machine-readable notes for the UI to word in its language; `message` is English for the CLI and logs. */
export const MismatchNotice = z.object({
  code: z.enum(['language_warning', 'relative_only', 'unreadable_images', 'no_categories']),
  count: z.number().optional(),
  message: z.string(),
});

const ListFilters = {
  model: ModelId.optional().describe('pack to score with; default: the default pack (a SigLIP one when installed)'),
  below: z.number().min(0).max(1).optional().describe('only items scoring below this (probability, or relative score for CLIP packs)'),
  decision: z.enum(['any', 'undecided', 'accept', 'flag', 'skip']).default('any'),
};

export const mismatchMethods = {
  'mismatch.list': method({
    summary: 'Review queue of image/title mismatches, lowest match score first, with alternatives, decisions and a score histogram; scores new or changed listings first.',
    input: z
      .object({
        ...ListFilters,
        relativeModel: ModelId.nullable().optional().describe('CLIP pack whose relative score is shown alongside; default: the first CLIP pack installed, null: none'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(50),
        alternatives: z.number().int().min(0).max(20).default(3).describe('category alternatives per item'),
        bins: z.number().int().min(2).max(100).default(20).describe('histogram bins over [0, 1]'),
      })
      .strict(),
    output: z.object({
      model: ModelRef,
      /** Which field the queue is sorted and filtered by. */
      scoreField: z.enum(['probability', 'relativeScore']),
      relativeModel: ModelRef.nullable(),
      below: z.number().nullable(),
      /** Items passing the filters (all pages). */
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      items: z.array(MismatchItem),
      /** Of every scored listing (not only the filtered ones), over scoreField. */
      histogram: HistogramBins,
      /** Same over relativeScore of relativeModel, when there is one. */
      relativeHistogram: HistogramBins.nullable(),
      coverage: z.object({ scored: z.number(), noTitle: z.number(), noImage: z.number(), unreadable: z.number() }),
      /** The catalog's categories used as zero-shot prompts. */
      categories: z.array(z.string()),
      language: LanguageSupport,
      notices: z.array(MismatchNotice),
    }),
  }),
  'mismatch.decide': method({
    summary: 'Record a moderator decision on a listing: accept (title fits), flag (mismatch) or skip.',
    input: z
      .object({ listing: ListingId, decision: MismatchDecisionKind, model: ModelId.optional(), note: z.string().max(2000).optional() })
      .strict(),
    output: z.object({ decision: MismatchDecision, previous: MismatchDecision.nullable() }),
  }),
  'mismatch.undo': method({
    summary: "Undo the latest decision (of one listing, or the latest of all); the listing's earlier decision, if any, applies again.",
    input: z.object({ listing: ListingId.optional() }).strict(),
    output: z.object({ undone: MismatchDecision.nullable(), current: MismatchDecision.nullable() }),
  }),
  'mismatch.export': method({
    summary: 'The current decisions, or the scored queue with decisions, as CSV or JSON text.',
    input: z
      .object({
        ...ListFilters,
        format: z.enum(['csv', 'json']).default('csv'),
        what: z.enum(['decisions', 'queue']).default('decisions'),
      })
      .strict(),
    output: z.object({ format: z.enum(['csv', 'json']), mime: z.string(), filename: z.string(), text: z.string(), rows: z.number() }),
  }),
};
