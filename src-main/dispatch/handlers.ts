// dispatch/: the handler table and invoke, which validates a call against the contract and runs its
// feature. Runs in the backend process (and in the CLI process for in-process calls); the front
// doors (backend host, CLI, jobs) reach features only through here.
import {
  catalogErrors,
  catalogImage,
  catalogImport,
  catalogListings,
  catalogLoadDemo,
  catalogRepair,
  catalogStats,
  catalogThumbnail,
} from '../features/catalog.js';
import {
  duplicatesDecide,
  duplicatesDecisions,
  duplicatesDistribution,
  duplicatesExport,
  duplicatesFind,
  duplicatesListings,
  duplicatesAgainst,
  duplicatesPrepare,
  duplicatesSources,
} from '../features/duplicates/handlers.js';
import { catalogFacets, catalogImages } from '../features/images.js';
import { invoke } from './invoke.js';
import { jobsHandlers } from './jobs.js';
import { compareCatalogHandler, compareLabelsHandler, compareQueryHandler } from '../features/compare/handlers.js';
import { mismatchDecide, mismatchExport, mismatchList, mismatchUndo } from '../features/mismatch/handlers.js';
import { modelsSetDefault } from '../features/model-default.js';
import { modelsEmbed, modelsInstall, modelsList, modelsMeasureVariant, modelsRemove, modelsSetVariant } from '../features/models.js';
import { searchQdrantPush, searchQdrantStatus, searchQuery } from '../features/search.js';
import { appStatus } from '../features/status.js';
import type { Handlers } from '../features/context.js';

/** The one implementation of every API method, shared by IPC, HTTP and the CLI. */
export const handlers: Handlers = {
  'app.status': appStatus,
  'models.list': modelsList,
  'models.install': modelsInstall,
  'models.remove': modelsRemove,
  'models.embed': modelsEmbed,
  'models.measureVariant': modelsMeasureVariant,
  'models.setVariant': modelsSetVariant,
  'models.setDefault': modelsSetDefault,
  'catalog.import': catalogImport,
  'catalog.loadDemo': catalogLoadDemo,
  'catalog.stats': catalogStats,
  'catalog.errors': catalogErrors,
  'catalog.listings': catalogListings,
  'catalog.thumbnail': catalogThumbnail,
  'catalog.image': catalogImage,
  'catalog.repair': catalogRepair,
  ...jobsHandlers((kind, input, ctx) => invoke(handlers, kind, input, ctx)),
  'catalog.images': catalogImages,
  'catalog.facets': catalogFacets,
  'duplicates.find': duplicatesFind,
  'duplicates.decide': duplicatesDecide,
  'duplicates.decisions': duplicatesDecisions,
  'duplicates.export': duplicatesExport,
  'duplicates.distribution': duplicatesDistribution,
  'duplicates.listings': duplicatesListings,
  'duplicates.against': duplicatesAgainst,
  'duplicates.sources': duplicatesSources,
  'duplicates.prepare': duplicatesPrepare,
  'mismatch.list': mismatchList,
  'mismatch.decide': mismatchDecide,
  'mismatch.undo': mismatchUndo,
  'mismatch.export': mismatchExport,
  'compare.query': compareQueryHandler,
  'compare.labels': compareLabelsHandler,
  'compare.catalog': compareCatalogHandler,
  'search.query': searchQuery,
  'search.qdrantStatus': searchQdrantStatus,
  'search.qdrantPush': searchQdrantPush,
};
