/**
 * The audit console (docs/console.md): static files from console/ at /console/, served before authentication — the
 * page needs no credentials, every data call it makes is SigV4-signed in the browser. aws4fetch and chart.js are
 * served from node_modules at /console/vendor/ (no CDN: the console makes no external network calls).
 * /console/config.json tells the page what it cannot know: the signing region and the trace link template.
 * console/download-worker.js is a service worker (scope /console/, allowed by `worker-src 'self'`) that streams an
 * export to disk; its one-time /console/download/<id> URLs reach the server only when it is gone.
 */
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { PROJECT_ROOT } from '../config.ts';

export interface ConsoleContext {
  region: string;
  config: { traceUrlTemplate?: string };
}

const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'aws4fetch.js': path.join(PROJECT_ROOT, 'node_modules', 'aws4fetch', 'dist', 'aws4fetch.esm.mjs'),
  'chart.js': path.join(PROJECT_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'),
};

/**
 * Only same-origin scripts, styles, images and calls; no inline script; never framed (clickjacking of a signed-in page);
 * no referrer (a filtered URL names accounts and certificates).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  // The download worker (console/download-worker.js) that streams an export to disk.
  "worker-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-cache');
  next();
};

export function consoleRouter(ctx: ConsoleContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.get('/console', (_req, res) => res.redirect(301, '/console/'));
  router.use('/console/', securityHeaders);
  router.get('/console/config.json', (_req, res) => {
    res.json({ region: ctx.region, service: 'iot', traceUrlTemplate: ctx.config.traceUrlTemplate ?? null });
  });
  // A download URL reaches the server only when the download worker is gone (it answers them itself): say so.
  router.get('/console/download/:id', (_req, res) => {
    res.status(410).type('text/plain').send('This download link is answered by the console page in the same browser; start the export again.');
  });
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    router.get(`/console/vendor/${name}`, (_req, res) => res.type('text/javascript').sendFile(file));
  }
  router.use('/console/', express.static(CONSOLE_DIR, { index: 'index.html', redirect: false, fallthrough: true }));
  return router;
}
