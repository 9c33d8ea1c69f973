// Integrity: the newest event and whether it is sealed (the sealing lag), the last signed checkpoint and its key,
// and a verify run with its verdict, naming the first broken record. The run asks GET /v1/audit/verify for NDJSON
// (docs/api.md): progress lines {checked, total} drive a determinate progress bar, then the report line arrives.
import { ApiError, apiJson, signedFetch } from './api.js';
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

/** Each JSON line of a streamed body, as it arrives. */
async function* ndjsonLines(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line);
      newline = buffered.indexOf('\n');
    }
    if (done) break;
  }
  if (buffered.trim()) yield JSON.parse(buffered);
}

function showProgress({ checked, total }) {
  const progress = $('verify-progress');
  progress.max = Math.max(total, 1);
  progress.value = total === 0 ? 1 : checked;
  $('verify-count').textContent = `${checked.toLocaleString('en')} of ${total.toLocaleString('en')} entries`;
}

/** Runs the streamed verify; returns its report (progress shown on the way), throws the API's error. */
async function streamedVerify() {
  const response = await signedFetch('/v1/audit/verify', { headers: { accept: 'application/x-ndjson' } });
  let total = 0;
  for await (const line of ndjsonLines(response)) {
    if (line.progress) {
      total = line.progress.total;
      showProgress(line.progress);
    }
    if (line.error) throw new ApiError(500, line.error.type, line.error.message);
    if (line.report) {
      // A broken chain ends the walk at the break: the bar shows how far it got.
      if (!line.report.ok) {
        showProgress({ checked: line.report.checkedEntries, total });
        $('verify-count').append(', stopped at the first break');
      }
      return line.report;
    }
  }
  throw new ApiError(500, 'IncompleteAnswer', 'The verification stopped before its report; run it again.');
}

function verdictOf(report) {
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
  return [verdict, details];
}

async function runVerify() {
  const button = $('run-verify');
  const progress = $('verify-progress');
  button.disabled = true;
  // Indeterminate (no value) until the first line gives the total.
  progress.removeAttribute('value');
  progress.hidden = false;
  $('verify-count').textContent = 'starting…';
  $('verify-elapsed').textContent = '';
  $('verify-result').replaceChildren();
  showError('integrity-error');
  const started = performance.now();
  try {
    $('verify-result').replaceChildren(...verdictOf(await streamedVerify()));
  } catch (error) {
    progress.hidden = true;
    $('verify-count').textContent = '';
    showError('integrity-error', error);
  } finally {
    // The bar stays, full, with its count: how much the verdict covers.
    $('verify-elapsed').textContent = `took ${((performance.now() - started) / 1000).toFixed(1)} s`;
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
