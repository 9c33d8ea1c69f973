/**
 * What a policy can be attached to. AWS accepts certificate ARNs, thing-group ARNs and Cognito identity ids;
 * certguard manages certificates only, so a target (or, for the deprecated *PrincipalPolicy operations, a
 * principal) must be a certificate ARN. It is returned in canonical form (lowercase id) so one certificate is
 * one attachment target however its ARN was spelled.
 */
import { type Caller, hasRole } from '../request/caller.ts';
import { certificateArn, parseCertificateArn, type ParsedCertificateArn } from '../certificates/certificate-arn.ts';
import { InvalidRequestError, ResourceNotFoundError, type ServiceError } from '../errors.ts';

/** The wire member that carries the target: `target` (AttachPolicy...) or `principal` (the header x-amzn-iot-principal). */
export type TargetMember = 'target' | 'principal';

export interface CertificateTarget extends ParsedCertificateArn {
  /** The canonical certificate ARN. */
  arn: string;
}

const ARN_FORMAT = 'arn:aws:iot:<region>:<account>:cert/<certificateId>';

export function parseCertificateTarget(value: string, member: TargetMember): CertificateTarget {
  const parsed = parseCertificateArn(value);
  if (!parsed) {
    const what = member === 'principal' ? 'Principal' : 'Target';
    throw new InvalidRequestError(`${what} ${value} is not a certificate ARN: certguard supports certificate ${member}s only (${ARN_FORMAT})`);
  }
  return { ...parsed, arn: certificateArn(parsed.region, parsed.accountId, parsed.certificateId) };
}

export function targetNotFound(value: string, member: TargetMember): ServiceError {
  return new ResourceNotFoundError(`${member === 'principal' ? 'Principal' : 'Target'} ${value} does not exist`);
}

/**
 * A certificate ARN the caller may act on or read: in this region, and of the caller's own account — or of any
 * account when `auditorMayRead` and the caller is an auditor. Anything else is answered like a missing target.
 */
export function accessibleTarget(region: string, caller: Caller, value: string, member: TargetMember, auditorMayRead = false): CertificateTarget {
  const target = parseCertificateTarget(value, member);
  const mayAccess = target.accountId === caller.accountId || (auditorMayRead && hasRole(caller, 'auditor'));
  if (target.region !== region || !mayAccess) throw targetNotFound(value, member);
  return target;
}
