/**
 * Routers read their input through operationInput (src/request/operation-input.ts), typed from the contract: no
 * raw `req.query`, `req.params`, `req.body` or header reads, and no casts (`as`, `<T>x`, `!`) that would put an
 * unchecked type back. Read from the syntax tree (TypeScript's parser), so prose in comments does not count and
 * `as const` is not a cast. A failure names the file, line and code.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

const RAW_MEMBERS = new Set(['query', 'params', 'body', 'headers']);
const RAW_METHODS = new Set(['get', 'header']);

/** The request object of a handler, whatever the route named it. */
const isRequest = (node: ts.Expression) => ts.isIdentifier(node) && /^_?req(uest)?$/.test(node.text);

function memberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && isRequest(node.expression)) return node.name.text;
  if (ts.isElementAccessExpression(node) && isRequest(node.expression) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  return undefined;
}

function offence(node: ts.Node): string | undefined {
  const member = memberName(node);
  if (member !== undefined && RAW_MEMBERS.has(member)) return `reads req.${member} (use operationInput)`;
  if (member !== undefined && RAW_METHODS.has(member) && ts.isCallExpression(node.parent) && node.parent.expression === node) {
    return `reads a header with req.${member}() (use operationInput(...).header)`;
  }
  if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const')) return 'casts with as';
  if (ts.isTypeAssertionExpression(node)) return 'casts with <T>';
  if (ts.isNonNullExpression(node)) return 'asserts non-null with !';
  return undefined;
}

/** "file:line: what — code" for every offence in one source text. */
function routeInputOffences(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const what = offence(node);
    if (what !== undefined) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push(`${file}:${line}: ${what} — ${node.getText(source).slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function routeFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.routes.ts'))
    .sort();
}

describe('routes read typed input from the contract', () => {
  test('the check finds every raw read and every cast, and passes comments and as const', () => {
    const offending = [
      'const a = String(req.query.targetAwsAccount);',
      'const { pageSize } = req.query;',
      'const b = req.params.certificateId;',
      "const c = req['body'];",
      "const d = _req.headers['x-amzn-iot-principal'];",
      "const e = req.get('x-amzn-iot-principal');",
      'const f = body as unknown as EvaluateRequest;',
      'const g = <string>value;',
      'const h = list[0]!;',
    ].join('\n');
    const found = routeInputOffences('fixture.routes.ts', offending);
    assert.deepEqual(
      found.map((line) => Number(line.split(':')[1])),
      // `as unknown as X` is two casts; every line is found.
      [1, 2, 3, 4, 5, 6, 7, 7, 8, 9],
      found.join('\n'),
    );
    const clean = [
      '// req.query is read by operationInput; a body is refused as AWS refuses it',
      "const access = { eventType: 'AuditTrailRead' } as const;",
      "const { path, query } = operationInput(req, 'TransferCertificate');",
      'res.json(await describeCertificate(ctx, requestFacts(req, res), path.certificateId));',
    ].join('\n');
    assert.deepEqual(routeInputOffences('clean.routes.ts', clean), []);
  });

  test('no route file reads req.query, req.params, req.body or headers directly, or casts', () => {
    const files = routeFiles();
    // The six routers of issue 13 at least; a rename that hid them from this test would fail here.
    for (const expected of [
      'certificates/certificate-transfer.routes.ts',
      'certificates/certificates.routes.ts',
      'iot-policies/iot-policy.routes.ts',
      'audit/query/audit-query.routes.ts',
      'audit/audit-chain.routes.ts',
      'rules/api/policy-api.routes.ts',
    ]) {
      assert.ok(files.includes(expected), `${expected} is not among the route files found: ${files.join(', ')}`);
    }
    const offences = files.flatMap((file) => routeInputOffences(`src/${file}`, readFileSync(path.join(SRC, file), 'utf8')));
    assert.deepEqual(offences, [], offences.join('\n'));
  });
});
