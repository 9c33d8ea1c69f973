// Integrity: the newest event and whether it is sealed (the sealing lag), the last signed checkpoint and its key,
// and a verify run (GET /v1/audit/verify) with its verdict, naming the first broken record.
import { apiJson } from './api.js';
import { $, el, facts, showError } from './dom.js';

let wired = false;

async function loadFacts() {
  const [checkpoints, newest] = await Promise.all([apiJson('/v1/audit/checkpoints'), apiJson('/v1/audit/events', { query: { limit: 1 } })]);
  const last = checkpoints.checkpoints.at(-1);
  const head = newest.events[0];
  const lagSeconds = head && !head.chain ? (Date.now() - Date.parse(head.eventTime)) / 1000 : 0;
  facts($('integrity-facts'), [
    ['Newest event', head ? `sequence ${head.sequence} at ${head.eventTime}` : 'none'],
    ['Sealed', head ? (head.chain ? `yes, chain position ${head.chain.chainSeq}` : `not yet (waiting ${lagSeconds.toFixed(1)} s)`) : null],
    ['Last checkpoint', last ? `chain position ${last.chainSeq} at ${last.time} (${last.reason})` : 'none yet'],
    ['Signing key', last ? el('span', { class: 'mono' }, last.keyId) : null],
    ['Checkpoints', String(checkpoints.checkpoints.length)],
  ]);
}

async function runVerify() {
  const button = $('run-verify');
  const progress = $('verify-progress');
  const result = $('verify-result');
  button.disabled = true;
  progress.hidden = false;
  result.replaceChildren();
  showError('integrity-error');
  const started = performance.now();
  const ticker = setInterval(() => {
    $('verify-elapsed').textContent = `verifying… ${((performance.now() - started) / 1000).toFixed(1)} s`;
  }, 200);
  try {
    const report = await apiJson('/v1/audit/verify');
    const verdict = report.ok
      ? el('p', { class: 'verdict ok', id: 'verify-verdict' }, `OK: ${report.checkedEntries} chain entries recomputed, ${report.checkpointsVerified} checkpoint signatures valid.`)
      : el(
          'p',
          { class: 'verdict broken', id: 'verify-verdict' },
          `BROKEN (${report.reason}): first broken record is event sequence ${report.firstBrokenSequence ?? '?'}, chain position ${report.firstBrokenChainSeq ?? '?'}. ${report.detail ?? ''}`,
        );
    const details = el('dl', { class: 'facts' });
    facts(details, [
      ['Verified', `chain positions ${report.fromChainSeq} to ${report.headChainSeq ?? '—'}`],
      ['Head hash', report.headHash ? el('span', { class: 'mono' }, report.headHash) : null],
      ['Waiting to be sealed', String(report.unsealedRows)],
    ]);
    result.replaceChildren(verdict, details);
  } catch (error) {
    showError('integrity-error', error);
  } finally {
    clearInterval(ticker);
    $('verify-elapsed').textContent = `took ${((performance.now() - started) / 1000).toFixed(1)} s`;
    progress.hidden = true;
    button.disabled = false;
  }
}

export async function showIntegrity() {
  if (!wired) {
    wired = true;
    $('run-verify').addEventListener('click', runVerify);
  }
  showError('integrity-error');
  try {
    await loadFacts();
  } catch (error) {
    showError('integrity-error', error);
  }
}
