/**
 * Names the server span after the matched route (`http.route`, and the span name `POST /transfer-certificate/:certificateId`)
 * without the Express instrumentation. That instrumentation wraps every router layer of every request to learn
 * the route; with its spans already switched off it still cost ~3% of a decision's CPU (a CPU profile under load,
 * docs/telemetry.md#what-it-costs). The HTTP instrumentation reads the route from the request's RPC metadata
 * when the response finishes; this sets it when the headers are written, by which time Express has matched
 * the route. Without the OpenTelemetry SDK there is no RPC metadata and this does nothing.
 */
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { NextFunction, Request, Response } from 'express';

/** The route pattern as written in the router, under its mount path; undefined when no route matched. */
export function routePattern(req: Request): string | undefined {
  const path = req.route?.path;
  return path === undefined ? undefined : `${req.baseUrl}${String(path)}`;
}

export function routeAttribute(req: Request, res: Response, next: NextFunction): void {
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type === RPCType.HTTP) {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithRoute(this: Response, ...args: Parameters<Response['writeHead']>) {
      const route = routePattern(req);
      if (route !== undefined) metadata.route = route;
      return writeHead.apply(this, args);
    } as Response['writeHead'];
  }
  next();
}
