import type { Handler } from '../../features/context.js';
import { compareCatalog } from './catalog.js';
import { compareLabels } from './labels.js';
import { compareQuery } from './query.js';

export const compareQueryHandler: Handler<'compare.query'> = (input, ctx) => compareQuery(input, ctx);
export const compareLabelsHandler: Handler<'compare.labels'> = (input, ctx) => compareLabels(input, ctx);
export const compareCatalogHandler: Handler<'compare.catalog'> = (input, ctx) => compareCatalog(input, ctx);
