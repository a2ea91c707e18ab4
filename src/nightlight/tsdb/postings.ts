// The inverted label index: for each label name and value, the ascending ids of the series that
// carry it. Selecting intersects the lists of the matchers that cannot match an absent label
// and filters the candidates with every matcher.
import { type Matcher, matchesValue } from "./matcher.ts";

export class Postings {
  private readonly byName = new Map<string, Map<string, number[]>>();

  /** Ids must be added in ascending order. */
  add(id: number, labels: readonly (readonly [string, string])[]): void {
    for (const [n, v] of labels) {
      let values = this.byName.get(n);
      if (!values) {
        values = new Map();
        this.byName.set(n, values);
      }
      const list = values.get(v);
      if (list) list.push(id);
      else values.set(v, [id]);
    }
  }

  labelNames(): string[] {
    return [...this.byName.keys()];
  }

  labelValues(name: string): string[] {
    return [...(this.byName.get(name)?.keys() ?? [])];
  }

  toJSON(): Record<string, Record<string, number[]>> {
    const out: Record<string, Record<string, number[]>> = {};
    for (const [n, values] of this.byName) out[n] = Object.fromEntries(values);
    return out;
  }

  static fromJSON(json: Record<string, Record<string, number[]>>): Postings {
    const p = new Postings();
    for (const [n, values] of Object.entries(json)) p.byName.set(n, new Map(Object.entries(values)));
    return p;
  }

  /**
   * Candidate ids for the matchers (ascending), or undefined when every matcher matches the
   * empty value (then all series are candidates).
   */
  candidates(matchers: readonly Matcher[]): number[] | undefined {
    let result: number[] | undefined;
    for (const m of matchers) {
      if (matchesValue(m, "")) continue;
      const values = this.byName.get(m.name);
      if (!values) return [];
      let list: number[];
      if (m.type === "=") list = values.get(m.value) ?? [];
      else {
        const lists: number[][] = [];
        for (const [v, ids] of values) if (matchesValue(m, v)) lists.push(ids);
        list = lists.length === 1 ? lists[0]! : unionSorted(lists);
      }
      result = result ? intersectSorted(result, list) : list;
      if (result.length === 0) return result;
    }
    return result;
  }
}

export function intersectSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

export function unionSorted(lists: number[][]): number[] {
  const all: number[] = [];
  for (const l of lists) for (const x of l) all.push(x);
  all.sort((x, y) => x - y);
  const out: number[] = [];
  for (const x of all) if (out.length === 0 || out[out.length - 1] !== x) out.push(x);
  return out;
}
