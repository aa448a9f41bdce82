/** Listing-level filter: an image passes when at least one of its listings passes every field. */
export interface ListingFilter {
  category?: string;
  seller?: string;
  /** Inclusive bounds. */
  priceMin?: number;
  priceMax?: number;
}

export function isEmptyFilter(filter: ListingFilter | undefined): boolean {
  return !filter || (filter.category === undefined && filter.seller === undefined && filter.priceMin === undefined && filter.priceMax === undefined);
}

/** The filter as an SQL condition on the listings table aliased `l`, with its parameters. */
export function listingFilterSql(filter: ListingFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.category !== undefined) clauses.push('trim(l.category) = trim(?) COLLATE NOCASE') && params.push(filter.category);
  if (filter.seller !== undefined) clauses.push('trim(l.seller) = trim(?) COLLATE NOCASE') && params.push(filter.seller);
  if (filter.priceMin !== undefined) clauses.push('l.price >= ?') && params.push(filter.priceMin);
  if (filter.priceMax !== undefined) clauses.push('l.price <= ?') && params.push(filter.priceMax);
  return { where: clauses.length ? clauses.join(' AND ') : '1', params };
}
