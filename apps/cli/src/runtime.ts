// The CLI's composition root is the library entry point: one engine, the stores and a SQL session.
import { type Loch, openLoch } from './api.js';

export type Runtime = Pick<Loch, 'engine' | 'session' | 'close' | 'bootstrap'>;

export function createRuntime(options: { baseDir: string }): Promise<Runtime> {
  // The CLI shows a progress bar on long statements, so its engine tracks query progress.
  return openLoch({ warehouse: options.baseDir, trackProgress: true });
}
