/**
 * µs per guard decision of the shipped TransferCertificate rules (policies/, four CEL rules), allowed and denied
 * inputs alternating, against the same checks written by hand in JavaScript. The engine's price is the ratio:
 * typed CEL, a Decision object with every rule outcome, a rendered message for denials and a decision id.
 * Roadmap target: under 20 µs per decision.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.ts';
import { loadPolicyBundle, type PolicyInput } from '../src/rules/engine/policy-bundle.ts';
import type { BenchOptions, BenchResult } from './support/bench-module.ts';
import { compareLoops, comparisonResult, type MicroPlan } from './support/micro-timer.ts';

export const name = 'policy-engine';

const OWNER = '111111111111';
const CERTIFICATE_ID = 'ab'.repeat(32);

function transferInput(status: 'ACTIVE' | 'INACTIVE'): PolicyInput {
  return {
    request: { targetAwsAccount: '222222222222', transferMessage: 'to the Lyon plant' },
    caller: { accountId: OWNER, accessKeyId: 'AKIADEMOACCOUNT1', roles: ['operator'] },
    certificate: {
      id: CERTIFICATE_ID,
      arn: `arn:aws:iot:us-east-1:${OWNER}:cert/${CERTIFICATE_ID}`,
      status,
      ownedBy: OWNER,
      previousOwnedBy: null,
      pendingTransferTo: null,
      mode: 'DEFAULT',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2036-01-01T00:00:00Z'),
    },
    attachedPolicies: [],
    now: new Date(),
  };
}

const TWELVE_DIGITS = /^[0-9]{12}$/;

/** The four shipped rules by hand, in file order, with a message for a denial as the engine renders one. */
function decideByHand(input: PolicyInput): { allowed: boolean; ruleId?: string; message?: string } {
  const certificate = input.certificate!;
  const target = String(input.request.targetAwsAccount ?? '');
  if (certificate.status === 'ACTIVE') {
    return { allowed: false, ruleId: 'certificate-not-active', message: `The certificate ${certificate.id} is ACTIVE` };
  }
  if (certificate.status === 'PENDING_TRANSFER' || certificate.status === 'REVOKED') {
    return { allowed: false, ruleId: 'certificate-not-pending-transfer', message: `The certificate ${certificate.id} is ${certificate.status}` };
  }
  if ((input.attachedPolicies ?? []).length !== 0) {
    return { allowed: false, ruleId: 'no-attached-policies', message: `The certificate ${certificate.id} still has policies attached` };
  }
  if (!TWELVE_DIGITS.test(target) || target === input.caller.accountId) {
    return { allowed: false, ruleId: 'valid-target-account', message: `targetAwsAccount ${target} is not valid` };
  }
  return { allowed: true };
}

function plan(quick: boolean): MicroPlan {
  return quick
    ? { warmupMs: 200, roundMs: 20, rounds: 10, maxIterationsPerRound: 200_000 }
    : { warmupMs: 1_000, roundMs: 100, rounds: 30, maxIterationsPerRound: 2_000_000 };
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const bundle = await loadPolicyBundle(path.join(PROJECT_ROOT, 'policies'));
  const inputs = [transferInput('INACTIVE'), transferInput('ACTIVE')] as const;
  // Both sides must decide alike, or the comparison means nothing.
  for (const input of inputs) {
    const decision = bundle.evaluate('TransferCertificate', input);
    const byHand = decideByHand(input);
    assert.equal(decision.allowed, byHand.allowed);
    assert.equal(decision.failingRuleId, byHand.ruleId);
  }
  const { rounds, roundMs } = plan(options.quick);
  options.log(`policy-engine: bundle ${bundle.name}@${bundle.revision}, ${rounds} rounds of ${roundMs} ms each side`);
  const timings = await compareLoops(
    (i) => bundle.evaluate('TransferCertificate', inputs[i & 1]!),
    (i) => decideByHand(inputs[i & 1]!),
    plan(options.quick),
  );
  const decision = comparisonResult(timings, {
    name: 'TransferCertificate decision, allow/deny alternating',
    unit: 'µs/decision',
    baselineName: 'same checks by hand in JS',
    target: { max: 20 },
  });
  return [
    decision,
    { name: 'TransferCertificate decisions per CPU-second', value: 1e6 / decision.value, unit: 'decisions/s', detail: 'from the median above' },
  ];
}
