// The signed client: credentials live in sessionStorage of this tab only (never localStorage or a cookie), and
// every call to certguard's API is SigV4-signed here with aws4fetch. Errors are the API's own AWS-format errors.
import { AwsClient } from './vendor/aws4fetch.js';

const STORAGE_KEY = 'certguard.console.credentials';
let client;
let settings;

export async function consoleSettings() {
  if (!settings) settings = await (await fetch('config.json')).json();
  return settings;
}

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

function storedCredentials() {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  return raw ? JSON.parse(raw) : undefined;
}

export function signedInKey() {
  return storedCredentials()?.accessKeyId;
}

async function currentClient() {
  if (client) return client;
  const credentials = storedCredentials();
  if (!credentials) throw new ApiError(401, 'SignedOut', 'Sign in first.');
  const { region, service } = await consoleSettings();
  client = new AwsClient({ ...credentials, region, service, retries: 0 });
  return client;
}

export function signIn(accessKeyId, secretAccessKey) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ accessKeyId, secretAccessKey }));
  client = undefined;
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  client = undefined;
}

export function apiUrl(path, query = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  // aws4fetch signs the query as URLSearchParams encodes it; certguard decodes '+' as a space either way.
  return url.toString();
}

/** A signed request; returns the Response when ok, throws ApiError with the API's message otherwise. */
export async function signedFetch(path, { query, method = 'GET', body, headers = {} } = {}) {
  const aws = await currentClient();
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const response = await aws.fetch(apiUrl(path, query), init);
  if (response.ok) return response;
  const type = response.headers.get('x-amzn-ErrorType')?.split(':')[0] ?? `HTTP ${response.status}`;
  let message = response.statusText;
  try {
    message = (await response.json()).message ?? message;
  } catch {
    // not JSON: keep the status text
  }
  throw new ApiError(response.status, type, message);
}

export async function apiJson(path, options) {
  return (await signedFetch(path, options)).json();
}
