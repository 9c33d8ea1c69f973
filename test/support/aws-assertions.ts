/** Assertions on AWS SDK errors: the modeled exception class name and HTTP status a real client sees. */
import assert from 'node:assert/strict';

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

export async function rejectsWithAws(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<SdkError> {
  let error: SdkError | undefined;
  try {
    await promise;
  } catch (e) {
    error = e as SdkError;
  }
  assert.ok(error, `expected ${name} (${status}) but the call succeeded`);
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  assert.equal(error.$metadata?.httpStatusCode, status);
  if (message) assert.match(error.message, message);
  return error;
}
