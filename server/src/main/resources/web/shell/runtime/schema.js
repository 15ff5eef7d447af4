// Payload schemas for every bridge method: the host validates each call before acting on it. A
// schema maps each allowed key to a checker; unknown keys, wrong types and out-of-range values
// are refused (error 2, "invalid parameter") with the key named, and nothing happens.

export class InvalidPayload extends Error {}

const str = (max, pattern) => (v, k) => {
  if (typeof v !== 'string' || v.length > max || (pattern && !pattern.test(v))) {
    throw new InvalidPayload(`${k} must be a string of at most ${max} characters`
      + (pattern ? ` matching ${pattern}` : ''));
  }
};
const int = (min, max) => (v, k) => {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new InvalidPayload(`${k} must be an integer from ${min} to ${max}`);
  }
};
const bool = (v, k) => {
  if (typeof v !== 'boolean') throw new InvalidPayload(`${k} must be true or false`);
};
const oneOf = (...values) => (v, k) => {
  if (!values.includes(v)) throw new InvalidPayload(`${k} must be one of ${values.join(', ')}`);
};
const color = str(7, /^#[0-9a-fA-F]{6}$/);
const any = () => {};
const scopes = (v, k) => {
  const list = Array.isArray(v) ? v : [v];
  if (list.length < 1 || list.length > 2
    || !list.every((s) => s === 'auth_base' || s === 'auth_user')) {
    throw new InvalidPayload(`${k} must be auth_base, auth_user or a list of them`);
  }
};
const scanTypes = (v, k) => {
  if (!Array.isArray(v) || v.length > 2 || !v.every((t) => t === 'qrCode' || t === 'barCode')) {
    throw new InvalidPayload(`${k} must be a list of qrCode and barCode`);
  }
};
const storageKey = str(1024);

const SCHEMAS = {
  tradePay: { required: ['tradeNO'], keys: { tradeNO: str(64, /^[0-9A-Za-z_-]+$/) } },
  getAuthCode: { required: ['scopes'], keys: { scopes } },
  getExtConfig: { keys: {} },
  setStorage: { required: ['key', 'data'], keys: { key: storageKey, data: any } },
  getStorage: { required: ['key'], keys: { key: storageKey } },
  removeStorage: { required: ['key'], keys: { key: storageKey } },
  clearStorage: { keys: {} },
  getStorageInfo: { keys: {} },
  navigateTo: { required: ['url'], keys: { url: str(1024) } },
  redirectTo: { required: ['url'], keys: { url: str(1024) } },
  switchTab: { required: ['url'], keys: { url: str(1024) } },
  navigateBack: { keys: { delta: int(1, 10) } },
  showToast: { keys: { content: str(200), type: oneOf('none', 'success', 'fail', 'exception'),
    duration: int(0, 10000) } },
  hideToast: { keys: {} },
  showModal: { keys: { title: str(64), content: str(1000), showCancel: bool,
    confirmText: str(16), cancelText: str(16) } },
  alert: { keys: { title: str(64), content: str(1000), buttonText: str(16) } },
  confirm: { keys: { title: str(64), content: str(1000), confirmButtonText: str(16),
    cancelButtonText: str(16) } },
  showLoading: { keys: { content: str(64), delay: int(0, 10000) } },
  hideLoading: { keys: {} },
  getLocation: { keys: { type: int(0, 3), cacheTimeout: int(0, 86400) } },
  scan: { keys: { scanType: scanTypes, hideAlbum: bool, type: oneOf('qr', 'bar') } },
  setNavigationBar: { keys: { title: str(64), backgroundColor: color } },
  getSystemInfo: { keys: {} },
};

/** The methods the bridge knows. */
export const METHODS = Object.freeze(Object.keys(SCHEMAS));

/** Checks a call; throws InvalidPayload naming what is wrong. */
export function validate(method, payload) {
  const schema = SCHEMAS[method];
  if (!schema) throw new InvalidPayload(`unknown method ${String(method).slice(0, 64)}`);
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new InvalidPayload('the payload must be an object');
  }
  for (const key of Object.keys(payload)) {
    const check = schema.keys[key];
    if (!check) throw new InvalidPayload(`${method} takes no parameter ${key.slice(0, 64)}`);
    check(payload[key], key);
  }
  for (const key of schema.required || []) {
    if (!(key in payload)) throw new InvalidPayload(`${method} needs ${key}`);
  }
}
