import { Catalog } from '../catalog/catalog.js';
import { type Migration, catalogMigration, pendingAndReportsMigration } from '../catalog/migrations.js';
import { qdrantCheckpointMigration } from '../index/stores.js';
import { duplicatesAlignMigration, duplicatesGraphMigration, duplicatesMigration, duplicatesRenameMigration } from './duplicates/schema.js';
import { jobsMigration } from './jobs/schema.js';
import { mismatchMigration } from './mismatch/schema.js';

/**
 * Every table of the catalog database, in the order the migrations shipped: each layer and feature
 * owns its migration, this is the one place they are applied from. Append new ones at the end;
 * never edit or reorder one that has shipped.
 */
export const migrations: readonly Migration[] = [
  catalogMigration,
  duplicatesMigration,
  mismatchMigration,
  duplicatesAlignMigration,
  pendingAndReportsMigration,
  jobsMigration,
  qdrantCheckpointMigration,
  duplicatesRenameMigration,
  duplicatesGraphMigration,
];

/** Opens the catalog at dbPath with every feature's tables up to date. */
export function openCatalog(dbPath: string): Catalog {
  return Catalog.open(dbPath, migrations);
}
