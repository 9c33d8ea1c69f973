/** Who is calling, as established by SigV4 verification against the credentials store. */
export type Role = 'operator' | 'auditor';

export const ROLES: readonly Role[] = ['operator', 'auditor'];

export interface Caller {
  accountId: string;
  accessKeyId: string;
  roles: Role[];
}

export function hasRole(caller: Caller, role: Role): boolean {
  return caller.roles.includes(role);
}
