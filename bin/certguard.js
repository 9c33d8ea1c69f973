#!/usr/bin/env node
// The `certguard` command: runs the TypeScript CLI through tsx (a runtime dependency), wherever it is called from.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('tsx/esm', pathToFileURL('./'));
await import('../src/cli/main.ts');
