import fs from 'node:fs/promises';
import path from 'node:path';

/** Extensions a folder walk picks up; anything else is skipped without being opened. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.avif', '.gif', '.tif', '.tiff', '.heic', '.heif']);

export function hasImageExtension(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** The container a file's first bytes announce, or undefined when they match no supported image format. */
export function sniffImageFormat(head: Uint8Array): string | undefined {
  const b = head;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (b.length >= 4 && (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*')) return 'tiff';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heif';
  }
  return undefined;
}

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export type WalkEntry = ({ kind: 'file' } & FoundFile) | { kind: 'error'; path: string; error: string };

/**
 * Every image file under the given paths, depth first in name order. Symlinks are followed, but a
 * directory reached twice (by a link cycle or two links to one folder) is walked once: visited
 * directories are tracked by device+inode. Hidden entries (".*", including macOS "._x.jpg"
 * resource forks) are skipped. A path given explicitly is taken whatever its extension; the
 * content check decides later.
 */
export async function* walkImageFiles(roots: string[], signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const visited = new Set<string>();

  async function* walkDir(dir: string): AsyncGenerator<WalkEntry> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      yield { kind: 'error', path: dir, error: `cannot read folder: ${errnoMessage(err)}` };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      signal?.throwIfAborted();
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* enterDir(full);
      } else if (entry.isFile()) {
        if (!hasImageExtension(entry.name)) continue;
        yield* statFile(full);
      } else if (entry.isSymbolicLink()) {
        let st: import('node:fs').Stats;
        try {
          st = await fs.stat(full);
        } catch (err) {
          if (hasImageExtension(entry.name)) yield { kind: 'error', path: full, error: `broken link: ${errnoMessage(err)}` };
          continue;
        }
        if (st.isDirectory()) yield* enterDir(full);
        else if (st.isFile() && hasImageExtension(entry.name)) yield { kind: 'file', path: full, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
      }
    }
  }

  async function* enterDir(dir: string): AsyncGenerator<WalkEntry> {
    let key: string;
    try {
      const st = await fs.stat(dir);
      key = `${st.dev}:${st.ino}`;
    } catch (err) {
      yield { kind: 'error', path: dir, error: `cannot read folder: ${errnoMessage(err)}` };
      return;
    }
    if (visited.has(key)) return;
    visited.add(key);
    yield* walkDir(dir);
  }

  async function* statFile(file: string): AsyncGenerator<WalkEntry> {
    try {
      const st = await fs.stat(file);
      yield { kind: 'file', path: file, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    } catch (err) {
      yield { kind: 'error', path: file, error: `cannot read file: ${errnoMessage(err)}` };
    }
  }

  for (const root of roots) {
    const abs = path.resolve(root);
    let st: import('node:fs').Stats;
    try {
      st = await fs.stat(abs);
    } catch (err) {
      yield { kind: 'error', path: abs, error: `cannot read: ${errnoMessage(err)}` };
      continue;
    }
    if (st.isDirectory()) yield* enterDir(abs);
    else yield { kind: 'file', path: abs, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
  }
}

export function errnoMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or folder';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a folder';
  if (e?.code === 'ELOOP') return 'too many levels of symbolic links';
  return e?.code ? `${e.code}: ${e.message}` : String(err);
}
