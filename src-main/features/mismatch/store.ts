import type Database from 'better-sqlite3';
import type { Catalog } from '../../catalog/catalog.js';

export type Decision = 'accept' | 'flag' | 'skip';

export interface DecisionRow {
  id: number;
  listing: string;
  decision: Decision;
  title: string;
  model: string | null;
  probability: number | null;
  relativeScore: number | null;
  note: string | null;
  decidedAt: number;
}

const decisionColumns = (t = '') =>
  `${t}id AS id, ${t}listing_id AS listing, ${t}decision AS decision, ${t}title AS title, ${t}model_id AS model, ${t}probability AS probability, ${t}relative_score AS relativeScore, ${t}note AS note, ${t}decided_at AS decidedAt`;

/** Moderator decisions on titles, the mismatch feature's own rows in the catalog database. */
export class DecisionStore {
  private readonly db: Database.Database;

  constructor(readonly catalog: Catalog) {
    this.db = catalog.db;
  }

  decide(row: Omit<DecisionRow, 'id' | 'decidedAt'>): DecisionRow {
    const decidedAt = Date.now();
    const id = this.db
      .prepare(
        `INSERT INTO mismatch_decisions (listing_id, decision, title, model_id, probability, relative_score, note, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.listing, row.decision, row.title, row.model, row.probability, row.relativeScore, row.note, decidedAt).lastInsertRowid;
    return { ...row, id: Number(id), decidedAt };
  }

  /** Marks the newest live decision undone (of one listing, or of any listing); returns it. */
  undo(listing: string | undefined): DecisionRow | undefined {
    return this.db.transaction(() => {
      const last = (
        listing === undefined
          ? this.db.prepare(`SELECT ${decisionColumns()} FROM mismatch_decisions WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1`).get()
          : this.db
              .prepare(`SELECT ${decisionColumns()} FROM mismatch_decisions WHERE undone_at IS NULL AND listing_id = ? ORDER BY id DESC LIMIT 1`)
              .get(listing)
      ) as DecisionRow | undefined;
      if (last) this.db.prepare('UPDATE mismatch_decisions SET undone_at = ? WHERE id = ?').run(Date.now(), last.id);
      return last;
    })();
  }

  /** Each listing's current decision: its newest live row, if made on the listing's current title. */
  currentDecisions(listings?: readonly string[]): Map<string, DecisionRow> {
    const filter = listings ? 'AND d.listing_id IN (SELECT value FROM json_each(?))' : '';
    const rows = this.db
      .prepare(
        `SELECT ${decisionColumns('d.')} FROM mismatch_decisions d JOIN listings l ON l.id = d.listing_id
         WHERE d.undone_at IS NULL AND d.title = trim(l.title) ${filter}
           AND d.id = (SELECT max(d2.id) FROM mismatch_decisions d2 WHERE d2.listing_id = d.listing_id AND d2.undone_at IS NULL)
         ORDER BY d.id`,
      )
      .all(...(listings ? [JSON.stringify(listings)] : [])) as DecisionRow[];
    return new Map(rows.map((r) => [r.listing, r]));
  }
}
