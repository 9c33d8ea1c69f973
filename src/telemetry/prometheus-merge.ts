/**
 * Merges the Prometheus text of several processes (the primary and the workers of a group, src/cluster/) into
 * one exposition: each sample gets a label naming its process (e.g. worker="2"), and each metric family appears
 * once, its HELP/TYPE/UNIT lines first and all its samples together, as the text format requires.
 */
export interface PrometheusPart {
  /** Label name and value added to every sample of this part, e.g. ['worker', '2']. */
  label: [string, string];
  text: string;
}

interface Family {
  headers: string[];
  samples: string[];
}

const HEADER = /^# (HELP|TYPE|UNIT) (\S+)/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*?\})?(\s.*)$/;

function labelled(line: string, [name, value]: [string, string]): string | undefined {
  const match = SAMPLE.exec(line);
  if (!match) return undefined;
  const label = `${name}="${value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`;
  const existing = match[2];
  const labels = existing && existing !== '{}' ? `{${label},${existing.slice(1)}` : `{${label}}`;
  return `${match[1]}${labels}${match[3]}`;
}

/** Family of a sample: histogram and summary samples (_bucket, _sum, _count) belong to the family declared before them. */
export function mergePrometheusTexts(parts: readonly PrometheusPart[]): string {
  const families = new Map<string, Family>();
  const familyOf = (name: string) => {
    const family = families.get(name) ?? { headers: [], samples: [] };
    families.set(name, family);
    return family;
  };
  for (const part of parts) {
    let current: string | undefined;
    const seenHeaders = new Set<string>();
    for (const line of part.text.split('\n')) {
      if (line.trim() === '') continue;
      const header = HEADER.exec(line);
      if (header) {
        current = header[2]!;
        const family = familyOf(current);
        const kind = header[1]!;
        if (!seenHeaders.has(`${current} ${kind}`) && !family.headers.some((h) => h.startsWith(`# ${kind} ${current} `) || h === `# ${kind} ${current}`)) {
          family.headers.push(line);
        }
        seenHeaders.add(`${current} ${kind}`);
        continue;
      }
      if (line.startsWith('#')) continue; // other comments
      const sample = labelled(line, part.label);
      if (sample === undefined) continue;
      const name = SAMPLE.exec(line)![1]!;
      const owner = current !== undefined && name.startsWith(current) ? current : name;
      familyOf(owner).samples.push(sample);
    }
  }
  const lines: string[] = [];
  for (const family of families.values()) lines.push(...family.headers, ...family.samples);
  return `${lines.join('\n')}\n`;
}
