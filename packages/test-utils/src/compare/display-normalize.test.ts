import { describe, expect, it } from 'vitest';
import { normalizeDisplay } from './display-normalize.js';

describe('normalizeDisplay', () => {
  it('sorts entries inside braces at every depth', () => {
    expect(normalizeDisplay('{b: 2, a: {z: 1, y: 2}}')).toBe('{a: {y: 2, z: 1}, b: 2}');
  });

  it('keeps list order and empty (null) items', () => {
    expect(normalizeDisplay('[3, , {b: 1, a: }]')).toBe('[3, , {a: , b: 1}]');
  });

  it('treats map entries as unordered', () => {
    expect(normalizeDisplay('{0: {metadata: 01, value: 02}, nullKey: }')).toBe(
      normalizeDisplay('{nullKey: , 0: {value: 02, metadata: 01}}'),
    );
  });

  it('keeps keys with dots and scalars verbatim', () => {
    expect(normalizeDisplay('{field: 1, field.one: 2}')).toBe('{field: 1, field.one: 2}');
    expect(normalizeDisplay('plain text, with comma')).toBe('plain text, with comma');
    expect(normalizeDisplay('')).toBe('');
  });

  it('returns text that is not display form unchanged', () => {
    expect(normalizeDisplay('{unterminated: 1')).toBe('{unterminated: 1');
    expect(normalizeDisplay('[1, 2] tail')).toBe('[1, 2] tail');
  });

  it('distinguishes different values', () => {
    expect(normalizeDisplay('[1, 2]')).not.toBe(normalizeDisplay('[2, 1]'));
    expect(normalizeDisplay('{a: 1}')).not.toBe(normalizeDisplay('{a: 2}'));
  });
});
