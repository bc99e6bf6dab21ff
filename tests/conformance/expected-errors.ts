// What each negative fixture must fail with. The manifest only says "must fail"; the code says
// which of our errors is the right one, so a crash or an unrelated error does not count as a pass.
export interface ExpectedError {
  /** Accepted error codes, or a pattern over the code. */
  readonly code: readonly string[] | RegExp;
  readonly why: string;
  /** Text the message must contain: errors name the offending value. */
  readonly mentions?: string;
}

export const EXPECTED_ERRORS: Readonly<Record<string, ExpectedError>> = {
  'no-delta-log-folder': {
    code: ['TABLE_NOT_FOUND'],
    why: 'a directory without _delta_log is not a Delta table',
  },
  'deltalog-invalid-protocol-version': {
    code: /^UNSUPPORTED_/,
    why: 'minReaderVersion 99 must be refused before reading data',
    mentions: '99',
  },
  'versions-not-contiguous': { code: ['VERSIONS_NOT_CONTIGUOUS'], why: 'commit 1 is missing from the log' },
  'deltalog-state-reconstruction-without-metadata': {
    code: ['MISSING_METADATA'],
    why: 'no metaData action in the log',
  },
  'deltalog-state-reconstruction-without-protocol': {
    code: ['MISSING_PROTOCOL'],
    why: 'no protocol action in the log',
  },
  'deltalog-state-reconstruction-from-checkpoint-missing-metadata': {
    code: ['MISSING_METADATA'],
    why: 'the checkpoint has no metaData action',
  },
  'deltalog-state-reconstruction-from-checkpoint-missing-protocol': {
    code: ['MISSING_PROTOCOL'],
    why: 'the checkpoint has no protocol action',
  },
};

export function codeMatches(expected: ExpectedError, code: string | undefined): boolean {
  if (code === undefined) return false;
  return expected.code instanceof RegExp ? expected.code.test(code) : expected.code.includes(code);
}
