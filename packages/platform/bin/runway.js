#!/usr/bin/env node
// The CLI runs from TypeScript source in the repository (no build step for a tool that lives beside its inputs).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
