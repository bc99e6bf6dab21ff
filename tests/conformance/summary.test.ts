import { describe, expect, it } from 'vitest';
import { Summary } from './summary.js';

describe('Summary', () => {
  it('counts outcomes per category in a stable order with a total', () => {
    const s = new Summary();
    s.record('time-travel', 'a', 'pass');
    s.record('negative', 'b', 'fail');
    s.record('negative', 'c', 'pass');
    s.record('change-data-feed', 'd', 'todo');
    const lines = s.render().split('\n');
    expect(lines[0]).toBe('Delta conformance by category');
    expect(lines[1]).toMatch(/^category\s+pass\s+fail\s+todo$/);
    expect(lines[3]).toMatch(/^negative\s+1\s+1\s+0$/);
    expect(lines[4]).toMatch(/^change-data-feed\s+0\s+0\s+1$/);
    expect(lines[5]).toMatch(/^time-travel\s+1\s+0\s+0$/);
    expect(lines[7]).toMatch(/^total\s+2\s+1\s+1$/);
    expect(s.failed).toEqual(['b']);
  });
});
