// Hutong's mini-program bridge: the `my` object inside an app's sandboxed iframe.
//
// Protocol (docs/miniapp-guide.md, "The bridge"): the page's URL fragment carries a launch nonce
// (#hutong=<nonce>). This script says hello to the parent shell with that nonce, posting to the
// shell's exact origin. The shell checks that the message came from the iframe it created
// (event.source) with the opaque origin a sandboxed frame has ("null") and the nonce it put in
// that frame's URL, then hands over a private MessagePort. Every call afterwards goes over the
// port: {id, method, payload} -> {id, ok: true, result} | {id, ok: false, error, errorMessage};
// the shell also sends {event: "show" | "hide" | "toast-closed"}. No other message is ever read.
(function () {
  'use strict';
  var SHELL_ORIGINS = "__HUTONG_SHELL_ORIGINS__";
  var CALL_TIMEOUT_MS = 600000;
  var nonce = (location.hash.match(/hutong=([A-Za-z0-9_-]{16,64})/) || [])[1] || '';
  var port = null;
  var queue = [];
  var pending = new Map();
  var nextId = 1;
  var launch = null;
  var showHandlers = [];
  var hideHandlers = [];
  var METHODS = ['tradePay', 'getAuthCode', 'getExtConfig', 'setStorage', 'getStorage',
    'removeStorage', 'clearStorage', 'getStorageInfo', 'navigateTo', 'redirectTo',
    'switchTab', 'navigateBack', 'showToast', 'hideToast', 'showModal', 'showLoading', 'hideLoading', 'alert',
    'confirm', 'getLocation', 'scan', 'setNavigationBar', 'getSystemInfo'];

  function shellOrigin() {
    var ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length > 0 && SHELL_ORIGINS.indexOf(ancestors[0]) >= 0) {
      return ancestors[0];
    }
    return null;
  }

  function hello() {
    var origin = shellOrigin();
    var targets = origin ? [origin] : SHELL_ORIGINS;
    // An explicit target origin: the message is delivered only if the parent is the shell.
    for (var i = 0; i < targets.length; i++) {
      window.parent.postMessage({ hutong: 'hello', nonce: nonce }, targets[i]);
    }
  }

  window.addEventListener('message', function (event) {
    // Only the parent (the shell) may hand the port over, once, with our nonce.
    if (port !== null || event.source !== window.parent) return;
    if (SHELL_ORIGINS.indexOf(event.origin) < 0) return;
    var data = event.data;
    if (!data || data.hutong !== 'port' || data.nonce !== nonce || !event.ports[0]) return;
    port = event.ports[0];
    launch = data.launch || {};
    port.onmessage = onPortMessage;
    var waiting = queue;
    queue = [];
    waiting.forEach(function (m) { port.postMessage(m); });
  });

  function onPortMessage(event) {
    var m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.event === 'show') { showHandlers.slice().forEach(function (h) { h(launch); }); return; }
    if (m.event === 'hide') { hideHandlers.slice().forEach(function (h) { h(); }); return; }
    var p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result); else p.reject({ error: m.error, errorMessage: m.errorMessage });
  }

  function send(method, payload) {
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      var timer = setTimeout(function () {
        pending.delete(id);
        reject({ error: 3, errorMessage: method + ': the shell did not answer' });
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve: resolve, reject: reject, timer: timer });
      var message = { id: id, method: method, payload: payload === undefined ? {} : payload };
      if (port) port.postMessage(message); else queue.push(message);
    });
  }

  // Alipay style: callbacks (success, fail, complete) and, as well, a promise.
  function api(method, transform) {
    return function (options) {
      var o = options || {};
      var payload = {};
      Object.keys(o).forEach(function (k) {
        if (typeof o[k] !== 'function') payload[k] = o[k];
      });
      var promise = send(method, payload).then(transform || function (r) { return r; });
      promise.then(function (r) {
        if (typeof o.success === 'function') o.success(r);
        if (typeof o.complete === 'function') o.complete(r);
      }, function (e) {
        if (typeof o.fail === 'function') o.fail(e);
        if (typeof o.complete === 'function') o.complete(e);
      });
      // Callers that use callbacks only must not see unhandled rejections.
      if (o.fail || o.complete) promise.catch(function () {});
      return promise;
    };
  }

  // my.request: a fetch from the app's own origin; the CSP's connect-src allows only the app's
  // approved domains, so anything else fails here, in the browser.
  function request(options) {
    var o = options || {};
    var method = (o.method || 'GET').toUpperCase();
    var headers = Object.assign({}, o.headers || o.header || {});
    var url = o.url;
    var body;
    if (o.data !== undefined && (method === 'GET' || method === 'HEAD')) {
      var qs = new URLSearchParams(o.data).toString();
      if (qs) url += (url.indexOf('?') >= 0 ? '&' : '?') + qs;
    } else if (o.data !== undefined) {
      var type = headers['content-type'] || headers['Content-Type'] || 'application/json';
      headers['content-type'] = type;
      body = type.indexOf('json') >= 0 && typeof o.data !== 'string'
        ? JSON.stringify(o.data) : new URLSearchParams(o.data).toString();
    }
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, o.timeout || 30000);
    var promise = fetch(url, { method: method, headers: headers, body: body,
      signal: controller.signal, credentials: 'omit' })
      .then(function (res) {
        var h = {};
        res.headers.forEach(function (v, k) { h[k] = v; });
        var read = (o.dataType || 'json') === 'json' ? res.json() : res.text();
        return read.then(function (data) {
          if (!res.ok) throw { error: 19, errorMessage: 'HTTP ' + res.status, status: res.status, data: data };
          return { data: data, status: res.status, headers: h };
        }, function () { throw { error: 14, errorMessage: 'the response could not be decoded' }; });
      }, function (e) {
        throw controller.signal.aborted ? { error: 13, errorMessage: 'timed out' }
          : { error: 12, errorMessage: 'network error (is the domain in app.json "domains"?): ' + e };
      })
      .finally(function () { clearTimeout(timer); });
    promise.then(function (r) { o.success && o.success(r); o.complete && o.complete(r); },
      function (e) { o.fail && o.fail(e); o.complete && o.complete(e); });
    if (o.fail || o.complete) promise.catch(function () {});
    return promise;
  }

  var my = {
    tradePay: api('tradePay'),
    getAuthCode: api('getAuthCode'),
    getExtConfig: api('getExtConfig'),
    getExtConfigSync: function () { return (launch && launch.ext) || {}; },
    request: request,
    httpRequest: request,
    setStorage: api('setStorage'),
    getStorage: api('getStorage'),
    removeStorage: api('removeStorage'),
    clearStorage: api('clearStorage'),
    getStorageInfo: api('getStorageInfo'),
    navigateTo: api('navigateTo'),
    redirectTo: api('redirectTo'),
    switchTab: api('switchTab'),
    navigateBack: api('navigateBack'),
    showToast: api('showToast'),
    hideToast: api('hideToast'),
    showModal: api('showModal'),
    showLoading: api('showLoading'),
    hideLoading: api('hideLoading'),
    alert: api('alert'),
    confirm: api('confirm'),
    getLocation: api('getLocation'),
    scan: api('scan'),
    setNavigationBar: api('setNavigationBar'),
    getSystemInfo: api('getSystemInfo'),
    getSystemInfoSync: function () { return Object.assign({}, (launch && launch.systemInfo) || {}); },
    getAccountInfoSync: function () {
      return { miniProgram: { appId: launch ? launch.appId : '', envVersion: launch ? launch.envVersion : '',
        version: launch ? launch.version : '' } };
    },
    getLaunchOptionsSync: function () {
      return launch ? { query: launch.query || {}, scene: launch.scene, page: launch.page } : {};
    },
    canIUse: function (name) {
      var base = String(name || '').split('.')[0];
      return METHODS.indexOf(base) >= 0 || typeof my[base] === 'function';
    },
    onShow: function (h) { if (typeof h === 'function') showHandlers.push(h); },
    offShow: function (h) { showHandlers = showHandlers.filter(function (x) { return x !== h; }); },
    onHide: function (h) { if (typeof h === 'function') hideHandlers.push(h); },
    offHide: function (h) { hideHandlers = hideHandlers.filter(function (x) { return x !== h; }); },
    // Resolves once the shell has connected; the launch options come with it.
    ready: function () {
      return port ? Promise.resolve(launch) : send('getSystemInfo').then(function () { return launch; });
    }
  };
  Object.defineProperty(window, 'my', { value: Object.freeze(my), writable: false, configurable: false });
  hello();
})();
