import type { MethodInput } from '../../../src-main/api/contract';
import type { SearchQuery } from '../../state/search';

/** The form → search.query's input: blank fields and unreadable prices are left out. */
export function toInput(q: SearchQuery): MethodInput<'search.query'> {
  const filter = {
    ...(q.category.trim() ? { category: q.category.trim() } : {}),
    ...(q.seller.trim() ? { seller: q.seller.trim() } : {}),
    ...(q.priceMin.trim() && Number.isFinite(Number(q.priceMin)) ? { priceMin: Number(q.priceMin) } : {}),
    ...(q.priceMax.trim() && Number.isFinite(Number(q.priceMax)) ? { priceMax: Number(q.priceMax) } : {}),
  };
  return {
    ...(q.image ? { image: q.image.ref } : {}),
    ...(q.text.trim() ? { text: q.text.trim() } : {}),
    ...(q.image && q.text.trim() ? { textWeight: q.textWeight } : {}),
    k: q.k,
    ...(q.model ? { model: q.model } : {}),
    ...(Object.keys(filter).length ? { filter } : {}),
    stack: q.stack,
  };
}
