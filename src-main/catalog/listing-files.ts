import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { CsvError } from 'csv-parse';

/** The fields of a listing, as stored in the catalog. */
export interface ListingFields {
  id: string;
  sku: string | null;
  title: string;
  description: string;
  category: string | null;
  price: number | null;
  seller: string | null;
  url: string | null;
}

/** One listing as read from a listing file, before its image references are resolved. */
export interface ListingRow extends ListingFields {
  /** Where the row is in the file: "listings.csv:12" (line) or "listings.json:3" (item). */
  where: string;
  /** As written in the file: paths relative to the file's folder, absolute paths or bare names. */
  images: string[];
}

/** A row that was skipped (`skipped: true`) or imported with a field left empty. */
export interface RowProblem {
  where: string;
  error: string;
  skipped: boolean;
}

export interface ListingFile {
  rows: ListingRow[];
  problems: RowProblem[];
}

/** The listing file as a whole cannot be used (missing, unreadable, not JSON when named .json). */
export class ListingFileError extends Error {
  override name = 'ListingFileError';
}

/**
 * Reads a CSV, JSON (an array of objects, or {"listings": [...]}) or JSONL file of listings.
 * Columns are matched case-insensitively: id (or sku when there is no id), title, description,
 * category, price, seller, url, image / images (several separated by "|" or ";"). Rows without an
 * id or sku, repeated ids and rows the CSV parser cannot read are skipped with the reason; a
 * price that is not a number is reported and the listing kept without a price.
 */
export async function readListingFile(file: string): Promise<ListingFile> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new ListingFileError(`listing file not found: ${file}`);
  if (!stat.isFile()) throw new ListingFileError(`listing file is not a file: ${file}`);
  const name = path.basename(file);
  const ext = path.extname(file).toLowerCase();
  const records: Array<{ where: string; record: unknown }> = [];
  const problems: RowProblem[] = [];
  /** A CSV file's columns, as its first line names them. */
  let header: string[] | undefined;
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch (err) {
      throw new ListingFileError(`${name} is not valid JSON: ${(err as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { listings?: unknown })?.listings;
    if (!Array.isArray(list)) throw new ListingFileError(`${name} must hold an array of listings or {"listings": [...]}`);
    list.forEach((record, i) => records.push({ where: `${name}:${i + 1}`, record }));
  } else if (ext === '.jsonl' || ext === '.ndjson') {
    const lines = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      try {
        records.push({ where: `${name}:${n}`, record: JSON.parse(line) });
      } catch (err) {
        problems.push({ where: `${name}:${n}`, error: `invalid JSON: ${(err as Error).message}`, skipped: true });
      }
    }
  } else {
    header = await readCsv(file, name, records, problems);
  }

  notAListingFile(name, records, header);
  const rows: ListingRow[] = [];
  const firstSeen = new Map<string, string>();
  for (const { where, record } of records) {
    const result = toListingRow(where, record, problems);
    if (!result) continue;
    const earlier = firstSeen.get(result.id);
    if (earlier) {
      problems.push({ where, error: `repeats listing id "${result.id}" of ${earlier}`, skipped: true });
      continue;
    }
    firstSeen.set(result.id, where);
    rows.push(result);
  }
  return { rows, problems };
}

/**
 * A file that holds no listing at all, or whose records none names an id or sku (a text file, a
 * photo, a spreadsheet of something else), is refused as a whole: importing it would report
 * "0 listings" as if that were a success.
 */
function notAListingFile(name: string, records: Array<{ record: unknown }>, header?: string[]): void {
  const help = 'a listings file is a CSV (or JSON, JSONL) whose columns include id or sku, and usually title, price, seller, image';
  const keys = (r: unknown) => (r && typeof r === 'object' && !Array.isArray(r) ? Object.keys(r).map((k) => k.trim().toLowerCase()) : []);
  const columns = header ?? [...new Set(records.slice(0, 20).flatMap(({ record }) => keys(record)))];
  if (columns.length > 0 && !columns.some((k) => k === 'id' || k === 'sku')) {
    const seen = columns.filter(Boolean).slice(0, 6).map((k) => `"${k.slice(0, 40)}"`);
    throw new ListingFileError(`${name} is not a listings file: no id or sku column${seen.length ? ` (it has ${seen.join(', ')})` : ''}; ${help}`);
  }
  if (records.length === 0) throw new ListingFileError(`${name} holds no listings (${help})`);
}

/** Reads the records of a CSV file into `out`; returns its columns (the first line), [] for an empty file. */
async function readCsv(file: string, name: string, out: Array<{ where: string; record: unknown }>, problems: RowProblem[]): Promise<string[]> {
  const delimiter = await sniffDelimiter(file);
  const { parse } = await import('csv-parse'); // on first use: most starts never read a listings file
  let columns: string[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      delimiter,
      columns: (header: string[]) => (columns = header.map((h) => h.trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      info: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        if (err) problems.push({ where: `${name}:${(err as CsvError & { lines?: number }).lines ?? '?'}`, error: err.message, skipped: true });
        return undefined;
      },
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      out.push({ where: `${name}:${info.lines}`, record });
    }
  } catch (err) {
    throw new ListingFileError(`${name} is not a readable CSV file: ${(err as Error).message}`);
  }
  return columns;
}

/** Comma, semicolon or tab: whichever the header line has most of (outside quotes). */
async function sniffDelimiter(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const header = buf.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    const unquoted = header.replace(/"[^"]*"/g, '');
    const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
    counts.sort((a, b) => b[1] - a[1]);
    return counts[0]![1] > 0 ? counts[0]![0] : ',';
  } finally {
    await handle.close();
  }
}

function toListingRow(where: string, record: unknown, problems: RowProblem[]): ListingRow | undefined {
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    problems.push({ where, error: 'not an object', skipped: true });
    return undefined;
  }
  const fields = new Map<string, unknown>();
  for (const [k, v] of Object.entries(record)) fields.set(k.trim().toLowerCase(), v);
  const text = (key: string): string | null => {
    const v = fields.get(key);
    if (v === undefined || v === null) return null;
    const s = (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim();
    return s === '' ? null : s;
  };
  const sku = text('sku');
  const id = text('id') ?? sku;
  if (!id) {
    problems.push({ where, error: 'no id or sku', skipped: true });
    return undefined;
  }
  const rawPrice = fields.get('price');
  const price = parsePrice(rawPrice);
  if (price === undefined) problems.push({ where, error: `price "${String(rawPrice)}" is not a number; imported without a price`, skipped: false });
  const title = text('title');
  if (title === null) problems.push({ where, error: `listing "${id}" has no title; imported with an empty title`, skipped: false });
  return {
    where,
    id,
    sku,
    title: title ?? '',
    description: text('description') ?? '',
    category: text('category'),
    price: price ?? null,
    seller: text('seller'),
    url: text('url'),
    images: imageRefs(fields.get('images') ?? fields.get('image')),
  };
}

/** null when absent; undefined when present but not a price. Accepts "1299.00", "$1,299.00", "12.99 EUR", "12,99". */
export function parsePrice(raw: unknown): number | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  if (raw.trim() === '') return null;
  let s = raw.trim().replace(/^[^\d.,-]+|[^\d.,]+$/g, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.');
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

function imageRefs(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[|;]/) : [];
  return parts.filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter(Boolean);
}
