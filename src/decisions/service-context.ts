/** Everything a service needs, passed down explicitly (no globals): built once in createApp. */
import type { CertificateAuthorityMaterial } from '../certificates/certificate-authority.ts';
import type { GuardContext } from './guarded-operation.ts';

export interface ServiceContext extends GuardContext {
  region: string;
  certificateAuthority: CertificateAuthorityMaterial;
}
