import { describe, expect, it } from 'vitest';
import { isSqlError } from './errors.js';
import { splitStatements } from './split-statements.js';
import { significant, tokenize } from './tokenizer.js';

const kinds = (sql: string) => significant(tokenize(sql)).map((t) => [t.kind, t.value]);

describe('tokenize', () => {
  it('reads strings with doubled quotes and keeps raw text', () => {
    const [t] = significant(tokenize("'it''s; -- not a comment'"));
    expect(t).toMatchObject({
      kind: 'string',
      value: "it's; -- not a comment",
      text: "'it''s; -- not a comment'",
    });
  });

  it('reads double-quoted and backtick identifiers with escapes', () => {
    expect(kinds('"a""b" `c``d`')).toEqual([
      ['quoted', 'a"b'],
      ['quoted', 'c`d'],
    ]);
  });

  it('reads E-strings with backslash escapes', () => {
    expect(kinds("E'a\\'b'")).toEqual([['string', "a'b"]]);
  });

  it('skips line and nested block comments', () => {
    const toks = tokenize('SELECT /* a /* b */ c */ 1 -- tail\n, 2');
    expect(toks.filter((t) => t.kind === 'comment').map((t) => t.text)).toEqual([
      '/* a /* b */ c */',
      '-- tail',
    ]);
    expect(kinds('SELECT /* x */ 1 -- y\n, 2')).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
      ['punct', ','],
      ['number', '2'],
    ]);
  });

  it('reads numbers with decimals and exponents, and single-character punctuation', () => {
    expect(kinds('1.5e3 .5 a::INT')).toEqual([
      ['number', '1.5e3'],
      ['number', '.5'],
      ['word', 'a'],
      ['punct', ':'],
      ['punct', ':'],
      ['word', 'INT'],
    ]);
  });

  it('keeps offsets that slice back to the source', () => {
    const sql = 'SELECT \'x\' AS "y" FROM t';
    for (const t of tokenize(sql)) expect(sql.slice(t.start, t.end)).toBe(t.text);
    expect(
      tokenize(sql)
        .map((t) => t.text)
        .join(''),
    ).toBe(sql);
  });

  it('fails on an unterminated string with its position', () => {
    try {
      tokenize("SELECT 1,\n  'abc");
      expect.unreachable();
    } catch (e) {
      expect(isSqlError(e, 'SYNTAX_ERROR')).toBe(true);
      expect((e as Error).message).toContain('unterminated string literal');
      expect((e as Error).message).toContain('line 2, column 3');
    }
  });

  it('fails on an unterminated block comment and quoted identifier', () => {
    expect(() => tokenize('SELECT /* x')).toThrow(/unterminated \/\* comment/);
    expect(() => tokenize('SELECT `x')).toThrow(/unterminated backtick identifier/);
  });
});

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers and comments', () => {
    const script = 'SELECT \';\' AS "a;b"; -- c;\nSELECT 2 /* ; */;\n  ;';
    const parts = splitStatements(script);
    expect(parts.map((p) => p.sql.trim())).toEqual(['SELECT \';\' AS "a;b"', '-- c;\nSELECT 2 /* ; */']);
    expect(parts[1]!.offset).toBe(script.indexOf(' -- c;'));
  });

  it('drops statements that are only comments and keeps a last statement without ;', () => {
    expect(splitStatements('-- only a comment\n;SELECT 1').map((p) => p.sql)).toEqual(['SELECT 1']);
    expect(splitStatements('  ')).toEqual([]);
  });

  it('gives tokens offsets relative to the statement', () => {
    const [, second] = splitStatements('SELECT 1; SELECT x');
    const x = second!.tokens.find((t) => t.text === 'x')!;
    expect(second!.sql.slice(x.start, x.end)).toBe('x');
  });
});
