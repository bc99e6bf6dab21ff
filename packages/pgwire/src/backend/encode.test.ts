import { describe, expect, it } from 'vitest';
import { BackendWriter } from './backend-writer.js';
import { commandTag, rowCountOfTag } from './command-tag.js';
import { BackendDecoder } from './decoder.js';
import { encodeBackendMessage } from './encode.js';
import { errorFields } from './error-fields.js';
import type { BackendMessage } from './messages.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const all: BackendMessage[] = [
  { type: 'AuthenticationOk' },
  { type: 'AuthenticationCleartextPassword' },
  { type: 'AuthenticationMD5Password', salt: new Uint8Array([1, 2, 3, 4]) },
  { type: 'AuthenticationSASL', mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'] },
  { type: 'AuthenticationSASLContinue', data: utf8('r=abc,s=c2FsdA==,i=4096') },
  { type: 'AuthenticationSASLFinal', data: utf8('v=xyz') },
  { type: 'ParameterStatus', name: 'server_version', value: '16.0 (Loch)' },
  { type: 'BackendKeyData', processId: 77, secretKey: new Uint8Array([9, 8, 7, 6]) },
  { type: 'ReadyForQuery', status: 'I' },
  { type: 'ReadyForQuery', status: 'T' },
  { type: 'ReadyForQuery', status: 'E' },
  {
    type: 'RowDescription',
    fields: [
      { name: 'id', tableOid: 16384, columnAttr: 1, typeOid: 20, typeSize: 8, typeModifier: -1, format: 0 },
      {
        name: 'prix €',
        tableOid: 0,
        columnAttr: 0,
        typeOid: 1700,
        typeSize: -1,
        typeModifier: 1179654,
        format: 1,
      },
    ],
  },
  { type: 'RowDescription', fields: [] },
  { type: 'DataRow', values: [utf8('1'), null, new Uint8Array(0), new Uint8Array([0, 255])] },
  { type: 'DataRow', values: [] },
  { type: 'CommandComplete', tag: 'SELECT 3' },
  { type: 'EmptyQueryResponse' },
  {
    type: 'ErrorResponse',
    fields: {
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '42P01',
      message: 'relation "main.sales.order" does not exist',
      detail: 'd',
      hint: 'did you mean main.sales.orders?',
      position: 15,
      internalPosition: 3,
      internalQuery: 'iq',
      where: 'w',
      schema: 'sales',
      table: 'order',
      column: 'c',
      dataType: 'int4',
      constraint: 'pk',
      file: 'catalog.ts',
      line: 12,
      routine: 'resolve',
    },
  },
  {
    type: 'NoticeResponse',
    fields: { severity: 'NOTICE', severityNonLocalized: 'NOTICE', code: '00000', message: 'hi' },
  },
  { type: 'ParseComplete' },
  { type: 'BindComplete' },
  { type: 'CloseComplete' },
  { type: 'NoData' },
  { type: 'ParameterDescription', typeOids: [23, 25, 4294967295] },
  { type: 'PortalSuspended' },
  { type: 'NegotiateProtocolVersion', newestMinor: 0, unrecognizedOptions: ['_pq_.compression'] },
  { type: 'CopyInResponse', format: 0, columnFormats: [0, 0] },
  { type: 'CopyOutResponse', format: 1, columnFormats: [1] },
  { type: 'CopyData', data: utf8('a\tb\n') },
  { type: 'CopyDone' },
];

describe('backend serializers', () => {
  it('round-trip every message through the backend decoder, also split at every offset', () => {
    const w = new BackendWriter(16);
    for (const m of all) w.message(m);
    const stream = w.flush();
    const d = new BackendDecoder();
    d.push(stream);
    expect(d.drain()).toEqual(all);
    for (let i = 0; i <= stream.length; i += 7) {
      const d2 = new BackendDecoder();
      d2.push(stream.subarray(0, i));
      const got = d2.drain();
      d2.push(stream.subarray(i));
      expect([...got, ...d2.drain()]).toEqual(all);
    }
  });

  it('produce the exact bytes PostgreSQL sends for fixed messages', () => {
    expect(hex(encodeBackendMessage({ type: 'AuthenticationOk' }))).toBe('520000000800000000');
    expect(hex(encodeBackendMessage({ type: 'ReadyForQuery', status: 'I' }))).toBe('5a0000000549');
    expect(hex(encodeBackendMessage({ type: 'ParseComplete' }))).toBe('3100000004');
    expect(hex(encodeBackendMessage({ type: 'CommandComplete', tag: 'SELECT 1' }))).toBe(
      '430000000d53454c454354203100',
    );
    expect(hex(encodeBackendMessage({ type: 'AuthenticationSASL', mechanisms: ['SCRAM-SHA-256'] }))).toBe(
      '52000000170000000a' + Buffer.from('SCRAM-SHA-256\0\0').toString('hex'),
    );
    expect(
      hex(
        encodeBackendMessage({
          type: 'RowDescription',
          fields: [
            { name: 'a', tableOid: 0, columnAttr: 0, typeOid: 23, typeSize: 4, typeModifier: -1, format: 0 },
          ],
        }),
      ),
    ).toBe('540000001a0001' + '6100' + '00000000' + '0000' + '00000017' + '0004' + 'ffffffff' + '0000');
  });

  it('write V (non-localized severity) defaulting to S, and fields in PostgreSQL order', () => {
    const buf = encodeBackendMessage({
      type: 'ErrorResponse',
      fields: errorFields('22P02', 'bad', { position: 3 }),
    });
    const body = Buffer.from(buf.subarray(5)).toString('latin1');
    expect(body).toBe('SERROR\0VERROR\0C22P02\0Mbad\0P3\0\0');
  });

  it('DataRow writes strings as UTF-8 with byte (not character) lengths', () => {
    const w = new BackendWriter();
    w.dataRow(['é€', null, '']);
    const d = new BackendDecoder();
    d.push(w.flush());
    expect(d.next()).toEqual({ type: 'DataRow', values: [utf8('é€'), null, new Uint8Array(0)] });
  });

  it('BackendWriter batches into one buffer and resets after flush', () => {
    const w = new BackendWriter(8);
    w.rowDescription([]).dataRow(['1']).commandComplete('SELECT 1').readyForQuery('I');
    const first = w.flush();
    expect(w.length).toBe(0);
    const d = new BackendDecoder();
    d.push(first);
    expect(d.drain().map((m) => m.type)).toEqual([
      'RowDescription',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    w.parseComplete().bindComplete().noData().closeComplete().portalSuspended().emptyQueryResponse();
    w.errorCode('42601', 'syntax error').notice({ severity: 'WARNING', code: '01000', message: 'w' });
    w.authenticationOk()
      .parameterStatus('a', 'b')
      .backendKeyData(1, new Uint8Array(4))
      .parameterDescription([23]);
    d.push(w.flush());
    expect(d.drain().map((m) => m.type)).toEqual([
      'ParseComplete',
      'BindComplete',
      'NoData',
      'CloseComplete',
      'PortalSuspended',
      'EmptyQueryResponse',
      'ErrorResponse',
      'NoticeResponse',
      'AuthenticationOk',
      'ParameterStatus',
      'BackendKeyData',
      'ParameterDescription',
    ]);
  });
});

describe('commandTag', () => {
  it('formats tags as PostgreSQL does', () => {
    expect(commandTag('SELECT', 3)).toBe('SELECT 3');
    expect(commandTag('insert', 5)).toBe('INSERT 0 5');
    expect(commandTag('UPDATE', 0n)).toBe('UPDATE 0');
    expect(commandTag('DELETE', 2)).toBe('DELETE 2');
    expect(commandTag('MERGE', 1)).toBe('MERGE 1');
    expect(commandTag('COPY', 10)).toBe('COPY 10');
    expect(commandTag('CREATE TABLE')).toBe('CREATE TABLE');
    expect(commandTag('SET')).toBe('SET');
    expect(rowCountOfTag('INSERT 0 5')).toBe(5n);
    expect(rowCountOfTag('CREATE TABLE')).toBeUndefined();
  });
});
