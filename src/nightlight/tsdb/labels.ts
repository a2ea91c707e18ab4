// A series' identity: its label pairs sorted by name. The key joins them with bytes that cannot
// occur in UTF-8 text, so equal keys mean equal label sets.
export type Labels = readonly (readonly [string, string])[];

export const metricNameLabel = "__name__";
const sep = "\xff";
const pairSep = "\xfe";

export function labelsKey(labels: Labels): string {
  let k = "";
  for (const [n, v] of labels) k += n + pairSep + v + sep;
  return k;
}

export function sortLabels(labels: [string, string][]): [string, string][] {
  return labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function labelValue(labels: Labels, name: string): string {
  for (const [n, v] of labels) if (n === name) return v;
  return "";
}

export function labelsToObject(labels: Labels): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [n, v] of labels) o[n] = v;
  return o;
}

const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const metricNameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export const isValidLabelName = (n: string) => labelNameRe.test(n);
export const isValidMetricName = (n: string) => metricNameRe.test(n);

/**
 * Checks a series' labels as remote_write and scraping deliver them: names valid, a metric name,
 * no duplicates, no empty values (an empty value means "no label"). Returns the sorted labels
 * without empty-valued pairs, or the reason they are refused.
 */
export function validateLabels(labels: [string, string][]): [string, string][] | string {
  const out = sortLabels(labels.filter(([, v]) => v !== ""));
  let name = "";
  for (let i = 0; i < out.length; i++) {
    const [n, v] = out[i]!;
    if (i > 0 && out[i - 1]![0] === n) return `duplicate label name "${n}"`;
    if (n === metricNameLabel) {
      if (!isValidMetricName(v)) return `invalid metric name "${v}"`;
      name = v;
    } else if (!isValidLabelName(n)) return `invalid label name "${n}"`;
  }
  if (!name) return "series without a metric name (__name__ label)";
  return out;
}
