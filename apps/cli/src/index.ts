// `loch` as a library: the TypeScript API. The binary is `dist/main.cjs`.

export type * from '@loch/table';
export { DeltaTable } from '@loch/table';
export {
  ENGINE_INFO,
  type Loch,
  type OpenOptions,
  openLoch,
  type ReadOptions,
  type Relation,
} from './api.js';
