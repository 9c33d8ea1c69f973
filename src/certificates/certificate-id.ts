/** The certificate id of a request path. Ids are hex; AWS accepts either case, certguard stores lowercase. */
export function certificateIdOf(path: { certificateId: string }): string {
  return path.certificateId.toLowerCase();
}
