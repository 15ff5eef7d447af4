// Hutong injects the bridge (my.*) into every page; each call takes callbacks or returns a
// promise. BACKEND is your merchant back end: it talks to Hutong's gateway with the official
// Alipay SDK (alipay.system.oauth.token, alipay.trade.create). It must be listed in app.json
// "domains", or the app's Content-Security-Policy blocks the fetch.
const BACKEND = 'http://localhost:9000';
const status = (text) => { document.getElementById('status').textContent = text; };

// Storage is kept per user and app on the server.
my.getStorage({ key: 'visits' })
  .then((r) => Number(r.data || 0) + 1, () => 1)
  .then((visits) => {
    document.getElementById('visits').textContent = String(visits);
    return my.setStorage({ key: 'visits', data: visits });
  })
  .catch((e) => status('storage failed: ' + (e.errorMessage || e.error)));

// The user consents once; the code goes to the back end, which exchanges it for the user's
// open_id and nickname with alipay.system.oauth.token and alipay.user.info.share.
document.getElementById('login').addEventListener('click', async () => {
  try {
    const { authCode } = await my.getAuthCode({ scopes: 'auth_user' });
    const r = await fetch(BACKEND + '/login?auth_code=' + encodeURIComponent(authCode));
    const user = await r.json();
    document.getElementById('greeting').textContent = 'Hello, ' + (user.nick_name || 'friend');
  } catch (e) {
    status('sign-in failed: ' + (e.errorMessage || e.message || e.error));
  }
});

// The back end creates the trade (alipay.trade.create) and returns its trade_no; the user pays
// it in the platform's cashier sheet with the payment PIN. 9000 is success.
document.getElementById('pay').addEventListener('click', async () => {
  try {
    const r = await fetch(BACKEND + '/orders', { method: 'POST' });
    const { trade_no: tradeNo } = await r.json();
    const paid = await my.tradePay({ tradeNO: tradeNo });
    status(paid.resultCode === '9000' ? 'Paid, thank you!' : 'Not paid (' + paid.resultCode + ')');
  } catch (e) {
    status('payment failed: ' + (e.errorMessage || e.message || e.error));
  }
});
