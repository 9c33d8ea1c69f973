// Export of the filtered trail: GET /v1/audit/export is signed (a plain link cannot carry SigV4 headers), read as a
// stream and handed to the browser's blob store chunk by chunk, then saved under the server's file name.
import { signedFetch } from './api.js';
import { $, showError } from './dom.js';

function fileNameOf(response, format) {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match ? match[1] : `certguard-audit.${format}`;
}

export async function startExport(format, filters) {
  const status = $('export-status');
  showError('trail-error');
  status.textContent = 'Exporting…';
  try {
    const response = await signedFetch('/v1/audit/export', { query: { ...filters, format } });
    const reader = response.body.getReader();
    const parts = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Each chunk becomes its own Blob: the browser may page blob data to disk instead of one growing JS string.
      parts.push(new Blob([value]));
      bytes += value.byteLength;
      status.textContent = `Exporting… ${(bytes / 1024).toFixed(0)} KiB`;
    }
    const file = new Blob(parts, { type: response.headers.get('content-type') ?? 'application/octet-stream' });
    const url = URL.createObjectURL(file);
    const link = Object.assign(document.createElement('a'), { href: url, download: fileNameOf(response, format) });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = `Saved ${link.download} (${(bytes / 1024).toFixed(1)} KiB)`;
  } catch (error) {
    status.textContent = '';
    showError('trail-error', error);
  }
}
