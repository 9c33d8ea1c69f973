/**
 * @peculiar/x509 loads tsyringe, which throws at import time unless the Reflect metadata polyfill is installed
 * first (its README says so). Loading it through this function puts the polyfill first, whatever the import
 * order elsewhere: import @peculiar/x509 (tests too) only through here.
 */
import type * as X509 from '@peculiar/x509';

let peculiarX509: Promise<typeof X509> | undefined;

export function loadPeculiarX509(): Promise<typeof X509> {
  peculiarX509 ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return peculiarX509;
}
