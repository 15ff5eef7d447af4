// Pay: the user's one-time payment code as QR and barcode, for a merchant to scan
// (alipay.trade.pay). A new code every 60 s; each code works once.

import { api } from './api.js';
import { h, header, mount, svgImage, toast } from './ui.js';

let timer = null;

/** Stops the refresh when the user leaves the screen. */
export function leavePay() {
  clearInterval(timer);
  timer = null;
}

export function renderPay(container) {
  leavePay();
  const qr = h('div', { class: 'paycode-qr' });
  const barcode = h('div', { class: 'paycode-barcode' });
  const digits = h('p', { class: 'paycode-digits', 'data-testid': 'paycode-digits' });
  const countdown = h('p', { class: 'paycode-countdown muted' });
  let code = '';
  let shown = false;
  let expires = 0;
  const reveal = h('button', { class: 'btn btn-link', type: 'button', 'data-testid': 'paycode-reveal', onclick: () => {
    shown = !shown;
    render();
  } }, 'Show number');
  const render = () => {
    digits.textContent = shown ? code.replace(/(\d{4})(?=\d)/g, '$1 ')
      : code.slice(0, 4) + ' **** **** ' + code.slice(-4);
    reveal.textContent = shown ? 'Hide number' : 'Show number';
  };
  const tick = () => {
    const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    countdown.textContent = 'Refreshes in ' + left + ' s · each code works once';
  };
  const refresh = async () => {
    try {
      const c = await api('POST', '/api/payment-codes');
      code = c.auth_code;
      expires = Date.now() + c.refresh_seconds * 1000;
      qr.replaceChildren(svgImage(c.qr_svg, 'Payment QR code', 'paycode-img'));
      barcode.replaceChildren(svgImage(c.barcode_svg, 'Payment barcode', 'paycode-img'));
      container.querySelector('.paycode-card')?.setAttribute('data-code-ready', 'true');
      render();
      tick();
    } catch (e) {
      toast(e.message, 'error');
    }
  };
  mount(container, header('Pay'),
    h('section', { class: 'paycode-card' },
      h('p', { class: 'paycode-title' }, 'Show this to the cashier'),
      barcode, digits, reveal, qr, countdown,
      h('button', { class: 'btn btn-secondary', type: 'button', onclick: refresh }, 'Refresh now')));
  refresh();
  timer = setInterval(() => {
    if (Date.now() >= expires) refresh();
    else tick();
  }, 1000);
}
