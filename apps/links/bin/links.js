#!/usr/bin/env node
// Development entry for `npx links <command>`: runs the TypeScript source. The image runs `node dist/cli.js`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
