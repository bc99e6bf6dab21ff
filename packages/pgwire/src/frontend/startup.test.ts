import { describe, expect, it } from 'vitest';
import type { StartupMessage } from './messages.js';
import {
  interpretStartup,
  parseStartupOptions,
  protocolNegotiation,
  serverParameterStatus,
} from './startup.js';

const startup = (params: [string, string][], minor = 0): StartupMessage => ({
  type: 'StartupMessage',
  protocolMajor: 3,
  protocolMinor: minor,
  parameters: new Map(params),
});

describe('startup interpretation', () => {
  it('needs no negotiation for plain 3.0', () => {
    expect(protocolNegotiation(startup([['user', 'a']]))).toBeUndefined();
  });

  it('negotiates down newer minors and reports unknown _pq_ options', () => {
    expect(protocolNegotiation(startup([['_pq_.compression', 'on']], 2))).toEqual({
      type: 'NegotiateProtocolVersion',
      newestMinor: 0,
      unrecognizedOptions: ['_pq_.compression'],
    });
  });

  it('parses -c and -- options with backslash-escaped spaces', () => {
    expect(parseStartupOptions('-c search_path=a\\ b --statement-timeout=5s -cwork_mem=4MB')).toEqual(
      new Map([
        ['search_path', 'a b'],
        ['statement_timeout', '5s'],
        ['work_mem', '4MB'],
      ]),
    );
  });

  it('defaults database to user and merges options into settings', () => {
    const s = interpretStartup(
      startup([
        ['user', 'ann'],
        ['application_name', 'psql'],
        ['DateStyle', 'ISO'],
        ['options', '-c TimeZone=UTC'],
      ]),
    );
    expect(s.user).toBe('ann');
    expect(s.database).toBe('ann');
    expect(s.applicationName).toBe('psql');
    expect(s.replication).toBe(false);
    expect(s.settings.get('datestyle')).toBe('ISO');
    expect(s.settings.get('timezone')).toBe('UTC');
  });

  it('lists the ParameterStatus values drivers rely on', () => {
    const ps = serverParameterStatus({ user: 'ann', serverVersion: '16.4 (Loch)' });
    const map = new Map(ps.map((m) => (m.type === 'ParameterStatus' ? [m.name, m.value] : ['', ''])));
    expect(map.get('client_encoding')).toBe('UTF8');
    expect(map.get('integer_datetimes')).toBe('on');
    expect(map.get('standard_conforming_strings')).toBe('on');
    expect(map.get('server_version')).toBe('16.4 (Loch)');
    expect(map.get('session_authorization')).toBe('ann');
  });
});
