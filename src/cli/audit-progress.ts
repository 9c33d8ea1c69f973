/**
 * Progress of a long `certguard audit verify` on stderr: a redrawn bar when stderr is a terminal, otherwise a
 * plain line at most every few seconds (log files and CI output must not fill with carriage returns).
 */
import type { VerifyProgress } from '../audit/verification/verify-report.ts';

const BAR_WIDTH = 30;
const LINE_INTERVAL_MS = 5000;
const REDRAW_INTERVAL_MS = 100;
/** Smaller chains finish before a bar would be worth drawing. */
const MIN_TOTAL = 20_000;

export interface ProgressReporter {
  update: VerifyProgress;
  done(): void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const rate = (checked: number) => Math.round(checked / Math.max(0.001, (Date.now() - started) / 1000));
  return {
    update(checked, total) {
      if (total < MIN_TOTAL) return;
      const now = Date.now();
      if (now - lastDraw < (stream.isTTY ? REDRAW_INTERVAL_MS : LINE_INTERVAL_MS)) return;
      lastDraw = now;
      const fraction = Math.min(1, checked / total);
      const text = `${checked}/${total} entries (${(fraction * 100).toFixed(0)}%, ${rate(checked)}/s)`;
      if (stream.isTTY) {
        const filled = Math.round(fraction * BAR_WIDTH);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${text}`);
        drawn = true;
      } else {
        stream.write(`verifying: ${text}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
