// The trail's filters <-> the URL's query <-> the API's query. Times in the form are UTC (datetime-local has no zone).
export const FILTER_NAMES = ['from', 'to', 'operation', 'decision', 'failingRuleId', 'callerAccountId', 'certificateId', 'requestId', 'traceId'];

/** The API filters in a URL's parameters (only the known names: the URL is user input). */
export function filtersOf(params) {
  const filters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** ISO 8601 UTC from a datetime-local value, and back. */
export function isoOfLocal(value) {
  if (!value) return '';
  return `${value.length === 16 ? `${value}:00` : value}Z`;
}

export function localOfIso(iso) {
  return iso ? iso.replace(/Z$/, '').slice(0, 19) : '';
}

export function fillForm(form, filters) {
  for (const name of FILTER_NAMES) {
    const input = form.elements.namedItem(name);
    const value = filters[name] ?? '';
    input.value = name === 'from' || name === 'to' ? localOfIso(value) : value;
  }
}

export function readForm(form) {
  const filters = {};
  for (const name of FILTER_NAMES) {
    let value = form.elements.namedItem(name).value.trim();
    if (name === 'from' || name === 'to') value = isoOfLocal(value);
    if (value) filters[name] = value;
  }
  return filters;
}

export function searchOf(view, filters, extra = {}) {
  const params = new URLSearchParams({ view });
  for (const [name, value] of Object.entries({ ...filters, ...extra })) if (value) params.set(name, value);
  return `?${params}`;
}
