/**
 * Requests captured from real AWS clients (../shared/reference/aws-iot-wire-contract.md §6.1–6.5), kept as
 * data: method, request target, raw headers in arrival order, body, and the instant they were signed. They
 * were signed with AWS's example credentials, so they are SigV4 test vectors for the verifier (and can be
 * replayed through the app by integration tests).
 */
import type { SignedRequest } from '../../src/auth/sigv4.ts';

export const EXAMPLE_CREDENTIAL = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
} as const;

export const EXAMPLE_REGION = 'us-east-1';

export interface CapturedRequest {
  /** Wire-contract section, client and operation. */
  source: string;
  method: string;
  /** Request target as sent: raw path, then `?query` if any. */
  target: string;
  /** When it was signed (its X-Amz-Date), ISO-8601. */
  date: string;
  /** `Name: value` lines exactly as captured. */
  rawHeaders: string[];
  body: string;
}

/** The request as Node hands it to the verifier: lowercased header names, target split at the first '?'. */
export function toSignedRequest(captured: CapturedRequest): SignedRequest {
  const headers: Record<string, string> = {};
  for (const line of captured.rawHeaders) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const queryStart = captured.target.indexOf('?');
  return {
    method: captured.method,
    rawPath: queryStart === -1 ? captured.target : captured.target.slice(0, queryStart),
    rawQuery: queryStart === -1 ? '' : captured.target.slice(queryStart + 1),
    headers,
    body: Buffer.from(captured.body, 'utf8'),
  };
}

export function findCaptured(source: string): CapturedRequest {
  const found = CAPTURED_REQUESTS.find((c) => c.source === source);
  if (found === undefined) throw new Error(`no captured request "${source}"`);
  return found;
}

export const CAPTURED_REQUESTS: readonly CapturedRequest[] = [
  {
    source: '§6.1 aws-cli 2.9.19: transfer-certificate',
    method: 'PATCH',
    target: '/transfer-certificate/abababababababababababababababababababababababababababababababab?targetAwsAccount=123456789012',
    date: '2026-11-26T12:42:25Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'Content-Type: application/json',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.transfer-certificate',
      'X-Amz-Date: 20261126T124225Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=49684695f20f61203cdbe0cd335dd0c1cf94a2c12e8830a9f964f4e02ae28e79',
      'Content-Length: 25',
    ],
    body: '{"transferMessage": "hi"}',
  },
  {
    source: '§6.1 aws-cli 2.9.19: accept-certificate-transfer',
    method: 'PATCH',
    target: '/accept-certificate-transfer/abababababababababababababababababababababababababababababababab?setAsActive=true',
    date: '2026-11-26T12:42:31Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.accept-certificate-transfer',
      'X-Amz-Date: 20261126T124231Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=12aa464779b160cf1c96e0c119ce854b4beb9197617142676c3f871ded8d5ad9',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: reject-certificate-transfer',
    method: 'PATCH',
    target: '/reject-certificate-transfer/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:42:35Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'Content-Type: application/json',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.reject-certificate-transfer',
      'X-Amz-Date: 20261126T124235Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=c6aa66a67f72759567373b0e99b59ab918bd0c0fa3197eb59d8642c7c05d9077',
      'Content-Length: 29',
    ],
    body: '{"rejectReason": "no thanks"}',
  },
  {
    source: '§6.1 aws-cli 2.9.19: cancel-certificate-transfer',
    method: 'PATCH',
    target: '/cancel-certificate-transfer/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:42:39Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.cancel-certificate-transfer',
      'X-Amz-Date: 20261126T124239Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=491f9ec29b462581987f835e942929ee87567b15803f5033c9993c2c3d871a9e',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: update-certificate',
    method: 'PUT',
    target: '/certificates/abababababababababababababababababababababababababababababababab?newStatus=INACTIVE',
    date: '2026-11-26T12:42:45Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.update-certificate',
      'X-Amz-Date: 20261126T124245Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=4f8373fcd900b9a2921d2adef068e55fb0dc270601de1339dee9256717bfca55',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: describe-certificate',
    method: 'GET',
    target: '/certificates/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:42:48Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.describe-certificate',
      'X-Amz-Date: 20261126T124248Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=4051025cf49fb85f3e8a6663522ad27835089e747870e20d7910c93dbb175610',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: list-certificates',
    method: 'GET',
    target: '/certificates?pageSize=2&isAscendingOrder=true',
    date: '2026-11-26T12:42:51Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.list-certificates',
      'X-Amz-Date: 20261126T124251Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5723268cd9006d42dcbaa05d10053a40b4f0ccd60d85b3018acea518c0832e30',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: detach-principal-policy',
    method: 'DELETE',
    target: '/principal-policies/MyPolicy',
    date: '2026-11-26T12:42:56Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'x-amzn-iot-principal: arn:aws:iot:us-east-1:123456789012:cert/abababababababababababababababababababababababababababababababab',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.detach-principal-policy',
      'X-Amz-Date: 20261126T124256Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-amzn-iot-principal, Signature=1aa1083050784456eb3b60a46ad191f63984bd7aa0226a697f76220ce61447f6',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.1 aws-cli 2.9.19: attach-policy',
    method: 'PUT',
    target: '/target-policies/MyPolicy',
    date: '2026-11-26T12:43:00Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'Content-Type: application/json',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.attach-policy',
      'X-Amz-Date: 20261126T124300Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00ed9e2f5960100f7ccdbc667fd08a65854020082a3177817fcbeac49cb4fb0c',
      'Content-Length: 118',
    ],
    body: '{"target": "arn:aws:iot:us-east-1:123456789012:cert/abababababababababababababababababababababababababababababababab"}',
  },
  {
    source: '§6.2 aws-cli 2.9.19 + session token: transfer-certificate',
    method: 'PATCH',
    target: '/transfer-certificate/abababababababababababababababababababababababababababababababab?targetAwsAccount=123456789012',
    date: '2026-11-26T12:43:07Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'Content-Type: application/json',
      'User-Agent: aws-cli/2.9.19 Python/3.11.2 Linux/6.18.44-fc-v782 source/x86_64.debian.12 prompt/off command/iot.transfer-certificate',
      'X-Amz-Date: 20261126T124307Z',
      'X-Amz-Security-Token: FQoGZXIvYXdzEXAMPLETOKEN',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=a2efb541134bdcee9488fe4652bdbefdcbc10d1ba56e93b6691a36b133b430f0',
      'Content-Length: 25',
    ],
    body: '{"transferMessage": "hi"}',
  },
  {
    source: '§6.3 JS SDK v3: transfer-certificate',
    method: 'PATCH',
    target: '/transfer-certificate/abababababababababababababababababababababababababababababababab?targetAwsAccount=123456789012',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'content-type: application/json',
      'content-length: 24',
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: 78f5f3f93d07bfa090bc54b959abe9a469637a202cb7978fada3e743d4694f2c',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=f0404d5905e45d5237fd820342ff19ccab7f23bb137b56ae0807ae83b018300a',
      'Connection: keep-alive',
    ],
    body: '{"transferMessage":"hi"}',
  },
  {
    source: '§6.3 JS SDK v3: accept-certificate-transfer',
    method: 'PATCH',
    target: '/accept-certificate-transfer/abababababababababababababababababababababababababababababababab?setAsActive=true',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=c521bee1faf503bb7ed43352eb9a2200e9d2a50ccf0282452855b0afbcebcb32',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: reject-certificate-transfer',
    method: 'PATCH',
    target: '/reject-certificate-transfer/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'content-type: application/json',
      'content-length: 28',
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: 3e436bb427319bc5c3b524c772c24155ff8527a15d3078a7e17d7a1e0cbb345f',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=4aba235df24da30fc5454e4568a171d3d48e9b5347ae9107241911162d928942',
      'Connection: keep-alive',
    ],
    body: '{"rejectReason":"no thanks"}',
  },
  {
    source: '§6.3 JS SDK v3: cancel-certificate-transfer',
    method: 'PATCH',
    target: '/cancel-certificate-transfer/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=d4c98acfe155dc617862a6a629955f0749b23413d3987532274c24de220ac3ec',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: update-certificate',
    method: 'PUT',
    target: '/certificates/abababababababababababababababababababababababababababababababab?newStatus=INACTIVE',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=b6380f8197def47828dac9d46efee61498ef42b8a6ed7d7d2576e8e31d1db5d3',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: describe-certificate',
    method: 'GET',
    target: '/certificates/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=b024347c79559c06feec65b2926f509c614fdffc03cd8d02944fadbc69d409dc',
      'Connection: keep-alive',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: list-certificates',
    method: 'GET',
    target: '/certificates?isAscendingOrder=true&pageSize=2',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=1908bba3449e137e3e27521cf27b339c80dc7de21f1c750bca4fe9d36c0b362b',
      'Connection: keep-alive',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: detach-principal-policy',
    method: 'DELETE',
    target: '/principal-policies/MyPolicy',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amzn-iot-principal: arn:aws:iot:us-east-1:123456789012:cert/abababababababababababababababababababababababababababababababab',
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent;x-amzn-iot-principal, Signature=6b5fabe7c6c8fdacb99e3eaf41575c2a698b357f145bf5ab0cf0f70bccb05ac8',
      'Connection: keep-alive',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: attach-policy',
    method: 'PUT',
    target: '/target-policies/MyPolicy',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'content-type: application/json',
      'content-length: 117',
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: 21e4888f312fde09d30b0a27a652ccf3f02a37416b96a4055fa39e0e58798dad',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=fe3bab373bdb66e99b59cbf48c79cafcda9c7ef912538626a4e08ea371f87729',
      'Connection: keep-alive',
    ],
    body: '{"target":"arn:aws:iot:us-east-1:123456789012:cert/abababababababababababababababababababababababababababababababab"}',
  },
  {
    source: '§6.3 JS SDK v3: list-attached-policies',
    method: 'POST',
    target:
      '/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Acert%2Fabababababababababababababababababababababababababababababababab?pageSize=3&recursive=true',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=f9514d9068a4334cc98bac00a6152103d740ec7b3f821e5791d578c01d427ffc',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: create-keys-and-certificate',
    method: 'POST',
    target: '/keys-and-certificate?setAsActive=true',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=3000afce02974b4619c08d19ca9d23e2d9757ce44598c34c6c8c6ff38b02a541',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.3 JS SDK v3: list-targets-for-policy',
    method: 'POST',
    target: '/policy-targets/MyPolicy?pageSize=3',
    date: '2026-11-26T12:44:23Z',
    rawHeaders: [
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124423Z',
      'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=cc5388b5b200b932fce7a013942ec641874c2910339efac5a424779ff65896dd',
      'Connection: keep-alive',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.4 JS SDK v3 + session token: transfer-certificate',
    method: 'PATCH',
    target: '/transfer-certificate/abababababababababababababababababababababababababababababababab?targetAwsAccount=123456789012',
    date: '2026-11-26T12:44:27Z',
    rawHeaders: [
      'content-type: application/json',
      'content-length: 24',
      'x-amz-user-agent: aws-sdk-js/3.1168.0',
      'user-agent: aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18.44-fc-v782 lang/js md/nodejs#20.20.2 api/iot#3.1168.0 m/N,E,e',
      'host: 127.0.0.1:18443',
      'x-amz-date: 20261126T124427Z',
      'x-amz-security-token: FQoGZXIvYXdzEXAMPLETOKEN',
      'x-amz-content-sha256: 78f5f3f93d07bfa090bc54b959abe9a469637a202cb7978fada3e743d4694f2c',
      'authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-user-agent, Signature=01992e2c3ca1cee24d90e1770ec62909afda54743c8d2b0e82e4f5921e04829a',
      'Connection: keep-alive',
    ],
    body: '{"transferMessage":"hi"}',
  },
  {
    source: '§6.5 boto3 1.43.11: transfer-certificate',
    method: 'PATCH',
    target: '/transfer-certificate/abababababababababababababababababababababababababababababababab?targetAwsAccount=123456789012',
    date: '2026-11-26T12:44:35Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'Content-Type: application/json',
      'User-Agent: Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v782 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,E,Z,N,b cfg/retry-mode#standard Botocore/1.43.11',
      'X-Amz-Date: 20261126T124435Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=db101d62929a159196261019798130b9fb6d38e79bc5e35014131ac0a3042609',
      'amz-sdk-invocation-id: a284ef0c-ccc9-43ee-b631-3650849447d6',
      'amz-sdk-request: attempt=1',
      'Content-Length: 25',
    ],
    body: '{"transferMessage": "hi"}',
  },
  {
    source: '§6.5 boto3 1.43.11: accept-certificate-transfer',
    method: 'PATCH',
    target: '/accept-certificate-transfer/abababababababababababababababababababababababababababababababab?setAsActive=true',
    date: '2026-11-26T12:44:35Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v782 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,E,Z,N,b cfg/retry-mode#standard Botocore/1.43.11',
      'X-Amz-Date: 20261126T124435Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=e195580b92070fe8e55a59f777bbc66430116005df0398cf979e80a97c0945ac',
      'amz-sdk-invocation-id: a8d523a7-4fd4-4ff9-b0f6-15ccbd9a976e',
      'amz-sdk-request: attempt=1',
      'Content-Length: 0',
    ],
    body: '',
  },
  {
    source: '§6.5 boto3 1.43.11: describe-certificate',
    method: 'GET',
    target: '/certificates/abababababababababababababababababababababababababababababababab',
    date: '2026-11-26T12:44:35Z',
    rawHeaders: [
      'Host: 127.0.0.1:18443',
      'Accept-Encoding: identity',
      'User-Agent: Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v782 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,E,Z,N,b cfg/retry-mode#standard Botocore/1.43.11',
      'X-Amz-Date: 20261126T124435Z',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/iot/aws4_request, SignedHeaders=host;x-amz-date, Signature=6c161d70b07f201cc271057ae3fa079f1769910f6f8535423dbfe0e26d2a37a7',
      'amz-sdk-invocation-id: 3a4e8039-8ff9-45d4-bc72-a00c184490ab',
      'amz-sdk-request: attempt=1',
    ],
    body: '',
  },
];
