/** Data the tests create for themselves through the real API. */
import { CreateKeysAndCertificateCommand, CreatePolicyCommand, type IoTClient } from '@aws-sdk/client-iot';
import { randomBytes } from 'node:crypto';

export const ALLOW_ALL_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }],
});

export interface CreatedCertificate {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
}

export async function createCertificate(client: IoTClient, setAsActive = false): Promise<CreatedCertificate> {
  const created = await client.send(new CreateKeysAndCertificateCommand({ setAsActive }));
  return {
    certificateId: created.certificateId!,
    certificateArn: created.certificateArn!,
    certificatePem: created.certificatePem!,
  };
}

export async function createPolicy(client: IoTClient, prefix = 'test-policy'): Promise<string> {
  const policyName = `${prefix}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreatePolicyCommand({ policyName, policyDocument: ALLOW_ALL_DOCUMENT }));
  return policyName;
}
