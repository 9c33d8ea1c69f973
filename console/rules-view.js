// The rules in force (GET /v1/policy): revision, hash, each rule's source and mode; and a what-if form
// (POST /v1/policy/evaluate): pick a certificate and an operation, see what the rules would decide. The
// certificate field offers the caller's certificates (ListCertificates, GET /certificates: an auditor sees every
// account's) in a datalist, newest first; any other id can still be typed.
import { apiJson } from './api.js';
import { $, el, facts, showError } from './dom.js';

let wired = false;

function ruleTables(bundle) {
  return bundle.operations.map(({ operation, rules }) =>
    el(
      'section',
      { class: 'operation-rules' },
      el('h3', {}, operation),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ['Rule', 'Mode', 'Error', 'Source', 'Expression'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          rules.map((rule) =>
            el(
              'tr',
              {},
              el('td', { class: 'mono' }, rule.id),
              el('td', {}, rule.action),
              el('td', {}, rule.errorType),
              el('td', { class: 'mono' }, `${rule.source.file}:${rule.source.line}:${rule.source.column}`),
              el('td', {}, el('code', {}, rule.expression)),
            ),
          ),
        ),
      ),
    ),
  );
}

async function evaluate(event) {
  event.preventDefault();
  showError('evaluate-error');
  const form = event.target;
  const result = $('evaluate-result');
  result.replaceChildren();
  try {
    const body = { operation: form.elements.operation.value };
    const certificateId = form.elements.certificateId.value.trim();
    if (certificateId) body.certificateId = certificateId;
    const request = form.elements.request.value.trim();
    if (request && request !== '{}') body.request = JSON.parse(request);
    const callerAccountId = form.elements.callerAccountId.value.trim();
    if (callerAccountId) body.caller = { accountId: callerAccountId, roles: ['operator'] };
    const decision = await apiJson('/v1/policy/evaluate', { method: 'POST', body });
    const rules = decision.rules ?? [];
    result.replaceChildren(
      el('p', { class: `verdict ${decision.allowed ? 'ok' : 'broken'}`, id: 'evaluate-verdict' },
        decision.allowed ? 'ALLOW' : `DENY by ${decision.failingRuleId ?? '?'}: ${decision.errorType ?? ''} ${decision.message ?? ''}`),
      el('ul', {}, rules.map((rule) => el('li', {}, `${rule.id}: ${rule.outcome}${rule.message ? ` — ${rule.message}` : ''}`))),
    );
  } catch (error) {
    showError('evaluate-error', error instanceof SyntaxError ? { type: 'Invalid JSON', message: error.message } : error);
  }
}

/** The newest certificates the picker offers: one page of ListCertificates (its largest). */
const PICKER_SIZE = 250;

async function fillCertificatePicker() {
  const { certificates, nextMarker } = await apiJson('/certificates', { query: { pageSize: PICKER_SIZE, isAscendingOrder: false } });
  $('certificates').replaceChildren(
    ...certificates.map((certificate) =>
      el('option', { value: certificate.certificateId, label: `${certificate.status}${certificate.creationDate ? `, created ${new Date(certificate.creationDate * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC` : ''}` }),
    ),
  );
  $('certificates-count').textContent = certificates.length === 0
    ? 'no certificates to pick from: type an id'
    : `${certificates.length}${nextMarker ? ' newest' : ''} certificates to pick from, or type an id`;
}

export async function showRules() {
  if (!wired) {
    wired = true;
    $('evaluate-form').addEventListener('submit', evaluate);
  }
  showError('rules-error');
  try {
    const bundle = await apiJson('/v1/policy');
    facts($('bundle-facts'), [
      ['Bundle', bundle.name],
      ['Revision', bundle.revision],
      ['Hash', el('span', { class: 'mono' }, bundle.hash)],
      ['Activated', bundle.activatedAt],
    ]);
    const select = $('e-operation');
    const chosen = select.value;
    select.replaceChildren(...bundle.operations.map(({ operation }) => el('option', {}, operation)));
    if (chosen) select.value = chosen;
    $('bundle-rules').replaceChildren(el('h3', {}, 'Rules'), ...ruleTables(bundle));
  } catch (error) {
    showError('rules-error', error);
  }
  try {
    await fillCertificatePicker();
  } catch (error) {
    $('certificates-count').textContent = '';
    showError('evaluate-error', error);
  }
}
