/** An RFC 4180 reader for the tests of the CSV export (independent of how certguard writes it). */
import assert from 'node:assert/strict';

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold commas, CRLF and "" (one quote). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const end = quotedEnd(text, i + 1);
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i += 1;
    }
  }
  assert.equal(field + record.join(''), '', 'the last record ends with CRLF');
  return records;
}

function quotedEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i += 1;
    else return i;
  }
  throw new Error('unterminated quoted field');
}
