#!/usr/bin/env node
// The anvil command. Sources are TypeScript; tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
// `anvil config show | head`: a closed pipe ends the output quietly
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
