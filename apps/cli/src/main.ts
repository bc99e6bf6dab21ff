#!/usr/bin/env node
// The `loch` binary: wires the CLI to the process.
import { main } from './cli.js';

const code = await main(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
