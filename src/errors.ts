/**
 * Typed AWS IoT errors. Each carries the modeled shape name (sent as x-amzn-ErrorType) and HTTP status
 * (../shared/reference/aws-iot-wire-contract.md §3.1). ThrottlingException is 429, as the API reference
 * page says, although the service model says 400.
 */
export const ERROR_STATUS = {
  InvalidRequestException: 400,
  CertificateValidationException: 400,
  MalformedPolicyException: 400,
  ThrottlingException: 429,
  UnauthorizedException: 401,
  ResourceNotFoundException: 404,
  CertificateStateException: 406,
  TransferConflictException: 409,
  DeleteConflictException: 409,
  CertificateConflictException: 409,
  ResourceAlreadyExistsException: 409,
  TransferAlreadyCompletedException: 410,
  LimitExceededException: 410,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

/**
 * Errors of the HTTP protocol itself rather than of an IoT operation (no such route, body too large...).
 * Kept apart so a guard rule can only name a modeled IoT error.
 */
export const PROTOCOL_ERROR_STATUS = {
  UnknownOperationException: 404,
  MethodNotAllowedException: 405,
  RequestTimeoutException: 408,
  PayloadTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
} as const;

export type ProtocolErrorType = keyof typeof PROTOCOL_ERROR_STATUS;

export function isErrorType(value: string): value is ErrorType {
  return Object.hasOwn(ERROR_STATUS, value);
}

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly errorType: ErrorType | ProtocolErrorType,
    message: string,
    /** Extra modeled members sent beside `message` (e.g. resourceId for ResourceAlreadyExistsException). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = errorType;
    this.status = isErrorType(errorType) ? ERROR_STATUS[errorType] : PROTOCOL_ERROR_STATUS[errorType];
  }
}

const make = (type: ErrorType | ProtocolErrorType) =>
  class extends ServiceError {
    constructor(message: string, extra?: Record<string, string>) {
      super(type, message, extra);
    }
  };

export const InvalidRequestError = make('InvalidRequestException');
export const CertificateValidationError = make('CertificateValidationException');
export const MalformedPolicyError = make('MalformedPolicyException');
export const ThrottlingError = make('ThrottlingException');
export const UnauthorizedError = make('UnauthorizedException');
export const ResourceNotFoundError = make('ResourceNotFoundException');
export const CertificateStateError = make('CertificateStateException');
export const DeleteConflictError = make('DeleteConflictException');
export const ResourceAlreadyExistsError = make('ResourceAlreadyExistsException');
export const TransferAlreadyCompletedError = make('TransferAlreadyCompletedException');
export const InternalFailureError = make('InternalFailureException');
export const ServiceUnavailableError = make('ServiceUnavailableException');
export const UnknownOperationError = make('UnknownOperationException');
export const MethodNotAllowedError = make('MethodNotAllowedException');
export const PayloadTooLargeError = make('PayloadTooLargeException');
export const RequestTimeoutError = make('RequestTimeoutException');
export const UnsupportedMediaTypeError = make('UnsupportedMediaTypeException');
export const LimitExceededError = make('LimitExceededException');
