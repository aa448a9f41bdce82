import { fileToBase64, pathForFile } from './api/client';
import type { DroppedImport, QueryImage } from './state/intents';

const IMAGE_EXT = /\.(jpe?g|jpe|jfif|png|webp|avif|gif|tiff?|heic|heif|bmp)$/i;
const LISTING_EXT = /\.(csv|json|jsonl|ndjson)$/i;

export type DropIntent = { kind: 'search'; file: File } | { kind: 'import'; request: DroppedImport } | { kind: 'unsupported'; names: string[] };

export function isImageFile(file: File): boolean {
  return file.type.startsWith('image/') || IMAGE_EXT.test(file.name);
}

/**
 * What a drop means: folders or listing files (CSV/JSON/JSONL) are an import, a lone image is a
 * search. Must run inside the drop event: DataTransfer items are gone once it returns.
 */
export function classifyDrop(data: DataTransfer): DropIntent | undefined {
  const entries: Array<{ file: File; isDirectory: boolean }> = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const file = item.getAsFile();
    if (!file) continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    entries.push({ file, isDirectory: entry?.isDirectory ?? false });
  }
  if (entries.length === 0) {
    for (const file of Array.from(data.files)) entries.push({ file, isDirectory: false });
  }
  if (entries.length === 0) return undefined;
  const importable = entries.filter((e) => e.isDirectory || LISTING_EXT.test(e.file.name));
  if (importable.length > 0) {
    return {
      kind: 'import',
      request: { items: importable.map((e) => ({ name: e.file.name, path: pathForFile(e.file), isDirectory: e.isDirectory })) },
    };
  }
  const image = entries.find((e) => isImageFile(e.file));
  if (image) return { kind: 'search', file: image.file };
  return { kind: 'unsupported', names: entries.map((e) => e.file.name) };
}

/** A dropped or pasted image as a query: by path in the desktop app, uploaded bytes in browser mode. */
export async function queryImageFromFile(file: File): Promise<QueryImage> {
  const preview = URL.createObjectURL(file);
  const name = file.name || 'clipboard.png';
  const path = pathForFile(file);
  if (path) return { ref: { path }, preview, name };
  return { ref: { bytes: await fileToBase64(file), name }, preview, name };
}
