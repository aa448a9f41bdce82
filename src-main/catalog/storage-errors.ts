import path from 'node:path';
import { AppError } from '../shared/errors.js';

/**
 * Storage failures under the catalog: a write that SQLite or the file system refused because the
 * storage is read-only or full, told to the user in one line with what became of the operation.
 * Every writer (Catalog, the import, jobs, the dispatch) maps its failures through here.
 */

export type StorageProblem = 'read-only' | 'full';

/**
 * Whether an error from SQLite (its result code) or the file system (errno) means the storage
 * under the catalog refused a write: read-only (file, folder or file system) or out of space.
 */
export function storageProblem(err: unknown): StorageProblem | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  return undefined;
}

/** A write to the catalog refused by its storage, with what happened and what to do, in one line. */
export class CatalogStorageError extends AppError {
  override name = 'CatalogStorageError';
  constructor(
    readonly problem: StorageProblem,
    message: string,
  ) {
    super('failed', message);
  }
}

/**
 * The one translation of a storage failure into what the user reads (CLI stderr, UI toast):
 * `outcome` says what became of the operation ("nothing was imported"). Undefined when `err` is
 * not a storage failure, so callers rethrow it unchanged.
 */
export function catalogStorageError(dbPath: string, err: unknown, outcome: string): CatalogStorageError | undefined {
  const problem = storageProblem(err);
  if (!problem) return undefined;
  const code = (err as { code: string }).code;
  if (problem === 'full') {
    return new CatalogStorageError('full', `the disk holding the catalog database ${dbPath} is full (${code}): ${outcome}; free some space and run it again`);
  }
  // A WAL database cannot even be read unless SQLite can create its -shm index beside it.
  const why =
    code === 'SQLITE_READONLY_DIRECTORY'
      ? `its folder is read-only, and SQLite needs to create ${path.basename(dbPath)}-shm there even to read it`
      : code === 'EROFS'
        ? 'it is on a read-only file system'
        : code.startsWith('SQLITE_READONLY')
          ? 'no permission to write it'
          : 'permission denied';
  return new CatalogStorageError(
    'read-only',
    `the catalog database ${dbPath} is read-only (${why}): ${outcome}; make the file and its folder writable, or copy the catalog to a writable folder`,
  );
}
