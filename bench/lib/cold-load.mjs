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
// maxRSS is in kilobytes; the whole child is one engine plus one loaded snapshot.
const peakRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ ms, version: snap.version, files: snap.files.length, peakRssMB })}\n`,
);
await loch.close();
process.exit(0);
