// The column layout of a classic (V1 spec) checkpoint parquet file, as Spark writes it
// (PROTOCOL.md "Checkpoint Schema"). A writer turns `checkpointRows` into rows of this struct;
// readers of other engines rely on these exact names and types.
import { DataType, type StructField, type StructType } from '../schema/types.js';

const str = DataType.primitive('string');
const long = DataType.primitive('long');
const int = DataType.primitive('integer');
const bool = DataType.primitive('boolean');
const stringMap = DataType.map(str, str, true);
const stringArray = DataType.array(str, true);
const col = (name: string, type: DataType): StructField => DataType.field(name, type, true);

const deletionVector = DataType.struct([
  col('storageType', str),
  col('pathOrInlineDv', str),
  col('offset', int),
  col('sizeInBytes', int),
  col('cardinality', long),
  col('maxRowIndex', long),
]);

/** The checkpoint struct: one top-level column per action kind, each row sets exactly one. */
export const CHECKPOINT_SCHEMA: StructType = DataType.struct([
  col('txn', DataType.struct([col('appId', str), col('version', long), col('lastUpdated', long)])),
  col(
    'add',
    DataType.struct([
      col('path', str),
      col('partitionValues', stringMap),
      col('size', long),
      col('modificationTime', long),
      col('dataChange', bool),
      col('tags', stringMap),
      col('deletionVector', deletionVector),
      col('baseRowId', long),
      col('defaultRowCommitVersion', long),
      col('clusteringProvider', str),
      col('stats', str),
    ]),
  ),
  col(
    'remove',
    DataType.struct([
      col('path', str),
      col('deletionTimestamp', long),
      col('dataChange', bool),
      col('extendedFileMetadata', bool),
      col('partitionValues', stringMap),
      col('size', long),
      col('deletionVector', deletionVector),
      col('baseRowId', long),
      col('defaultRowCommitVersion', long),
    ]),
  ),
  col(
    'metaData',
    DataType.struct([
      col('id', str),
      col('name', str),
      col('description', str),
      col('format', DataType.struct([col('provider', str), col('options', stringMap)])),
      col('schemaString', str),
      col('partitionColumns', stringArray),
      col('configuration', stringMap),
      col('createdTime', long),
    ]),
  ),
  col(
    'protocol',
    DataType.struct([
      col('minReaderVersion', int),
      col('minWriterVersion', int),
      col('readerFeatures', stringArray),
      col('writerFeatures', stringArray),
    ]),
  ),
  col(
    'domainMetadata',
    DataType.struct([col('domain', str), col('configuration', str), col('removed', bool)]),
  ),
]);
