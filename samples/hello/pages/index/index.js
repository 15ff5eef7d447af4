// The hello sample: greets the user by nickname (my.getAuthCode + the merchant's back end), counts
// visits in my.setStorage, and pays for a cup of tea with my.tradePay.
import { MERCHANT } from '../../config.js';

const $ = (id) => document.getElementById(id);
let session = null;

function say(text) {
  $('status').textContent = text;
}

async function countVisit() {
  const { data } = await my.getStorage({ key: 'counter' });
  const visits = (typeof data === 'number' ? data : 0) + 1;
  await my.setStorage({ key: 'counter', data: visits });
  $('counter').textContent = String(visits);
}

async function merchant(method, path, body) {
  const res = await my.request({
    url: MERCHANT + path, method, data: body,
    headers: session ? { authorization: 'Bearer ' + session } : {},
  });
  return res.data;
}

async function logIn() {
  // auth_user: the shell asks the user first; the code goes to our back end, which exchanges it
  // with alipay.system.oauth.token and reads the nickname with alipay.user.info.share.
  const { authCode } = await my.getAuthCode({ scopes: 'auth_user' });
  const me = await merchant('POST', '/login', { authCode });
  session = me.session;
  $('greeting').textContent = `Hello, ${me.nickName || 'friend'}!`;
}

async function pay() {
  if (!session) await logIn();
  say('Creating your order…');
  const order = await merchant('POST', '/orders', {});
  const { resultCode } = await my.tradePay({ tradeNO: order.tradeNo });
  if (resultCode !== '9000') {
    say(resultCode === '6001' ? 'Payment cancelled.' : `Payment failed (${resultCode}).`);
    return;
  }
  // 9000 is only a hint: ask our back end, which trusts the signed notification.
  say('Paid. Waiting for the merchant to confirm…');
  for (let i = 0; i < 40; i++) {
    const state = await merchant('GET', '/orders/' + encodeURIComponent(order.outTradeNo));
    if (state.notified) {
      say(`Paid: ${state.status} (merchant notified)`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  say('Paid; the merchant has not been notified yet.');
}

function guard(fn) {
  return () => fn().catch((e) => say(`Something went wrong: ${e.errorMessage || e.message || e}`));
}

$('login').addEventListener('click', guard(logIn));
$('pay').addEventListener('click', guard(pay));
$('about').addEventListener('click', () => my.navigateTo({ url: 'pages/about/about?from=index' }));
my.onShow(() => document.body.dataset.visible = 'yes');
my.onHide(() => document.body.dataset.visible = 'no');
guard(countVisit)();
