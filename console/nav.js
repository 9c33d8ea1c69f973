// Same-page navigation: the URL carries the view and its filters (a link can be shared); app.js renders it.
export function navigate(search) {
  history.pushState(null, '', search.startsWith('?') ? search : `?${search}`);
  window.dispatchEvent(new Event('console:navigate'));
}
