/**
 * What the certificate routes and services use, passed down explicitly (no globals): the guarded-decision context,
 * the region (ARNs) and the CA material. Built once in createApp (AppContext extends it); the other routers take
 * narrower contexts of their own (iot-policies/iot-policy-context.ts, rules/api/policy-api-context.ts).
 */
import type { GuardContext } from '../decisions/guarded-operation.ts';
import type { CertificateAuthorityMaterial } from './certificate-authority.ts';
import type { KeyPairSource } from './key-pair-pool.ts';

export interface ServiceContext extends GuardContext {
  region: string;
  certificateAuthority: CertificateAuthorityMaterial;
  /** Key pairs for CreateKeysAndCertificate: the background pool (CERTGUARD_KEY_POOL_SIZE); absent = generated per request. */
  keyPairs?: KeyPairSource;
}
