import type * as CsvStringify from 'csv-stringify/sync';
import { lazyRequire } from '../shared/lazy-require.js';

const csvStringify = lazyRequire<typeof CsvStringify>(import.meta.url, 'csv-stringify/sync');

export type CsvCell = string | number | boolean | null | undefined;

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab / carriage return) as a
 * formula; exported titles and sellers come from sellers, so such text gets a leading quote.
 */
function inert(value: CsvCell): string | number | boolean | null {
  if (value === undefined) return null;
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The one CSV writer of every export: RFC 4180 quoting (a lone line feed too: with CRLF records
 * csv-stringify only quotes CRLF itself), CRLF line ends, booleans as true/false, formulas inert.
 */
export function toCsv(rows: CsvCell[][]): string {
  return csvStringify().stringify(rows.map((r) => r.map(inert)), { record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { boolean: (b) => String(b) } });
}
