/**
 * Starts a new PGlite data dir on disk as a copy of the migrated template's data directory (pglite-template.ts).
 * PG_VERSION is copied last: database.ts calls a data dir without it new, so a copy cut short (killed, disk full)
 * is copied again over itself at the next start instead of being opened half-made.
 */
import { constants } from 'node:fs';
import { copyFile, cp, mkdir } from 'node:fs/promises';
import path from 'node:path';

const MARKER = 'PG_VERSION';

export async function copyTemplateDataDir(templateDataDir: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // The data dir may already hold other files (audit-signing-key.pem): the copy adds the cluster beside them.
  await cp(templateDataDir, dataDir, {
    recursive: true,
    force: true,
    filter: (source) => source !== path.join(templateDataDir, MARKER),
  });
  await copyFile(path.join(templateDataDir, MARKER), path.join(dataDir, MARKER), constants.COPYFILE_FICLONE);
}
