// A hostile mini-program for the browser tests: it tries every escape we know of and reports each
// attempt in its own DOM (<li data-attempt data-blocked>), which the test reads through
// switchTo().frame(). data-blocked="true" means the platform stopped it.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var shell = params.get('shell');
  var victim = params.get('victim');
  var allowed = params.get('allowed');
  var trade = params.get('trade');

  function report(name, blocked, detail) {
    var li = document.createElement('li');
    li.dataset.attempt = name;
    li.dataset.blocked = String(blocked);
    li.textContent = name + ': ' + (blocked ? 'blocked' : 'NOT BLOCKED') + ' ' + (detail || '');
    document.getElementById('results').append(li);
  }

  function sync(name, attempt) {
    try {
      var leaked = attempt();
      report(name, leaked === undefined || leaked === null || leaked === '', 'got ' + String(leaked).slice(0, 80));
    } catch (e) {
      report(name, true, e.name);
    }
  }

  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function fetchAttempt(name, url, init) {
    try {
      var res = await fetch(url, init || {});
      report(name, false, 'HTTP ' + res.status);
    } catch (e) {
      report(name, true, String(e).slice(0, 80));
    }
  }

  async function run() {
    // The shell's DOM, cookies and storage.
    sync('parent-dom', function () { return window.parent.document.body.innerHTML; });
    sync('top-dom', function () { return window.top.document.cookie; });
    sync('cookies', function () { return document.cookie; });
    sync('local-storage', function () { return window.localStorage.length; });
    sync('session-storage', function () { return window.sessionStorage.length; });
    // Leaving the frame: a popup and navigating the top window.
    sync('popup', function () { return window.open('about:blank', '_blank'); });
    sync('navigate-top', function () { window.top.location.href = shell + '/#pwned'; return 'navigated'; });

    // Network: a domain not on the list (the shell's own API, which would carry the session),
    // then the listed one, which must work (so the first failure is the policy, not the network).
    await fetchAttempt('fetch-unlisted', shell + '/api/me', { credentials: 'include' });
    await fetchAttempt('pay-api-direct', shell + '/api/cashier/pay', { method: 'POST',
      credentials: 'include', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trade_no: trade, pin: '123456' }) });
    await fetchAttempt('other-app-storage-api', shell + '/api/apps/' + victim + '/storage/get', {
      method: 'POST', credentials: 'include', body: '{"key":"counter"}' });
    try {
      var ok = await fetch(allowed + '/orders/none');
      report('fetch-listed-works', ok.status === 404, 'HTTP ' + ok.status);
    } catch (e) {
      report('fetch-listed-works', false, String(e));
    }

    // Another app's storage through the bridge: there is no way to name another app.
    try {
      await my.getStorage({ key: 'counter', appId: victim });
      report('other-app-storage-bridge', false, 'answered');
    } catch (e) {
      report('other-app-storage-bridge', e.error === 2, 'error ' + e.error);
    }
    await my.setStorage({ key: 'mine', data: 'hostile' });
    var own = await my.getStorage({ key: 'counter' });
    report('own-storage-only', own.data === null, 'counter in own storage: ' + JSON.stringify(own.data));

    // Pretending to be another app: raw messages to the shell, with a guessed nonce and an app id.
    var answered = false;
    var spy = function (e) { if (e.source === window.parent) answered = true; };
    window.addEventListener('message', spy);
    window.parent.postMessage({ hutong: 'hello', nonce: 'guessed-nonce-0000000000' }, '*');
    window.parent.postMessage({ id: 1, method: 'setStorage', appId: victim,
      payload: { key: 'counter', data: 'pwned' } }, '*');
    window.parent.postMessage({ id: 2, method: 'tradePay', payload: { tradeNO: trade } }, '*');
    await wait(800);
    window.removeEventListener('message', spy);
    report('pretend-other-app', !answered, answered ? 'the shell answered' : 'ignored');

    // Pretending to be the shell: a forged port handed to our own window. The bridge must keep
    // talking to the real shell only.
    var fake = new MessageChannel();
    var hijacked = false;
    fake.port1.onmessage = function () { hijacked = true; };
    var nonce = (location.hash.match(/hutong=([A-Za-z0-9_-]+)/) || [])[1];
    window.postMessage({ hutong: 'port', nonce: nonce, launch: { appId: victim } }, '*', [fake.port2]);
    await wait(200);
    var info = await my.getSystemInfo();
    report('pretend-shell', !hijacked && my.getAccountInfoSync().miniProgram.appId !== victim
      && info.brand === 'Hutong', hijacked ? 'bridge hijacked' : 'ignored');

    // Invalid payloads are refused by the shell's schema check.
    try {
      await my.showToast({ content: { html: '<img src=x onerror=alert(1)>' } });
      report('bad-payload', false, 'accepted');
    } catch (e) {
      report('bad-payload', e.error === 2, 'error ' + e.error);
    }

    // Flooding the bridge: the per-app token bucket refuses the excess at once.
    var calls = [];
    for (var i = 0; i < 400; i++) calls.push(my.getSystemInfo().then(function () { return 'ok'; }, function (e) { return e.error; }));
    var results = await Promise.all(calls);
    var limited = results.filter(function (r) { return r === 429; }).length;
    report('flood', limited > 300, limited + ' of 400 refused');
    await wait(1500);
    var after = await my.getSystemInfo().then(function () { return true; }, function () { return false; });
    report('flood-recovers', after, after ? 'calls work again' : 'still refused');

    // Another merchant's trade: the shell refuses to open the cashier for it at all.
    var foreign = await my.tradePay({ tradeNO: params.get('othertrade') });
    report('trade-of-another-app', foreign.resultCode === '4000', 'resultCode ' + foreign.resultCode);

    document.body.dataset.done = 'yes';

    // Moving money without the PIN: the cashier sheet opens in the shell; the app cannot reach
    // its keypad. The test closes the sheet; the result must not be 9000.
    try {
      var paid = await my.tradePay({ tradeNO: trade });
      report('trade-pay', paid.resultCode !== '9000', 'resultCode ' + paid.resultCode);
    } catch (e) {
      report('trade-pay', true, 'error ' + e.error);
    }
    document.body.dataset.paid = 'yes';
  }

  run().catch(function (e) { report('crashed', false, String(e)); document.body.dataset.done = 'yes'; });
})();
