/**
 * `certguard policy eval --operation X --input FILE.json [--bundle DIR]`: decides one operation for one input
 * offline — no service, no auditor key, no database — like `opa eval`. The file is the body of
 * POST /v1/policy/evaluate (`input`, or `caller`/`request`/`now` to build it; a candidate `bundle` too), and the
 * answer is the same decision object the API answers (src/rules/api/policy-evaluate.service.ts evaluateOffline).
 * An input built from a stored certificate (`certificateId`) needs the database: give the input whole.
 */
import { readFile } from 'node:fs/promises';
import { ServiceError } from '../errors.ts';
import { type EvaluateRequest, evaluateOffline } from '../rules/api/policy-evaluate.service.ts';
import { EXIT_CANNOT_RUN, EXIT_FINDING, EXIT_OK, parseCommand, usageError } from './cli-args.ts';
import { bundleDir, withBundle } from './policy-bundle-dir.ts';

export const POLICY_EVAL_USAGE = `usage: certguard policy eval --input <FILE.json|-> [--operation <name>] [--bundle <dir>] [--exit-code]

  Decides one operation offline and prints the decision as JSON, exactly as POST /v1/policy/evaluate answers it.
  --input FILE.json  the evaluate request body: {"operation", "input": {request, caller, certificate,
                     attachedPolicies, now}} or {"operation", "caller", "request", "now"}; - reads stdin
  --operation NAME   the operation (when the file does not name it; both given must agree)
  --bundle DIR       the bundle to decide with (default CERTGUARD_POLICIES_DIR, else the shipped policies/)
  --exit-code        exit 1 when the decision is a denial (for scripts); otherwise a decision exits 0
  exit status: 0 decided; 1 denied (with --exit-code) or the bundle does not load; 2 usage error or an invalid
  request body; 3 the input file or bundle directory is missing or unreadable`;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function policyEvalCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(args, POLICY_EVAL_USAGE, {
    input: { type: 'string' },
    operation: { type: 'string' },
    bundle: { type: 'string' },
    'exit-code': { type: 'boolean', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { input, operation, bundle } = parsed.values;
  if (input === undefined) return usageError('policy eval needs --input <FILE.json>', POLICY_EVAL_USAGE);
  let text: string;
  try {
    text = await readInput(input);
  } catch (error) {
    console.error(`certguard: cannot read --input ${input}: ${(error as Error).message}`);
    return EXIT_CANNOT_RUN;
  }
  let body: EvaluateRequest;
  try {
    body = requestBody(JSON.parse(text), operation);
  } catch (error) {
    return usageError(`--input ${input}: ${(error as Error).message}`, POLICY_EVAL_USAGE);
  }
  return withBundle(bundleDir(bundle), async (loaded) => {
    try {
      const answer = await evaluateOffline(loaded, body);
      console.log(JSON.stringify(answer, null, 2));
      return parsed.values['exit-code'] && !answer.allowed ? EXIT_FINDING : EXIT_OK;
    } catch (error) {
      // The API's InvalidRequestException: the request body is wrong (unknown operation, missing caller...).
      if (!(error instanceof ServiceError)) throw error;
      return usageError(`--input ${input}: ${error.message}`, POLICY_EVAL_USAGE);
    }
  });
}

/** The evaluate request body, with --operation filled in; the checks the API's OpenAPI validation makes first. */
function requestBody(json: unknown, operation: string | undefined): EvaluateRequest {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('the request body must be a JSON object');
  const body = json as Record<string, unknown>;
  if (body.operation !== undefined && typeof body.operation !== 'string') throw new Error('operation must be a string');
  if (operation !== undefined && body.operation !== undefined && operation !== body.operation) {
    throw new Error(`--operation ${operation} but the file says "${String(body.operation)}"`);
  }
  const name = operation ?? (body.operation as string | undefined);
  if (name === undefined) throw new Error('no operation: give --operation or "operation" in the file');
  for (const key of ['input', 'request', 'caller', 'bundle'] as const) {
    const value = body[key];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) throw new Error(`${key} must be an object`);
  }
  if (body.now !== undefined && (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now)))) throw new Error('now must be an ISO 8601 date-time');
  return { ...(body as unknown as EvaluateRequest), operation: name };
}
