/** Everything a service needs, passed down explicitly (no globals): built once in createApp. */
import type { CertificateAuthorityMaterial } from './certificate-authority.ts';
import type { GuardContext } from '../decisions/guarded-operation.ts';

export interface ServiceContext extends GuardContext {
  region: string;
  certificateAuthority: CertificateAuthorityMaterial;
}
