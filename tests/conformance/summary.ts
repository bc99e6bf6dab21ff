// Pass/fail counts per category, printed after the run. Kept in memory only: the suite writes
// nothing into the repository.
import { CATEGORIES, type Category } from './categories.js';

export type Outcome = 'pass' | 'fail' | 'todo';

export class Summary {
  private readonly counts = new Map<Category, Record<Outcome, number>>();
  private readonly failures: string[] = [];

  record(category: Category, name: string, outcome: Outcome): void {
    const c = this.counts.get(category) ?? { pass: 0, fail: 0, todo: 0 };
    c[outcome]++;
    this.counts.set(category, c);
    if (outcome === 'fail') this.failures.push(name);
  }

  get failed(): readonly string[] {
    return this.failures;
  }

  /** A fixed-width table: one row per category in CATEGORIES order, then the total. */
  render(): string {
    const rows: [string, number, number, number][] = [];
    const total: [string, number, number, number] = ['total', 0, 0, 0];
    for (const category of CATEGORIES) {
      const c = this.counts.get(category);
      if (!c) continue;
      rows.push([category, c.pass, c.fail, c.todo]);
      total[1] += c.pass;
      total[2] += c.fail;
      total[3] += c.todo;
    }
    rows.push(total);
    const header = ['category', 'pass', 'fail', 'todo'];
    const width = Math.max(header[0]!.length, ...rows.map((r) => r[0].length));
    const line = (cells: readonly (string | number)[]): string =>
      `${String(cells[0]).padEnd(width)}  ${cells
        .slice(1)
        .map((c) => String(c).padStart(5))
        .join(' ')}`;
    const rule = '-'.repeat(width + 2 + 3 * 6 - 1);
    return [
      'Delta conformance by category',
      line(header),
      rule,
      ...rows.slice(0, -1).map(line),
      rule,
      line(rows[rows.length - 1]!),
    ].join('\n');
  }
}
