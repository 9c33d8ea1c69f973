// Export of the filtered trail. GET /v1/audit/export is signed (a plain link cannot carry SigV4 headers), so the
// page makes the request; its body then goes straight to disk through the download worker
// (download-worker.js): the page transfers the response stream to the worker and navigates to a one-time URL
// that the worker answers with that stream as an attachment. The page holds one chunk at a time, never the file.
// Without service workers (the page is not on HTTPS or localhost, or the browser has none) it falls back to
// collecting the chunks as Blobs in the page and saving them at the end, and says so.
import { signedFetch } from './api.js';
import { $, showError } from './dom.js';

/** How long the worker may take to become active, or to take a stream, before the page gives up on it. */
const WORKER_ANSWER_MS = 5_000;
/** A message to the worker this often keeps it alive while it streams a long download. */
const KEEP_ALIVE_MS = 10_000;

/** Promise of the active download worker (a ServiceWorker), or of undefined when exports cannot stream. */
let activeWorker;

/** Registers the download worker (once); resolves to whether exports stream to disk. Called when the page loads. */
export function prepareStreamedDownloads() {
  activeWorker ??= registerWorker();
  return activeWorker.then((active) => {
    $('export-mode').textContent = active
      ? ''
      : 'Streaming to disk needs a service worker (HTTPS or localhost): this export is collected in the page, then saved.';
    return active !== undefined;
  });
}

/** The active download worker, or undefined when there is none (the Blob path still works then). */
async function registerWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return undefined;
  try {
    const registration = await navigator.serviceWorker.register('download-worker.js', { scope: './' });
    // A registration refused by a browser policy or an extension may resolve to nothing; `ready` would never settle.
    if (!registration) return undefined;
    const timeout = new Promise((resolve) => setTimeout(resolve, WORKER_ANSWER_MS));
    return (await Promise.race([navigator.serviceWorker.ready, timeout]))?.active ?? undefined;
  } catch {
    return undefined;
  }
}

function fileNameOf(response, format) {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match ? match[1] : `certguard-audit.${format}`;
}

const kib = (bytes, digits = 0) => `${(bytes / 1024).toFixed(digits)} KiB`;

/** The response body, chunk by chunk as the consumer pulls, counting bytes; `finished` settles with the transfer. */
function countedBody(response, onBytes) {
  const reader = response.body.getReader();
  let bytes = 0;
  let settle;
  const finished = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  finished.catch(() => {}); // awaited by streamToDisk, unless the worker never took the stream
  const stream = new ReadableStream(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            settle.resolve(bytes);
            return;
          }
          bytes += value.byteLength;
          onBytes(bytes);
          controller.enqueue(value);
        } catch (error) {
          controller.error(error);
          settle.reject(error);
        }
      },
      cancel(reason) {
        reader.cancel(reason).catch(() => {});
        settle.reject(new Error('The download was cancelled.'));
      },
    },
    // Pull only when the download asks for more: no queue of chunks builds up in the page.
    { highWaterMark: 0 },
  );
  return { stream, finished };
}

/** Hands the stream to the worker and starts the download; resolves with the bytes written. */
async function streamToDisk(active, response, fileName, onBytes) {
  const { stream, finished } = countedBody(response, onBytes);
  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const taken = new Promise((resolve, reject) => {
    channel.port1.onmessage = resolve;
    setTimeout(() => reject(new Error('The download worker did not answer; reload the page and try again.')), WORKER_ANSWER_MS);
  });
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  active.postMessage({ type: 'prepare-download', id, stream, fileName, contentType }, [stream, channel.port2]);
  await taken;
  const link = Object.assign(document.createElement('a'), { href: `download/${id}` });
  document.body.append(link);
  link.click();
  link.remove();
  const keepAlive = setInterval(() => active.postMessage({ type: 'keep-alive' }), KEEP_ALIVE_MS);
  try {
    return await finished;
  } finally {
    clearInterval(keepAlive);
  }
}

/** The fallback: every chunk becomes its own Blob (the browser may page blob data to disk), saved at the end. */
async function collectAndSave(response, fileName, onBytes) {
  const reader = response.body.getReader();
  const parts = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(new Blob([value]));
    bytes += value.byteLength;
    onBytes(bytes);
  }
  const file = new Blob(parts, { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  const url = URL.createObjectURL(file);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return bytes;
}

export async function startExport(format, filters) {
  const status = $('export-status');
  const button = $('export');
  showError('trail-error');
  status.textContent = 'Exporting…';
  button.disabled = true;
  try {
    const active = (await prepareStreamedDownloads()) ? await activeWorker : undefined;
    const response = await signedFetch('/v1/audit/export', { query: { ...filters, format } });
    const fileName = fileNameOf(response, format);
    const onBytes = (bytes) => {
      status.textContent = `Exporting… ${kib(bytes)}`;
    };
    const bytes = active ? await streamToDisk(active, response, fileName, onBytes) : await collectAndSave(response, fileName, onBytes);
    status.textContent = `Saved ${fileName} (${kib(bytes, 1)}${active ? ', streamed to disk' : ''})`;
    status.dataset.mode = active ? 'streamed' : 'collected';
  } catch (error) {
    status.textContent = '';
    showError('trail-error', error);
  } finally {
    button.disabled = false;
  }
}
