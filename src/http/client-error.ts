/**
 * Requests Node's HTTP parser refuses before express sees them (a raw non-ASCII byte in the path, a malformed
 * request line or header, headers too large) used to get Node's default answer: a bare `400 Bad Request` with
 * an empty body, which the AWS SDKs report as an unknown error. This `clientError` listener answers them in the
 * AWS format instead (status, x-amzn-ErrorType, x-amzn-RequestId, JSON {"message"}) and closes the connection,
 * as Node does: after a parse error the rest of the byte stream cannot be trusted.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface Answer {
  status: number;
  errorType: string;
  message: string;
}

/** The same statuses as Node's default handler, with the AWS error shape of each. */
function answerFor(code: string | undefined): Answer {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, errorType: 'InvalidRequestException', message: 'The request headers are too large' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, errorType: 'PayloadTooLargeException', message: 'The chunk extensions are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, errorType: 'RequestTimeoutException', message: 'The request was not received in time' };
    default:
      return {
        status: 400,
        errorType: 'InvalidRequestException',
        message: 'The request is not valid HTTP/1.1 (the request target must be ASCII; percent-encode other bytes)',
      };
  }
}

export function rawHttpResponse({ status, errorType, message }: Answer): string {
  const body = JSON.stringify({ message });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `x-amzn-ErrorType: ${errorType}\r\n` +
    `x-amzn-RequestId: ${randomUUID()}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

type ClientSocket = Duplex & { _httpMessage?: { headersSent?: boolean } };

export function answerClientErrorsInAwsFormat(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: ClientSocket) => {
    // A reset peer cannot be answered; a response already under way must not be interleaved with another.
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent === true) {
      socket.destroy();
      return;
    }
    socket.end(rawHttpResponse(answerFor(error.code)));
  });
}
