/**
 * Starts a new PGlite data dir on disk as a copy of the migrated template's data directory (pglite-template.ts).
 * PG_VERSION is copied last: database.ts calls a data dir without it new, so a copy cut short (killed, disk full)
 * is copied again over itself at the next start instead of being opened half-made.
 * Synchronous on purpose: fs.promises.cp sends each of the ~1,150 files' stat, copy and chmod through the thread
 * pool one after another, ~0.7-1.1 s on the shared 2-core machine against ~0.3-0.4 s for cpSync; the event loop has
 * nothing else to do until the database is open.
 */
import { constants, copyFileSync, cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const MARKER = 'PG_VERSION';

export function copyTemplateDataDir(templateDataDir: string, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  // The data dir may already hold other files (audit-signing-key.pem): the copy adds the cluster beside them.
  cpSync(templateDataDir, dataDir, {
    recursive: true,
    force: true,
    filter: (source) => source !== path.join(templateDataDir, MARKER),
  });
  copyFileSync(path.join(templateDataDir, MARKER), path.join(dataDir, MARKER), constants.COPYFILE_FICLONE);
}
