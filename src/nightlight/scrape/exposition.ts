// Parser for the Prometheus text exposition format (version 0.0.4), and the OpenMetrics
// subset it shares (`# EOF`). Pure: text in, samples and metadata out; a bad line is an error
// naming the line, because a target that serves garbage should show up as down.

export interface ExpositionSample {
  labels: [string, string][];
  value: number;
  /** Explicit timestamp in ms, when the line carries one. */
  timestampMs?: number;
}

export interface ExpositionFamily {
  name: string;
  type: string;
  help: string;
}

export class ExpositionError extends Error {}

/** Most samples accepted from one scrape (Prometheus's sample_limit, here always on). */
export const maxSamplesPerScrape = 200_000;

function parseValue(s: string, line: number): number {
  if (s === "+Inf" || s === "Inf") return Number.POSITIVE_INFINITY;
  if (s === "-Inf") return Number.NEGATIVE_INFINITY;
  if (s === "NaN") return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s))
    throw new ExpositionError(`line ${line}: bad value "${s}"`);
  return Number(s);
}

export function parseExposition(text: string): { samples: ExpositionSample[]; families: ExpositionFamily[] } {
  const samples: ExpositionSample[] = [];
  const families = new Map<string, ExpositionFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: "unknown", help: "" };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split("\n");
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (m) {
        if (m[1] === "HELP") family(m[2]!).help = m[3]!.replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
        else family(m[2]!).type = m[3]!.trim();
      }
      continue;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) throw new ExpositionError(`line ${ln + 1}: expected a metric name`);
    const labels: [string, string][] = [["__name__", nameMatch[0]]];
    let i = nameMatch[0].length;
    if (line[i] === "{") {
      i++;
      for (;;) {
        while (line[i] === " " || line[i] === ",") i++;
        if (line[i] === "}") {
          i++;
          break;
        }
        const ln2 = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
        if (!ln2) throw new ExpositionError(`line ${ln + 1}: expected a label name`);
        i += ln2[0].length;
        while (line[i] === " ") i++;
        if (line[i] !== "=" || line[i + 1] !== '"')
          throw new ExpositionError(`line ${ln + 1}: expected ="value"`);
        i += 2;
        let v = "";
        for (;;) {
          const c = line[i];
          if (c === undefined) throw new ExpositionError(`line ${ln + 1}: unterminated label value`);
          if (c === '"') {
            i++;
            break;
          }
          if (c === "\\") {
            const n = line[i + 1];
            v += n === "n" ? "\n" : (n ?? "");
            i += 2;
            continue;
          }
          v += c;
          i++;
        }
        labels.push([ln2[0], v]);
      }
    }
    const rest = line.slice(i).trim().split(/\s+/);
    if (rest.length < 1 || rest[0] === "") throw new ExpositionError(`line ${ln + 1}: missing value`);
    const value = parseValue(rest[0]!, ln + 1);
    let timestampMs: number | undefined;
    if (rest[1] !== undefined) {
      if (!/^-?\d+$/.test(rest[1])) throw new ExpositionError(`line ${ln + 1}: bad timestamp "${rest[1]}"`);
      timestampMs = Number(rest[1]);
    }
    samples.push(timestampMs === undefined ? { labels, value } : { labels, value, timestampMs });
    if (samples.length > maxSamplesPerScrape)
      throw new ExpositionError(`more than ${maxSamplesPerScrape} samples in one scrape`);
  }
  return { samples, families: [...families.values()] };
}
