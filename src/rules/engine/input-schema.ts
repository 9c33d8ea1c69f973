/**
 * The typed input each operation's rules see. Declaring it up front lets the loader reject a misspelt field
 * (`certificate.statuz`) or a type error when the bundle loads instead of when a request arrives.
 * To guard a new operation, add an entry to OPERATION_SCHEMAS.
 */

/** cel-js names the timestamp type by its protobuf name; the short name `timestamp` is not accepted in declarations. */
export const CEL_TIMESTAMP = 'google.protobuf.Timestamp';

/** Request field types the input converter knows how to default (absent -> '' / false / 0). */
export type RequestFieldType = 'string' | 'bool' | 'int';

export interface OperationSchema {
  /** Fields of `request`, as the route hands them to the service. */
  readonly request: Readonly<Record<string, RequestFieldType>>;
  /**
   * Whether the operation acts on an existing certificate, so `certificate` and `attachedPolicies` are declared.
   * When false, a rule that mentions them fails to load.
   */
  readonly certificateFacts: boolean;
}

export const CALLER_FIELDS = {
  accountId: 'string',
  accessKeyId: 'string',
  roles: 'list<string>',
} as const;

export const CERTIFICATE_FIELDS = {
  id: 'string',
  arn: 'string',
  status: 'string',
  ownedBy: 'string',
  previousOwnedBy: 'string',
  pendingTransferTo: 'string',
  mode: 'string',
  createdAt: CEL_TIMESTAMP,
  notBefore: CEL_TIMESTAMP,
  notAfter: CEL_TIMESTAMP,
} as const;

export const OPERATION_SCHEMAS: Readonly<Record<string, OperationSchema>> = {
  TransferCertificate: {
    request: { targetAwsAccount: 'string', transferMessage: 'string' },
    certificateFacts: true,
  },
  AcceptCertificateTransfer: { request: { setAsActive: 'bool' }, certificateFacts: true },
  RejectCertificateTransfer: { request: { rejectReason: 'string' }, certificateFacts: true },
  CancelCertificateTransfer: { request: {}, certificateFacts: true },
  UpdateCertificate: { request: { newStatus: 'string' }, certificateFacts: true },
  DeleteCertificate: { request: { forceDelete: 'bool' }, certificateFacts: true },
  // The target of a policy attachment in certguard is a certificate ARN, so its facts are part of the input.
  AttachPolicy: { request: { policyName: 'string', target: 'string' }, certificateFacts: true },
  DetachPolicy: { request: { policyName: 'string', target: 'string' }, certificateFacts: true },
  CreatePolicy: { request: { policyName: 'string' }, certificateFacts: false },
  CreateKeysAndCertificate: { request: { setAsActive: 'bool' }, certificateFacts: false },
  RegisterCertificateWithoutCA: { request: { status: 'string' }, certificateFacts: false },
  RegisterCertificate: { request: { status: 'string', setAsActive: 'bool', caCertificateId: 'string' }, certificateFacts: false },
  CreateCertificateFromCsr: { request: { setAsActive: 'bool' }, certificateFacts: false },
  DeletePolicy: { request: { policyName: 'string' }, certificateFacts: false },
  // The deprecated principal-policy operations: the principal is a certificate ARN, as for AttachPolicy.
  AttachPrincipalPolicy: { request: { policyName: 'string', principal: 'string' }, certificateFacts: true },
  DetachPrincipalPolicy: { request: { policyName: 'string', principal: 'string' }, certificateFacts: true },
};

export function operationSchema(operation: string): OperationSchema | undefined {
  return Object.hasOwn(OPERATION_SCHEMAS, operation) ? OPERATION_SCHEMAS[operation] : undefined;
}

export function knownOperations(): string[] {
  return Object.keys(OPERATION_SCHEMAS);
}
