// The runtime's calls to the server's bridge API, with the user's session cookie and the CSRF
// token the shell's double-submit cookie carries (the operator's, for the console's review
// preview under /ops/api).
const CSRF_COOKIE = 'hutong_user_csrf';
const OPS_CSRF_COOKIE = 'hutong_ops_csrf';

function csrfToken(path) {
  const name = path.startsWith('/ops/') ? OPS_CSRF_COOKIE : CSRF_COOKIE;
  const entry = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return entry ? decodeURIComponent(entry.slice(name.length + 1)) : '';
}

/** A failed call: `bridgeError` is the numeric error the app gets. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.bridgeError = (body && body.bridge_error) || (status === 401 ? 4 : 3);
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken(path);
  }
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
