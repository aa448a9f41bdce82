import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type * as Yauzl from 'yauzl';
import { inspectPack } from './pack.js';

export function validatePackId(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(id)) {
    throw new Error(`"${id}" is not a valid model id (letters, digits, . _ -; at most 80 characters)`);
  }
  return id;
}

/** The pack root inside an unpacked folder: itself, or its only subfolder (zips often wrap one). */
export async function findPackRoot(dir: string): Promise<string> {
  const has = (d: string) =>
    fs
      .stat(path.join(d, 'config.json'))
      .then(() => true)
      .catch(() => false);
  if (await has(dir)) return dir;
  const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  const only = entries.length === 1 && entries[0]!.isDirectory() ? path.join(dir, entries[0]!.name) : null;
  if (only && (await has(only))) return only;
  return dir;
}

function insideFolder(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Extracts a .zip into `dest`. Every entry must land inside `dest`: an absolute path or a `..`
 * component (zip-slip) refuses the whole archive before anything is written.
 */
export async function extractZip(zipPath: string, dest: string, signal?: AbortSignal): Promise<void> {
  const yauzl = (await import('yauzl')).default; // on first use: only a pack install reads a zip
  const zip = await new Promise<Yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings: false so that path checks below see the raw names (yauzl would also reject them, less clearly).
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, z) =>
      err ? reject(new Error(`${path.basename(zipPath)} is not a readable zip archive (${err.message})`)) : resolve(z!),
    ),
  );
  const entries: Array<{ entry: Yauzl.Entry; name: string }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const name = raw.toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
      const normalized = name.replace(/\\/g, '/');
      if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..') || !insideFolder(dest, path.join(dest, normalized.replace(/\/$/, '') || '.'))) {
        zip.close();
        reject(new Error(`zip entry "${name}" points outside the pack folder (path traversal); the archive was refused and nothing was installed`));
        return;
      }
      entries.push({ entry, name: normalized });
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(new Error(`${path.basename(zipPath)} is a corrupt zip archive (${err.message})`)));
    zip.readEntry();
  });
  // Second pass writes, so a bad entry anywhere refuses the archive before any file exists.
  const reopened = await new Promise<Yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  );
  let index = 0;
  await new Promise<void>((resolve, reject) => {
    reopened.on('entry', (entry: Yauzl.Entry) => {
      // Entries come in the same central-directory order as in the first pass.
      const name = entries[index++]?.name;
      if (signal?.aborted) {
        reopened.close();
        reject(signal.reason);
        return;
      }
      if (name === undefined || name.endsWith('/')) {
        if (name) fs.mkdir(path.join(dest, name), { recursive: true }).then(() => reopened.readEntry(), reject);
        else reopened.readEntry();
        return;
      }
      const target = path.join(dest, name);
      reopened.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(new Error(`zip entry "${name}" cannot be read (${err?.message})`));
        fs.mkdir(path.dirname(target), { recursive: true })
          .then(() => pipeline(stream, createWriteStream(target)))
          .then(() => reopened.readEntry())
          .catch((e: Error) => reject(new Error(`zip entry "${name}" is corrupt (${e.message})`)));
      });
    });
    reopened.on('end', () => resolve());
    reopened.on('error', reject);
    reopened.readEntry();
  });
}

/** Checks an unpacked pack and moves it into place as `<installedDir>/<id>` (a rename: all or nothing). */
export async function commitPack(stagingRoot: string, installedDir: string, id: string): Promise<string> {
  const check = await inspectPack(stagingRoot, id);
  if (!check.ok) throw new Error(check.error);
  const target = path.join(installedDir, id);
  await fs.rename(stagingRoot, target);
  return target;
}

export async function copyFolder(src: string, dest: string): Promise<void> {
  await fs.cp(src, dest, { recursive: true, errorOnExist: true, force: false });
}
