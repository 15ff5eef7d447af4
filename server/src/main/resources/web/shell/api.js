// The shell's JSON API client. Sends the CSRF token (from the readable hutong_user_csrf cookie,
// see docs/shell.md) on every state-changing call and an Idempotency-Key where asked.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const CSRF_COOKIE = 'hutong_user_csrf';

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return rest.join('=');
  }
  return '';
}

/** A fresh key for one operation; keep it to retry the same operation. */
export function newIdempotencyKey() {
  return 'web-' + crypto.randomUUID();
}

/**
 * Calls the API. `body` is sent as JSON, unless it is a Blob (a picked picture), which is sent
 * as it is with its own type. `idempotencyKey` goes into the Idempotency-Key header. Resolves
 * with the JSON body; rejects with an ApiError carrying the server's error code and message.
 */
export async function api(method, path, body, { idempotencyKey } = {}) {
  const headers = { Accept: 'application/json' };
  const raw = body instanceof Blob;
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrfToken();
    if (body !== undefined) headers['Content-Type'] = raw ? (body.type || 'application/octet-stream') : 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'No connection to the server. Check your network and try again.');
  }
  let json = {};
  try {
    json = await response.json();
  } catch (e) {
    json = {};
  }
  if (!response.ok) {
    throw new ApiError(response.status, json.error || 'http_' + response.status,
      json.message || 'The request failed (' + response.status + ').');
  }
  return json;
}
