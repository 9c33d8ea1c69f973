/** Where in a bundle a load problem was found; line and column are 1-based. */
export interface PolicyLoadLocation {
  file: string;
  ruleId?: string;
  line?: number;
  column?: number;
}

/**
 * A bundle that cannot be loaded. The message leads with `file:line:column rule "id":` so editors and CI logs
 * can jump straight to the problem.
 */
export class PolicyLoadError extends Error {
  readonly file: string;
  readonly ruleId?: string;
  readonly line?: number;
  readonly column?: number;
  /** The problem without the location prefix. */
  readonly detail: string;

  constructor(location: PolicyLoadLocation, detail: string) {
    super(`${formatLocation(location)}: ${detail}`);
    this.name = 'PolicyLoadError';
    this.file = location.file;
    this.detail = detail;
    if (location.ruleId !== undefined) this.ruleId = location.ruleId;
    if (location.line !== undefined) this.line = location.line;
    if (location.column !== undefined) this.column = location.column;
  }
}

function formatLocation({ file, ruleId, line, column }: PolicyLoadLocation): string {
  let where = file;
  if (line !== undefined) where += `:${line}`;
  if (line !== undefined && column !== undefined) where += `:${column}`;
  return ruleId === undefined ? where : `${where} rule "${ruleId}"`;
}
