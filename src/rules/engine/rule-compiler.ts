import type { Scalar } from 'yaml';
import { ERROR_STATUS, isErrorType, type ErrorType } from '../../errors.ts';
import type { OperationEnvironment } from './cel-environment.ts';
import { RULE_ACTIONS, type RuleAction } from './decision.ts';
import { YamlObject } from './yaml-object.ts';
import type { YamlFile } from './yaml-source.ts';

type CelContext = Record<string, unknown>;

/** A rule ready to run: its expressions were parsed and type-checked once, at load. */
export interface CompiledRule {
  readonly id: string;
  readonly operation: string;
  readonly description?: string;
  readonly expression: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly errorType: ErrorType;
  readonly action: RuleAction;
  /** Where the rule is written (1-based), for explanations and lint output. */
  readonly source: { file: string; line: number; column: number };
  /** Runs the expression; `true` means the rule passes. May throw (cel-js EvaluationError). */
  readonly test: (context: CelContext) => unknown;
  /** Renders the message (static, or messageExpression against the same input). May throw. */
  readonly render: (context: CelContext) => string;
}

const RULE_KEYS = ['id', 'description', 'expression', 'message', 'messageExpression', 'errorType', 'action'];
const RULE_ID_PATTERN = /^[a-z0-9-]+$/;

/** Where each rule id of the bundle was first defined, to reject duplicates across files. */
export type RuleIdRegistry = Map<string, string>;

export function compileRule(file: YamlFile, node: unknown, environment: OperationEnvironment, ids: RuleIdRegistry): CompiledRule {
  const rule = YamlObject.from(file, node, 'a rule', RULE_KEYS);
  const id = claimRuleId(rule, ids);
  const expression = rule.requiredString('expression');
  const test = compileCel(rule, 'expression', expression, environment, 'bool');
  const { message, messageExpression, render } = compileMessage(rule, environment);
  const at = file.positionOf(rule.node) ?? { line: 1, column: 1 };
  const description = rule.optionalString('description')?.value;
  return {
    id,
    operation: environment.operation,
    ...(description !== undefined && { description }),
    expression: expression.value,
    ...(message !== undefined && { message }),
    ...(messageExpression !== undefined && { messageExpression }),
    errorType: readErrorType(rule),
    action: readAction(rule),
    source: { file: file.display, line: at.line, column: at.column },
    test,
    render,
  };
}

function claimRuleId(rule: YamlObject, ids: RuleIdRegistry): string {
  const node = rule.requiredString('id');
  const id = node.value;
  if (!RULE_ID_PATTERN.test(id)) throw rule.error(`id: "${id}" must match [a-z0-9-]+`, node);
  rule.ruleId = id;
  const first = ids.get(id);
  if (first !== undefined) throw rule.error(`id: duplicate rule id (first defined at ${first})`, node);
  const at = rule.file.positionOf(node);
  ids.set(id, at ? `${rule.file.display}:${at.line}:${at.column}` : rule.file.display);
  return id;
}

function compileMessage(rule: YamlObject, environment: OperationEnvironment) {
  const message = rule.optionalString('message');
  const messageExpression = rule.optionalString('messageExpression');
  if (message && messageExpression) throw rule.error('give either message or messageExpression, not both', messageExpression);
  if (message) return { message: message.value, render: () => message.value };
  if (!messageExpression) throw rule.error('missing required key "message" (or "messageExpression")');
  const program = compileCel(rule, 'messageExpression', messageExpression, environment, 'string');
  return { messageExpression: messageExpression.value, render: (context: CelContext) => String(program(context)) };
}

/** Parses and type-checks one CEL expression, reporting errors at their position inside the YAML file. */
function compileCel(rule: YamlObject, key: string, scalar: Scalar<string>, environment: OperationEnvironment, type: string) {
  let parsed: ReturnType<OperationEnvironment['env']['parse']>;
  try {
    parsed = environment.env.parse(scalar.value);
  } catch (error) {
    throw celError(rule, key, scalar, error);
  }
  const checked = parsed.check();
  if (!checked.valid) throw celError(rule, key, scalar, checked.error);
  if (checked.type !== type) {
    throw rule.error(`${key}: must evaluate to ${type}, but its type is ${checked.type}`, scalar);
  }
  return parsed;
}

function celError(rule: YamlObject, key: string, scalar: Scalar<string>, error: unknown): Error {
  const { summary, message, range } = (error ?? {}) as { summary?: string; message?: string; range?: { start: number } };
  const at = range ? rule.file.positionInScalar(scalar, range.start) : rule.file.positionOf(scalar);
  return rule.file.errorAt(`${key}: ${summary ?? message ?? String(error)}`, at, rule.ruleId);
}

function readErrorType(rule: YamlObject): ErrorType {
  const node = rule.requiredString('errorType');
  if (isErrorType(node.value)) return node.value;
  const known = Object.keys(ERROR_STATUS).join(', ');
  throw rule.error(`errorType: unknown error type "${node.value}" (one of: ${known})`, node);
}

function readAction(rule: YamlObject): RuleAction {
  const node = rule.optionalString('action');
  if (!node) return 'enforce';
  const action = RULE_ACTIONS.find((candidate) => candidate === node.value);
  if (!action) throw rule.error(`action: "${node.value}" is not one of ${RULE_ACTIONS.join(', ')}`, node);
  return action;
}
