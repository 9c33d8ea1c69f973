import { LineCounter, isScalar, parseDocument, type Document, type Scalar } from 'yaml';
import { PolicyLoadError } from './policy-load-error.ts';

export interface Position {
  line: number;
  column: number;
}

/** One parsed YAML file of a bundle, able to say where any of its nodes (or characters of a scalar) sits. */
export class YamlFile {
  private constructor(
    readonly display: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The document's root node (null for an empty file). */
  get root(): unknown {
    return this.doc.contents;
  }

  /** The document as plain JavaScript (integers as BigInt). */
  toJS(): unknown {
    return this.doc.toJS();
  }

  /** Parses `text`; YAML syntax errors and duplicate keys become a PolicyLoadError at their position. */
  static parse(display: string, text: string): YamlFile {
    const lines = new LineCounter();
    // intAsBigInt: CEL ints are BigInt, so params.yaml integers arrive in rules as int rather than double.
    const doc = parseDocument(text, { lineCounter: lines, intAsBigInt: true, prettyErrors: true });
    const first = doc.errors[0];
    if (first) {
      const at = first.linePos?.[0];
      const detail = first.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
      throw new PolicyLoadError({ file: display, line: at?.line, column: at?.col }, `YAML: ${detail}`);
    }
    return new YamlFile(display, text, doc, lines);
  }

  positionAt(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  positionOf(node: unknown): Position | undefined {
    const range = (node as { range?: readonly number[] | null } | null)?.range;
    return range && range[0] !== undefined ? this.positionAt(range[0]) : undefined;
  }

  error(detail: string, node?: unknown, ruleId?: string): PolicyLoadError {
    return this.errorAt(detail, this.positionOf(node), ruleId);
  }

  errorAt(detail: string, at: Position | undefined, ruleId?: string): PolicyLoadError {
    return new PolicyLoadError({ file: this.display, ruleId, line: at?.line, column: at?.column }, detail);
  }

  /**
   * Where character `offset` of a scalar's value sits in the file. Quotes, escapes, block headers, indentation
   * and line folding make value and source differ, so walk both: each value character is matched to its next
   * occurrence in the source, and a run of whitespace in the value to a run of whitespace in the source.
   */
  positionInScalar(scalar: Scalar, offset: number): Position | undefined {
    const range = scalar.range;
    if (!range || typeof scalar.value !== 'string') return this.positionOf(scalar);
    const [start, end] = range;
    const value = scalar.value;
    let cursor = contentStart(this.text, scalar, start);
    for (let i = 0; i < Math.min(offset, value.length); i++) cursor = advancePast(this.text, cursor, end, value[i]!);
    const target = value[offset];
    if (target !== undefined && !/\s/.test(target)) cursor = nextOccurrence(this.text, cursor, end, target) ?? cursor;
    return this.positionAt(Math.min(cursor, Math.max(start, end - 1)));
  }
}

function contentStart(text: string, scalar: Scalar, start: number): number {
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    const header = text.indexOf('\n', start);
    return header === -1 ? start : header + 1;
  }
  return scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE' ? start + 1 : start;
}

function advancePast(text: string, cursor: number, end: number, char: string): number {
  if (/\s/.test(char)) {
    while (cursor < end && /\s/.test(text[cursor]!)) cursor++;
    return cursor;
  }
  const found = nextOccurrence(text, cursor, end, char);
  return found === undefined ? cursor : found + 1;
}

function nextOccurrence(text: string, cursor: number, end: number, char: string): number | undefined {
  const found = text.indexOf(char, cursor);
  return found === -1 || found >= end ? undefined : found;
}

export function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string';
}
