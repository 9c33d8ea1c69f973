#!/usr/bin/env node
// The `certguard` command: runs the TypeScript CLI through tsx (a runtime dependency), wherever it is called from.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
