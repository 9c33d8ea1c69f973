/**
 * Registering certificates issued elsewhere: RegisterCertificate (the issuing CA is checked) and
 * RegisterCertificateWithoutCA (it is not). Both parse and check the PEM inside the decision, so an invalid
 * certificate is an audited denial, and share the duplicate and insert path of certificate-issue.service.ts.
 */
import { runGuarded } from '../decisions/guarded-operation.ts';
import type { ServiceContext } from './service-context.ts';
import { CertificateValidationError, ServiceError } from '../errors.ts';
import type { RequestFacts } from '../request/request-context.ts';
import { type ParsedCertificate, parseCertificatePem, verifyIssuedBy } from './certificate-crypto.ts';
import { assertNotRegistered, insertNewCertificate, type NewCertificate } from './certificate-issue.service.ts';
import { assertRegistrableStatus } from './certificate-status.ts';

function newCertificate(parsed: ParsedCertificate, status: string, caCertificateId: string | null): NewCertificate {
  const { certificateId, pem, notBefore, notAfter } = parsed;
  return { certificateId, certificatePem: pem, notBefore, notAfter, status, caCertificateId };
}

/** The guarded decision both register operations are: check (in `prepare`), refuse a duplicate, insert. */
function registerGuarded(ctx: ServiceContext, request: RequestFacts, operation: string, parameters: Record<string, unknown>, prepare: () => NewCertificate) {
  const owner = request.caller.accountId;
  return runGuarded(ctx, {
    operation,
    request,
    parameters,
    resource: {},
    load: async (trx) => {
      const certificate = prepare();
      await assertNotRegistered(ctx, trx, owner, certificate.certificateId);
      return certificate;
    },
    facts: () => ({}),
    apply: (trx, certificate, now) => insertNewCertificate(ctx, trx, owner, certificate, now),
    resourceAfter: (result) => result,
  });
}

export interface RegisterWithoutCaInput {
  certificatePem: string;
  status?: string;
}

export async function registerCertificateWithoutCa(ctx: ServiceContext, request: RequestFacts, input: RegisterWithoutCaInput) {
  const status = input.status ?? 'INACTIVE';
  return registerGuarded(ctx, request, 'RegisterCertificateWithoutCA', { certificatePem: input.certificatePem, status }, () => {
    const parsed = parseCertificatePem(input.certificatePem);
    assertRegistrableStatus(status);
    return newCertificate(parsed, status, null);
  });
}

export interface RegisterCertificateInput {
  certificatePem: string;
  caCertificatePem?: string;
  /** Deprecated by AWS in favour of `status`, which wins when both are given. */
  setAsActive?: boolean;
  status?: string;
}

/** The id the rules and the audit row see; undefined when the CA PEM cannot be read (the decision says why). */
function certificateIdIfReadable(pem: string): string | undefined {
  try {
    return parseCertificatePem(pem).certificateId;
  } catch {
    return undefined;
  }
}

function parseCaCertificate(caCertificatePem: string): ParsedCertificate {
  let ca: ParsedCertificate;
  try {
    ca = parseCertificatePem(caCertificatePem);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    throw new CertificateValidationError(`caCertificatePem is not a usable CA certificate: ${error.message}`);
  }
  if (!ca.isCA) {
    throw new CertificateValidationError('caCertificatePem is not a CA certificate: its basic constraints do not say CA:TRUE.');
  }
  return ca;
}

/** The CA the certificate must chain to: the one given, or else certguard's own. */
function verifiedIssuer(ctx: ServiceContext, certificate: ParsedCertificate, caCertificatePem: string | undefined): ParsedCertificate {
  const ca = parseCaCertificate(caCertificatePem ?? ctx.certificateAuthority.certificatePem);
  if (verifyIssuedBy(certificate.pem, ca.pem)) return ca;
  throw new CertificateValidationError(
    caCertificatePem === undefined
      ? "The certificate was not issued by certguard's certificate authority: pass the CA certificate that signed it in caCertificatePem, or register it with RegisterCertificateWithoutCA."
      : 'The certificate was not issued by the CA certificate in caCertificatePem: the issuer name does not match its subject or the signature does not verify with its key.',
  );
}

export async function registerCertificate(ctx: ServiceContext, request: RequestFacts, input: RegisterCertificateInput) {
  const { certificatePem, caCertificatePem } = input;
  const setAsActive = input.setAsActive ?? false;
  const status = input.status ?? (setAsActive ? 'ACTIVE' : 'INACTIVE');
  const caCertificateId = certificateIdIfReadable(caCertificatePem ?? ctx.certificateAuthority.certificatePem);
  const parameters = { certificatePem, caCertificatePem, setAsActive, status, caCertificateId };
  return registerGuarded(ctx, request, 'RegisterCertificate', parameters, () => {
    const parsed = parseCertificatePem(certificatePem);
    assertRegistrableStatus(status);
    const ca = verifiedIssuer(ctx, parsed, caCertificatePem);
    return newCertificate(parsed, status, ca.certificateId);
  });
}
