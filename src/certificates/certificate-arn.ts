/** ARNs of certguard's resources, in the AWS IoT formats. */
const CERTIFICATE_ARN = /^arn:aws:iot:([a-z0-9-]+):(\d{12}):cert\/([0-9a-fA-F]{64})$/;

export function certificateArn(region: string, accountId: string, certificateId: string): string {
  return `arn:aws:iot:${region}:${accountId}:cert/${certificateId}`;
}

export function policyArn(region: string, accountId: string, policyName: string): string {
  return `arn:aws:iot:${region}:${accountId}:policy/${policyName}`;
}

export interface ParsedCertificateArn {
  region: string;
  accountId: string;
  certificateId: string;
}

export function parseCertificateArn(arn: string): ParsedCertificateArn | undefined {
  const match = CERTIFICATE_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2]!, certificateId: match[3]!.toLowerCase() };
}
