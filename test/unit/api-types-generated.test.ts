/** src/request/api-types.generated.ts is what `npm run generate:types` makes of openapi/certguard.yaml today. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { API_TYPES_FILE, generateApiTypes } from '../../scripts/generate-api-types.ts';
import type { components, operations } from '../../src/request/api-types.generated.ts';

describe('types generated from the OpenAPI contract', () => {
  test('the checked-in file is current (after a spec change: npm run generate:types)', async () => {
    const checkedIn = await readFile(API_TYPES_FILE, 'utf8');
    // Compared whole, not line by line: any difference means the routes would read types the spec no longer has.
    assert.ok(checkedIn === (await generateApiTypes()), 'src/request/api-types.generated.ts is stale: run npm run generate:types and commit it');
  });

  test('the types carry the contract: a TransferCertificate request and an AWS error body', () => {
    // Checked by tsc (npm test typechecks first); the values only make the test observable at run time too.
    const query: operations['TransferCertificate']['parameters']['query'] = { targetAwsAccount: '222222222222' };
    const path: operations['TransferCertificate']['parameters']['path'] = { certificateId: 'a'.repeat(64) };
    const body: NonNullable<operations['TransferCertificate']['requestBody']>['content']['application/json'] = { transferMessage: 'to the new owner' };
    const error: components['responses']['InvalidRequest']['content']['application/json'] = { message: 'no' };
    assert.deepEqual([query.targetAwsAccount, path.certificateId.length, body.transferMessage, error.message], ['222222222222', 64, 'to the new owner', 'no']);
  });
});
