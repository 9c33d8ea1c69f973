// One decision: every rule's outcome and message, the masked input the rules saw, bundle revision and hash, the error
// returned, its place in the hash chain, and the trace (linked when CERTGUARD_TRACE_URL_TEMPLATE is set).
import { apiJson, consoleSettings } from './api.js';
import { $, el, facts, showError } from './dom.js';

function traceLink(traceId, template) {
  if (!traceId) return '—';
  if (!template) return el('span', { class: 'mono' }, traceId);
  const href = template.replaceAll('{traceId}', encodeURIComponent(traceId));
  return el('a', { href, class: 'mono', id: 'trace-link', rel: 'noopener noreferrer', target: '_blank' }, traceId);
}

function rulesTable(rules) {
  if (rules.length === 0) return el('p', { class: 'muted' }, 'No rule ran (refused before the rules, or not a rule-guarded event).');
  return el(
    'table',
    { id: 'event-rules' },
    el('caption', {}, 'Rules, in evaluation order'),
    el('thead', {}, el('tr', {}, ['Rule', 'Outcome', 'Mode', 'Message'].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      rules.map((rule) =>
        el(
          'tr',
          { class: `outcome-${rule.outcome}` },
          el('td', { class: 'mono' }, rule.id),
          el('td', {}, el('span', { class: 'badge' }, rule.outcome)),
          el('td', {}, rule.action),
          el('td', {}, rule.message ?? rule.error ?? ''),
        ),
      ),
    ),
  );
}

export async function showEvent(eventId) {
  showError('event-error');
  const body = $('event-body');
  body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  try {
    const [event, settings] = await Promise.all([apiJson(`/v1/audit/events/${encodeURIComponent(eventId ?? '')}`), consoleSettings()]);
    $('event-title').textContent = `${event.operation}: ${event.decision}`;
    const summary = el('dl', { class: 'facts' });
    facts(summary, [
      ['Time (UTC)', event.eventTime],
      ['Event', `${event.eventType} · sequence ${event.sequence} · ${event.eventId}`],
      ['Decision', el('span', { class: `badge decision-${event.decision.toLowerCase()}` }, event.decision)],
      ['Failing rule', event.failingRuleId],
      ['Error returned', event.errorType ? `${event.errorType}: ${event.errorMessage ?? ''}` : null],
      ['Caller', `${event.caller.accountId ?? '?'} (${event.caller.accessKeyId ?? 'no key'}; ${event.caller.roles.join(', ') || 'no role'})`],
      ['Certificate', event.resource.certificateId],
      ['Target account', event.targetAccountId],
      ['Request id', event.requestId],
      ['Policy', event.policy.revision ? `${event.policy.name ?? ''} revision ${event.policy.revision}` : null],
      ['Bundle hash', event.policy.hash ? el('span', { class: 'mono' }, event.policy.hash) : null],
      ['Chain', event.chain ? `sealed at chain position ${event.chain.chainSeq}` : 'not sealed yet'],
      ['Entry hash', event.chain ? el('span', { class: 'mono' }, event.chain.hash) : null],
      ['Trace', traceLink(event.trace.traceId, settings.traceUrlTemplate)],
      ['Warnings', event.warnings.length ? event.warnings.join('; ') : null],
    ]);
    body.replaceChildren(
      summary,
      rulesTable(event.rules),
      el('h3', {}, 'Input the rules saw (secrets masked)'),
      el('pre', { id: 'event-input', tabindex: 0 }, JSON.stringify(event.requestParameters, null, 2)),
    );
  } catch (error) {
    body.replaceChildren();
    showError('event-error', error);
  }
}
