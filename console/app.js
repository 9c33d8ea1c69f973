// The console's entry: sign-in, the view in the URL (?view=...&filters), and switching views.
import { ApiError, apiJson, signedInKey, signIn, signOut } from './api.js';
import { $, showError } from './dom.js';
import { navigate } from './nav.js';
import { showEvent } from './event-view.js';
import { prepareStreamedDownloads } from './export.js';
import { showIntegrity } from './integrity-view.js';
import { showRules } from './rules-view.js';
import { showTrail } from './trail-view.js';

const VIEWS = ['trail', 'event', 'integrity', 'rules'];

function render() {
  const signedIn = signedInKey() !== undefined;
  $('sign-in-view').hidden = signedIn;
  $('nav').hidden = !signedIn;
  $('who').hidden = !signedIn;
  const params = new URLSearchParams(location.search);
  const view = VIEWS.includes(params.get('view')) ? params.get('view') : 'trail';
  for (const name of VIEWS) $(`${name}-view`).hidden = !signedIn || name !== view;
  if (!signedIn) {
    $('access-key-id').focus();
    return;
  }
  $('who-key').textContent = signedInKey();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (view === 'trail') showTrail(params);
  if (view === 'event') showEvent(params.get('eventId'));
  if (view === 'integrity') showIntegrity();
  if (view === 'rules') showRules();
}


$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('sign-in-error');
  signIn($('access-key-id').value.trim(), $('secret-access-key').value);
  try {
    // One cheap signed read proves the key and the auditor role; its error is the API's own.
    await apiJson('/v1/audit/checkpoints');
    $('secret-access-key').value = '';
    render();
  } catch (error) {
    signOut();
    showError('sign-in-error', error instanceof ApiError ? error : { message: String(error) });
  }
});

$('sign-out').addEventListener('click', () => {
  signOut();
  history.pushState(null, '', location.pathname);
  render();
});

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href^="?"]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', render);
window.addEventListener('console:navigate', render);
render();
// The download worker is registered before the first export, which then streams to disk (export.js).
prepareStreamedDownloads();
