// Child process for a truly cold snapshot load: fresh process, fresh engine, fresh table object.
// Prints one JSON line: {ms, version, files}. Engine start-up is outside the timing.
import { nowMs } from './harness.mjs';
import { openLoch } from './loch.mjs';

const path = process.argv[2];
const loch = await openLoch();
if (loch.unavailable) {
  process.stdout.write(`${JSON.stringify({ error: loch.unavailable })}\n`);
  process.exit(1);
}
const t0 = nowMs();
const snap = await loch.DeltaTable.forPath(loch.ctx, path).snapshot();
const ms = nowMs() - t0;
process.stdout.write(`${JSON.stringify({ ms, version: snap.version, files: snap.files.length })}\n`);
await loch.close();
process.exit(0);
