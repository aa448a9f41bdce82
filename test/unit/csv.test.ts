import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src-main/features/csv.js';

describe('CSV exports', () => {
  it('quotes fields holding separators, quotes or line breaks, ends lines with CRLF', () => {
    expect(toCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', null, undefined, 3, true]])).toBe('plain,"a,b","say ""hi""","two\nlines",,,3,true\r\n');
  });

  it('keeps seller text that a spreadsheet would run as a formula inert, numbers untouched', () => {
    const out = toCsv([['=HYPERLINK("http://x","click")', '+1', '-2', '@SUM(A1)', '\tx', 'a=b', -2.5]]);
    expect(out).toBe(`"'=HYPERLINK(""http://x"",""click"")",'+1,'-2,'@SUM(A1),'\tx,a=b,-2.5\r\n`);
  });
});
