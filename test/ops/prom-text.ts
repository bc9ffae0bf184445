/**
 * A small parser of the Prometheus text exposition format (version 0.0.4), for the tests that scrape /metrics:
 * samples with their labels, and a sum over samples matching some labels. Rejects lines that are not valid.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let l = LABEL.exec(m[3]); l; l = LABEL.exec(m[3])) {
        labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[3].length) throw new Error(`bad labels in: ${line}`);
    }
    const value = m[4] === '+Inf' ? Number.POSITIVE_INFINITY : m[4] === '-Inf' ? Number.NEGATIVE_INFINITY : Number(m[4]);
    if (Number.isNaN(value) && m[4] !== 'NaN') throw new Error(`bad value in: ${line}`);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

/** Samples of `name` whose labels include `match`. */
export function select(samples: Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

export const sum = (samples: Sample[], name: string, match: Record<string, string> = {}): number => select(samples, name, match).reduce((a, s) => a + s.value, 0);

/** Every histogram of `base` is well formed: cumulative buckets never decrease, +Inf equals _count, _sum ≥ 0. */
export function checkHistogram(samples: Sample[], base: string): number {
  const counts = select(samples, `${base}_count`);
  for (const c of counts) {
    const key = (s: Sample) => JSON.stringify(Object.entries(s.labels).filter(([k]) => k !== 'le').sort());
    const buckets = select(samples, `${base}_bucket`).filter((b) => key(b) === key(c));
    const ordered = buckets.sort((a, b) => Number(a.labels.le === '+Inf' ? Infinity : a.labels.le) - Number(b.labels.le === '+Inf' ? Infinity : b.labels.le));
    for (let i = 1; i < ordered.length; i++) if (ordered[i].value < ordered[i - 1].value) throw new Error(`${base} buckets decrease for ${key(c)}`);
    if (ordered.at(-1)?.labels.le !== '+Inf' || ordered.at(-1)?.value !== c.value) throw new Error(`${base}: +Inf bucket is not _count for ${key(c)}`);
    const s = select(samples, `${base}_sum`).find((x) => key(x) === key(c));
    if (!s || s.value < 0) throw new Error(`${base}_sum missing or negative for ${key(c)}`);
  }
  return counts.length;
}
