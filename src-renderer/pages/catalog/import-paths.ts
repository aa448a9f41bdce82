const LISTING_FILE = /\.(csv|json|jsonl|ndjson)$/i;

/** A listings file (CSV, JSON, JSON Lines) rather than photos, by its extension. */
export function isListingFile(name: string): boolean {
  return LISTING_FILE.test(name);
}

export interface ImportInput {
  paths: string[];
  listings?: string;
  models?: string[];
}

/** Lines typed or dropped → folders/images and at most one listings file (by extension). */
export function splitImportPaths(lines: string[], listings?: string): ImportInput | { error: 'tooManyListings' | 'empty' } {
  const clean = lines.map((l) => l.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
  const listingFiles = clean.filter(isListingFile);
  const explicit = listings?.trim() || undefined;
  if (listingFiles.length + (explicit ? 1 : 0) > 1) return { error: 'tooManyListings' };
  const paths = clean.filter((l) => !isListingFile(l));
  const listingFile = explicit ?? listingFiles[0];
  if (paths.length === 0 && !listingFile) return { error: 'empty' };
  return listingFile ? { paths, listings: listingFile } : { paths };
}
