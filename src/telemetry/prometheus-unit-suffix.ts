/**
 * Prometheus names carry their unit (`certguard_decision_duration_seconds_bucket`), OpenTelemetry names do not
 * (`certguard.decision.duration`, unit `s`). The OpenTelemetry Collector's Prometheus exporter appends the suffix
 * (the OTel-to-Prometheus compatibility specification); the JS Prometheus exporter behind GET /metrics does not.
 * This appends it to the text that exporter produced, so a dashboard or alert rule finds the same series name
 * whether Prometheus scrapes certguard directly or the Collector. Pure: the text is a parameter.
 */

/** UCUM unit -> Prometheus suffix, for the units certguard and the runtime instrumentation use. */
const SUFFIXES: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  '1': 'ratio',
};

/** The family name a sample line belongs to: the name itself or name_bucket/_sum/_count/_total. */
const SAMPLE_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

function suffixedName(name: string, suffix: string): string {
  if (name.endsWith(`_${suffix}`)) return name;
  // Counters keep _total last: requests_total -> requests_seconds_total.
  return name.endsWith('_total') ? `${name.slice(0, -'_total'.length)}_${suffix}_total` : `${name}_${suffix}`;
}

/** Renames each metric family whose `# UNIT` line has a known unit; every other line passes unchanged. */
export function withUnitSuffixes(text: string): string {
  const renames = new Map<string, string>();
  for (const match of text.matchAll(/^# UNIT (\S+) (\S+)$/gm)) {
    const suffix = SUFFIXES[match[2]!];
    if (suffix !== undefined) renames.set(match[1]!, suffixedName(match[1]!, suffix));
  }
  if (renames.size === 0) return text;
  return text
    .split('\n')
    .map((line) => {
      const comment = /^# (HELP|UNIT|TYPE) (\S+)(.*)$/.exec(line);
      if (comment) {
        const renamed = renames.get(comment[2]!);
        return renamed === undefined ? line : `# ${comment[1]} ${renamed}${comment[3]}`;
      }
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/s.exec(line);
      if (!sample) return line;
      const name = sample[1]!;
      const direct = renames.get(name);
      if (direct !== undefined) return `${direct}${sample[2]}`;
      for (const ending of SAMPLE_SUFFIXES) {
        if (!name.endsWith(ending)) continue;
        const family = renames.get(name.slice(0, -ending.length));
        if (family !== undefined) return `${family}${ending}${sample[2]}`;
      }
      return line;
    })
    .join('\n');
}
