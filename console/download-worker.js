// The console's download worker (docs/console.md, "Export"): it streams a signed export to disk without the page
// holding it. A link cannot carry SigV4 headers and the API takes no other auth, so the page makes the signed
// fetch itself and transfers the response's body stream here (postMessage(stream, [stream])); the page then
// navigates to the one-time URL /console/download/<id>, which this worker answers with that stream and
// Content-Disposition: attachment, so the browser's download manager writes the bytes to disk as they arrive.
// Nothing else is intercepted: every other request goes to the network as if there were no worker.

const DOWNLOAD_PATH = /^\/console\/download\/([0-9a-f-]{36})$/;
/** A prepared download the page never asked for (navigation blocked, tab closed) is cancelled after this. */
const UNCLAIMED_MS = 60_000;

/** id -> { stream, fileName, contentType, claimed() }: each is answered once, then forgotten. */
const prepared = new Map();

self.addEventListener('install', () => self.skipWaiting());
// Control the already-open console at once: its next export can use the worker without a reload.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const message = event.data ?? {};
  // 'keep-alive' needs no answer: any message event extends the worker's life while a download runs.
  if (message.type !== 'prepare-download') return;
  const { id, stream, fileName, contentType } = message;
  const claimed = new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (prepared.delete(id)) stream.cancel('the download was not started').catch(() => {});
      resolve();
    }, UNCLAIMED_MS);
    prepared.set(id, { stream, fileName, contentType, claimed: () => (clearTimeout(timer), resolve()) });
  });
  event.ports[0]?.postMessage({ ready: id });
  // Stay alive until the navigation takes the stream (or it expires): a stopped worker would lose it.
  event.waitUntil(claimed);
});

/** A file name safe inside a quoted header value (the server's own name is already ASCII). */
const headerSafe = (name) => String(name).replace(/[^\w.-]/g, '_');

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const match = url.origin === self.location.origin ? DOWNLOAD_PATH.exec(url.pathname) : null;
  if (!match) return;
  const download = prepared.get(match[1]);
  prepared.delete(match[1]);
  if (!download) {
    event.respondWith(new Response('This download link was used already or has expired; start the export again.', { status: 410 }));
    return;
  }
  download.claimed();
  event.respondWith(
    new Response(download.stream, {
      headers: {
        'Content-Type': download.contentType,
        'Content-Disposition': `attachment; filename="${headerSafe(download.fileName)}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    }),
  );
});
