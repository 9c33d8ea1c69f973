/** The IoT policy document validator: what AWS IoT accepts passes, anything else is MalformedPolicyException saying why. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MalformedPolicyError } from '../../src/errors.ts';
import { MAX_POLICY_DOCUMENT_CHARACTERS, validatePolicyDocument } from '../../src/iot-policies/iot-policy-document.ts';

const allow = { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' };
const doc = (value: unknown) => JSON.stringify(value);
const withStatement = (statement: Record<string, unknown>) => doc({ Version: '2012-10-17', Statement: [statement] });

function assertMalformed(document: string, message: RegExp): void {
  assert.throws(
    () => validatePolicyDocument(document),
    (error: unknown) => {
      assert.ok(error instanceof MalformedPolicyError, `expected MalformedPolicyError, got ${String(error)}`);
      assert.equal(error.errorType, 'MalformedPolicyException');
      assert.equal(error.status, 400);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('validatePolicyDocument accepts', () => {
  const valid: Array<[string, unknown]> = [
    ['a statement list with Version', { Version: '2012-10-17', Statement: [allow] }],
    ['a document without Version (AWS accepts it)', { Statement: [allow] }],
    ['a single statement object instead of a list', { Version: '2012-10-17', Statement: allow }],
    ['an Id and a Sid', { Version: '2012-10-17', Id: 'plant-policy', Statement: [{ ...allow, Sid: 'Connect1' }] }],
    [
      'Deny, NotAction and NotResource',
      { Statement: [{ Effect: 'Deny', NotAction: ['iot:Publish', 'iot:Subscribe'], NotResource: ['arn:aws:iot:us-east-1:111111111111:topic/a'] }] },
    ],
    ['the action wildcards *, iot:* and iot:Get*', { Statement: [{ Effect: 'Allow', Action: ['*', 'iot:*', 'iot:Get*', 'IoT:Receive'], Resource: '*' }] }],
    [
      'a Condition of operator objects',
      { Statement: [{ ...allow, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': ['true'] }, NumericLessThan: { 'aws:CurrentTime': 5 } } }] },
    ],
  ];
  for (const [what, value] of valid) {
    test(what, () => assert.doesNotThrow(() => validatePolicyDocument(doc(value))));
  }

  test(`a document of exactly ${MAX_POLICY_DOCUMENT_CHARACTERS} characters once whitespace is removed`, () => {
    const base = doc({ Statement: [{ ...allow, Sid: '' }] });
    const sid = 'x'.repeat(MAX_POLICY_DOCUMENT_CHARACTERS - base.length);
    const document = doc({ Statement: [{ ...allow, Sid: sid }] });
    assert.equal(document.length, MAX_POLICY_DOCUMENT_CHARACTERS);
    assert.doesNotThrow(() => validatePolicyDocument(JSON.stringify(JSON.parse(document), null, 8)));
  });
});

describe('validatePolicyDocument refuses with MalformedPolicyException', () => {
  const invalid: Array<[string, string, RegExp]> = [
    ['text that is not JSON', '{"Statement":', /not valid JSON/],
    ['a JSON array', '[]', /must be a JSON object/],
    ['a JSON string', '"policy"', /must be a JSON object/],
    ['another Version', doc({ Version: '2008-10-17', Statement: [allow] }), /Version must be "2012-10-17"/],
    ['an unknown top-level key', doc({ Statement: [allow], Principal: '*' }), /unknown key "Principal"/],
    ['a non-string Id', doc({ Id: 3, Statement: [allow] }), /Id must be a string/],
    ['no Statement', doc({ Version: '2012-10-17' }), /has no Statement/],
    ['an empty Statement list', doc({ Statement: [] }), /Statement list is empty/],
    ['a statement that is not an object', doc({ Statement: ['Allow'] }), /Statement\[0\] must be an object/],
    ['a missing Effect', withStatement({ Action: 'iot:Connect', Resource: '*' }), /Statement\[0\]\.Effect must be "Allow" or "Deny"/],
    ['an Effect other than Allow or Deny', withStatement({ ...allow, Effect: 'allow' }), /Effect must be "Allow" or "Deny"/],
    ['no Action nor NotAction', withStatement({ Effect: 'Allow', Resource: '*' }), /exactly one of Action or NotAction/],
    ['both Action and NotAction', withStatement({ ...allow, NotAction: 'iot:Publish' }), /exactly one of Action or NotAction, not both/],
    ['no Resource nor NotResource', withStatement({ Effect: 'Allow', Action: 'iot:Connect' }), /exactly one of Resource or NotResource/],
    ['both Resource and NotResource', withStatement({ ...allow, NotResource: '*' }), /exactly one of Resource or NotResource, not both/],
    ['an empty Action list', withStatement({ ...allow, Action: [] }), /Action must be a non-empty string or a non-empty list of strings/],
    ['a non-string in Resource', withStatement({ ...allow, Resource: ['*', 1] }), /Resource must be a non-empty string/],
    ['an action of another service', withStatement({ ...allow, Action: ['iot:Connect', 's3:GetObject'] }), /"s3:GetObject" is not an AWS IoT action/],
    ['an action without a service prefix', withStatement({ ...allow, Action: 'Connect' }), /"Connect" is not an AWS IoT action/],
    ['a Principal (IoT policies have none)', withStatement({ ...allow, Principal: '*' }), /Statement\[0\] has an unknown key "Principal"/],
    ['a non-string Sid', withStatement({ ...allow, Sid: 7 }), /Sid must be a string/],
    ['a Condition that is a list', withStatement({ ...allow, Condition: ['x'] }), /Condition must be an object/],
    ['a Condition operator that is not an object', withStatement({ ...allow, Condition: { Bool: 'true' } }), /Condition\.Bool must be an object/],
    [
      'a Condition value that is an object',
      withStatement({ ...allow, Condition: { StringEquals: { 'iot:ClientId': { a: 1 } } } }),
      /Condition\.StringEquals\.iot:ClientId must be a string/,
    ],
  ];
  for (const [what, document, message] of invalid) {
    test(what, () => assertMalformed(document, message));
  }

  test('the second statement is named when it is the wrong one', () => {
    assertMalformed(doc({ Statement: [allow, { ...allow, Effect: 'Maybe' }] }), /Statement\[1\]\.Effect/);
  });

  test(`a document over ${MAX_POLICY_DOCUMENT_CHARACTERS} characters once whitespace is removed`, () => {
    const document = doc({ Statement: [{ ...allow, Sid: 'x'.repeat(MAX_POLICY_DOCUMENT_CHARACTERS) }] });
    assertMalformed(document, new RegExp(`has ${document.length} characters \\(whitespace excluded\\); the maximum is ${MAX_POLICY_DOCUMENT_CHARACTERS}`));
  });
});
