/**
 * How a photo is named where only its hash, files and listings are known (duplicate groups): its
 * first listing's title, else its file name; never a bare hash when a file is known.
 */
export interface NamedPhoto {
  sha256: string;
  paths: readonly string[];
  listings: ReadonlyArray<{ title: string }>;
}

export function baseName(file: string): string {
  return file.replaceAll('\\', '/').split('/').pop() ?? file;
}

export function photoName(photo: NamedPhoto): string {
  const title = photo.listings.find((l) => l.title.trim())?.title.trim();
  if (title) return title;
  const file = photo.paths[0];
  return file ? baseName(file) : `${photo.sha256.slice(0, 12)}…`;
}

/** A group of photos no listing uses is counted in photos (files), not listings. */
export function photosOnly(group: { images: readonly NamedPhoto[] }): boolean {
  return group.images.every((i) => i.listings.length === 0);
}

export function photoCount(group: { images: readonly NamedPhoto[] }): number {
  return group.images.reduce((n, i) => n + Math.max(1, i.paths.length), 0);
}
