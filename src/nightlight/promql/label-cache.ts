// Per-label-set results the evaluator needs at every step (the key of a label set, the set
// without its metric name), cached on the label objects themselves: selectors hand out the same
// objects at every step of a range query, so each is worked out once per series.
import { type Labels, labelsKey, metricNameLabel } from "../tsdb/labels.ts";

const keyCache = new WeakMap<Labels, string>();
export function keyOf(labels: Labels): string {
  let k = keyCache.get(labels);
  if (k === undefined) {
    k = labelsKey(labels);
    keyCache.set(labels, k);
  }
  return k;
}

const dropNameCache = new WeakMap<Labels, Labels>();
export function dropName(labels: Labels): Labels {
  let d = dropNameCache.get(labels);
  if (!d) {
    d =
      labels[0]?.[0] === metricNameLabel || labels.some(([n]) => n === metricNameLabel)
        ? labels.filter(([n]) => n !== metricNameLabel)
        : labels;
    dropNameCache.set(labels, d);
  }
  return d;
}
