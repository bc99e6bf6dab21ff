import { describe, expect, it } from 'vitest';
import { DataType } from '../schema/types.js';
import { fromDuckDbExpression, fromDuckDbSelectWhere } from './from-sql-ast.js';
import { Expr } from './types.js';

const P = DataType.primitive;
const { col, lit } = Expr;
const where = (key: keyof typeof DUCKDB_AST, options = {}) =>
  fromDuckDbSelectWhere(DUCKDB_AST[key].json, options);
const unknown = expect.objectContaining({ kind: 'unknown' });

describe('fromDuckDbSelectWhere on real DuckDB output', () => {
  it('AND, comparison, DATE literal (a CAST of a VARCHAR constant)', () => {
    expect(where('andDate')).toEqual(
      Expr.and(Expr.eq(col('a'), lit(1n)), Expr.ge(col('d'), Expr.date('2020-01-01'))),
    );
  });
  it('OR, NOT, decimal and negative constants', () => {
    expect(where('orNot')).toEqual(
      Expr.or(
        Expr.ne(col('x'), lit('2.5', DataType.decimal(2, 1))),
        // DuckDB's parser already folds NOT (y < -3) into y >= -3.
        Expr.ge(col('y'), lit(-3n)),
      ),
    );
  });
  it('BETWEEN and NOT BETWEEN', () => {
    expect(where('between')).toEqual(Expr.between(col('x'), lit(1n), lit(10n)));
    expect(where('notBetween')).toEqual(Expr.not(Expr.between(col('x'), lit(1n), lit(10n))));
  });
  it('IN and NOT IN', () => {
    expect(where('inList')).toEqual(Expr.in(col('x'), [lit(1n), lit(2n), lit(3n)]));
    expect(where('notIn')).toEqual(Expr.not(Expr.in(col('s'), [lit('a'), lit('b')])));
  });
  it('IS NULL, IS NOT NULL', () => {
    expect(where('nulls')).toEqual(Expr.and(Expr.isNull(col('x')), Expr.isNotNull(col('y'))));
  });
  it('LIKE prefix, NOT LIKE, ESCAPE, prefix()/starts_with(); ILIKE is unknown', () => {
    expect(where('like')).toEqual(Expr.startsWith(col('s'), 'abc'));
    expect(where('notLike')).toEqual(Expr.not(Expr.startsWith(col('s'), 'abc')));
    expect(where('likeEscape')).toEqual(Expr.startsWith(col('s'), 'a_b'));
    expect(where('ilike')).toEqual(unknown);
    expect(where('prefixFn')).toEqual(
      Expr.or(Expr.startsWith(col('s'), 'ab'), Expr.startsWith(col('s'), 'cd')),
    );
  });
  it('qualified and nested column references', () => {
    const dec = lit('1.25', DataType.decimal(3, 2));
    expect(where('nested')).toEqual(Expr.eq(Expr.col('t', 'a', 'b'), dec));
    expect(where('nested', { qualifiers: ['t'] })).toEqual(Expr.eq(Expr.col('a', 'b'), dec));
    const schema = DataType.struct([
      DataType.field('a', DataType.struct([DataType.field('b', P('integer'))])),
    ]);
    expect(where('nested', { schema })).toEqual(Expr.eq(Expr.col('a', 'b'), dec));
    // With a schema where `t` is a struct column, t.a.b stays a field path.
    const schema2 = DataType.struct([
      DataType.field(
        't',
        DataType.struct([DataType.field('a', DataType.struct([DataType.field('b', P('integer'))]))]),
      ),
    ]);
    expect(where('nested', { schema: schema2, qualifiers: ['t'] })).toEqual(
      Expr.eq(Expr.col('t', 'a', 'b'), dec),
    );
  });
  it('numbers DuckDB JSON cannot carry exactly are unknown, never rounded', () => {
    expect(where('hugeDecimal')).toEqual(Expr.eq(col('k'), unknown));
    expect(where('bigLong')).toEqual(Expr.eq(col('n'), unknown));
  });
  it('TIMESTAMP is timestamp_ntz, TIMESTAMPTZ is timestamp', () => {
    expect(where('timestamps')).toEqual(
      Expr.and(
        Expr.ge(col('ts'), Expr.timestampNtz('2020-01-01 00:00:00.123456')),
        Expr.lt(col('tz'), Expr.timestamp('2020-01-01 00:00:00+02')),
      ),
    );
  });
  it('NULL, booleans, doubles, longs', () => {
    expect(where('mixed')).toEqual(
      Expr.or(
        Expr.eq(col('x'), lit(null)),
        Expr.eq(col('b'), lit('t', P('boolean'))),
        Expr.gt(col('f'), lit(1000, P('double'))),
        Expr.eq(col('m'), lit(12345678901n)),
      ),
    );
  });
  it('casts of constants keep their type; casts of columns and rounding casts are unknown', () => {
    expect(where('casts')).toEqual(
      Expr.or(
        Expr.eq(unknown, lit(1n)),
        Expr.eq(col('x'), lit(1n, P('long'))),
        Expr.gt(col('k'), lit('1.5', DataType.decimal(10, 2))),
        Expr.lt(col('k'), unknown),
        Expr.eq(col('r'), lit(Math.fround(0.1), P('double'))),
      ),
    );
  });
  it('arithmetic, column-column and IS DISTINCT FROM', () => {
    expect(where('exprs')).toEqual(
      Expr.and(Expr.lt(lit(5n), col('x')), Expr.eq(unknown, lit(2n)), Expr.eq(col('a'), col('b')), unknown),
    );
  });
  it('a quoted name with a dot is one column', () => {
    expect(where('quoted')).toEqual(Expr.eq({ kind: 'column', path: ['Weird.Col'] }, lit("it's")));
  });
  it('no WHERE clause', () => {
    expect(where('noWhere')).toBeUndefined();
  });
  it('junk is unknown', () => {
    expect(fromDuckDbExpression(null)).toEqual(unknown);
    expect(fromDuckDbExpression({ class: 'SUBQUERY', type: 'SUBQUERY' })).toEqual(unknown);
    expect(fromDuckDbExpression({ class: 'COLUMN_REF', type: 'COLUMN_REF', column_names: [] })).toEqual(
      unknown,
    );
  });
});

// Real `json_serialize_sql` output of DuckDB 1.5 (@duckdb/node-api 1.5.6-r.1), captured once.
export const DUCKDB_AST: Record<string, { sql: string; json: string }> = {
  andDate: {
    sql: "SELECT * FROM t WHERE a = 1 AND d >= DATE '2020-01-01'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_AND","alias":"","query_location":28,"children":[{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":24,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["a"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":26,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}}},{"class":"COMPARISON","type":"COMPARE_GREATERTHANOREQUALTO","alias":"","query_location":34,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":32,"column_names":["d"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":18446744073709551615,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":42,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"2020-01-01"}},"cast_type":{"id":"DATE","type_info":null},"try_cast":false}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  orNot: {
    sql: 'SELECT * FROM t WHERE x <> 2.5 OR NOT (y < -3)',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_OR","alias":"","query_location":31,"children":[{"class":"COMPARISON","type":"COMPARE_NOTEQUAL","alias":"","query_location":24,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":27,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":2,"scale":1}},"is_null":false,"value":25}}},{"class":"COMPARISON","type":"COMPARE_GREATERTHANOREQUALTO","alias":"","query_location":34,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":39,"column_names":["y"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":43,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":-3}}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  between: {
    sql: 'SELECT * FROM t WHERE x BETWEEN 1 AND 10',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"BETWEEN","type":"COMPARE_BETWEEN","alias":"","query_location":24,"input":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]},"lower":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":32,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}},"upper":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":38,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":10}}},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  notBetween: {
    sql: 'SELECT * FROM t WHERE x NOT BETWEEN 1 AND 10',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"OPERATOR","type":"OPERATOR_NOT","alias":"","query_location":24,"children":[{"class":"BETWEEN","type":"COMPARE_BETWEEN","alias":"","query_location":18446744073709551615,"input":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]},"lower":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":36,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}},"upper":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":42,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":10}}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  inList: {
    sql: 'SELECT * FROM t WHERE x IN (1, 2, 3)',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"OPERATOR","type":"COMPARE_IN","alias":"","query_location":24,"children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":28,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":31,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":2}},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":34,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":3}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  notIn: {
    sql: "SELECT * FROM t WHERE s NOT IN ('a', 'b')",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"OPERATOR","type":"COMPARE_NOT_IN","alias":"","query_location":24,"children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":32,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"a"}},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":37,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"b"}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  nulls: {
    sql: 'SELECT * FROM t WHERE x IS NULL AND y IS NOT NULL',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_AND","alias":"","query_location":32,"children":[{"class":"OPERATOR","type":"OPERATOR_IS_NULL","alias":"","query_location":24,"children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]}]},{"class":"OPERATOR","type":"OPERATOR_IS_NOT_NULL","alias":"","query_location":38,"children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":36,"column_names":["y"]}]}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  like: {
    sql: "SELECT * FROM t WHERE s LIKE 'abc%'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":24,"function_name":"~~","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":29,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"abc%"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":true,"export_state":false,"catalog":""},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  notLike: {
    sql: "SELECT * FROM t WHERE s NOT LIKE 'abc%'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":24,"function_name":"!~~","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":33,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"abc%"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":true,"export_state":false,"catalog":""},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  likeEscape: {
    sql: "SELECT * FROM t WHERE s LIKE 'a!_b%' ESCAPE '!'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":24,"function_name":"like_escape","schema":"main","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":29,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"a!_b%"}},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":44,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"!"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":false,"export_state":false,"catalog":""},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  ilike: {
    sql: "SELECT * FROM t WHERE s ILIKE 'a%'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":24,"function_name":"~~*","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":30,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"a%"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":true,"export_state":false,"catalog":""},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  prefixFn: {
    sql: "SELECT * FROM t WHERE prefix(s, 'ab') OR starts_with(s, 'cd')",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_OR","alias":"","query_location":38,"children":[{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":22,"function_name":"prefix","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":29,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":32,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"ab"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":false,"export_state":false,"catalog":""},{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":41,"function_name":"starts_with","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":53,"column_names":["s"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":56,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"cd"}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":false,"export_state":false,"catalog":""}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  nested: {
    sql: 'SELECT * FROM t WHERE t.a.b = 1.25',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":28,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["t","a","b"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":30,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":3,"scale":2}},"is_null":false,"value":125}}},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  hugeDecimal: {
    sql: 'SELECT * FROM t WHERE k = 123456789012345678901234567890.123',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":24,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["k"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":26,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":33,"scale":3}},"is_null":false,"value":{"upper":6692605942763,"lower":8982045596877735115}}}},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  bigLong: {
    sql: 'SELECT * FROM t WHERE n = 9007199254740993',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":24,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["n"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":26,"value":{"type":{"id":"BIGINT","type_info":null},"is_null":false,"value":9007199254740993}}},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  timestamps: {
    sql: "SELECT * FROM t WHERE ts >= TIMESTAMP '2020-01-01 00:00:00.123456' AND tz < TIMESTAMPTZ '2020-01-01 00:00:00+02'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_AND","alias":"","query_location":67,"children":[{"class":"COMPARISON","type":"COMPARE_GREATERTHANOREQUALTO","alias":"","query_location":25,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["ts"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":18446744073709551615,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":38,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"2020-01-01 00:00:00.123456"}},"cast_type":{"id":"TIMESTAMP","type_info":null},"try_cast":false}},{"class":"COMPARISON","type":"COMPARE_LESSTHAN","alias":"","query_location":74,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":71,"column_names":["tz"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":18446744073709551615,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":88,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"2020-01-01 00:00:00+02"}},"cast_type":{"id":"TIMESTAMP WITH TIME ZONE","type_info":null},"try_cast":false}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  mixed: {
    sql: 'SELECT * FROM t WHERE x = NULL OR b = true OR f > 1e3 OR m = 12345678901',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_OR","alias":"","query_location":31,"children":[{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":24,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["x"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":26,"value":{"type":{"id":"NULL","type_info":null},"is_null":true}}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":36,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":34,"column_names":["b"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":18446744073709551615,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":38,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"t"}},"cast_type":{"id":"BOOLEAN","type_info":null},"try_cast":false}},{"class":"COMPARISON","type":"COMPARE_GREATERTHAN","alias":"","query_location":48,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":46,"column_names":["f"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":50,"value":{"type":{"id":"DOUBLE","type_info":null},"is_null":false,"value":1000.0}}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":59,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":57,"column_names":["m"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":61,"value":{"type":{"id":"BIGINT","type_info":null},"is_null":false,"value":12345678901}}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  casts: {
    sql: 'SELECT * FROM t WHERE CAST(x AS INTEGER) = 1 OR x = 1::BIGINT OR k > 1.5::DECIMAL(10,2) OR k < 1.555::DECIMAL(10,2) OR r = 0.1::FLOAT',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_OR","alias":"","query_location":45,"children":[{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":41,"left":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":22,"child":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":27,"column_names":["x"]},"cast_type":{"id":"INTEGER","type_info":null},"try_cast":false},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":43,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":50,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":48,"column_names":["x"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":53,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":52,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}},"cast_type":{"id":"BIGINT","type_info":null},"try_cast":false}},{"class":"COMPARISON","type":"COMPARE_GREATERTHAN","alias":"","query_location":67,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":65,"column_names":["k"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":72,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":69,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":2,"scale":1}},"is_null":false,"value":15}},"cast_type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":10,"scale":2}},"try_cast":false}},{"class":"COMPARISON","type":"COMPARE_LESSTHAN","alias":"","query_location":93,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":91,"column_names":["k"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":100,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":95,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":4,"scale":3}},"is_null":false,"value":1555}},"cast_type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":10,"scale":2}},"try_cast":false}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":121,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":119,"column_names":["r"]},"right":{"class":"CAST","type":"OPERATOR_CAST","alias":"","query_location":126,"child":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":123,"value":{"type":{"id":"DECIMAL","type_info":{"type":"DECIMAL_TYPE_INFO","alias":"","extension_info":null,"width":2,"scale":1}},"is_null":false,"value":1}},"cast_type":{"id":"FLOAT","type_info":null},"try_cast":false}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  exprs: {
    sql: 'SELECT * FROM t WHERE 5 < x AND x + 1 = 2 AND a = b AND x IS DISTINCT FROM 1',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"CONJUNCTION","type":"CONJUNCTION_AND","alias":"","query_location":28,"children":[{"class":"COMPARISON","type":"COMPARE_LESSTHAN","alias":"","query_location":24,"left":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":22,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":5}},"right":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":26,"column_names":["x"]}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":38,"left":{"class":"FUNCTION","type":"FUNCTION","alias":"","query_location":34,"function_name":"+","schema":"","children":[{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":32,"column_names":["x"]},{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":36,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}}],"filter":null,"order_bys":{"type":"ORDER_MODIFIER","orders":[]},"distinct":false,"is_operator":true,"export_state":false,"catalog":""},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":40,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":2}}},{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":48,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":46,"column_names":["a"]},"right":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":50,"column_names":["b"]}},{"class":"COMPARISON","type":"COMPARE_DISTINCT_FROM","alias":"","query_location":58,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":56,"column_names":["x"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":75,"value":{"type":{"id":"INTEGER","type_info":null},"is_null":false,"value":1}}}]},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  quoted: {
    sql: "SELECT * FROM t WHERE \"Weird.Col\" = 'it''s'",
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":{"class":"COMPARISON","type":"COMPARE_EQUAL","alias":"","query_location":34,"left":{"class":"COLUMN_REF","type":"COLUMN_REF","alias":"","query_location":22,"column_names":["Weird.Col"]},"right":{"class":"CONSTANT","type":"VALUE_CONSTANT","alias":"","query_location":36,"value":{"type":{"id":"VARCHAR","type_info":null},"is_null":false,"value":"it\'s"}}},"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
  noWhere: {
    sql: 'SELECT * FROM t',
    json: '{"error":false,"statements":[{"node":{"type":"SELECT_NODE","modifiers":[],"cte_map":{"map":[]},"select_list":[{"class":"STAR","type":"STAR","alias":"","query_location":7,"relation_name":"","exclude_list":[],"replace_list":[],"columns":false,"expr":null,"qualified_exclude_list":[],"rename_list":[]}],"from_table":{"type":"BASE_TABLE","alias":"","sample":null,"query_location":14,"schema_name":"","table_name":"t","column_name_alias":[],"catalog_name":"","at_clause":null},"where_clause":null,"group_expressions":[],"group_sets":[],"aggregate_handling":"STANDARD_HANDLING","having":null,"sample":null,"qualify":null},"named_param_map":[]}]}',
  },
};
