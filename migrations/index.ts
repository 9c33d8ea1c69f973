/** Every migration, in order. A new migration is a new file plus one line here. */
import type { Migration } from 'kysely';
import * as initialSchema from './20261126T140000Z-initial-schema.ts';

export const migrations: Record<string, Migration> = {
  '20261126T140000Z-initial-schema': initialSchema,
};
