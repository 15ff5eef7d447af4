// The cashier sheet: the one way money leaves a wallet. Shows the merchant, amount and subject,
// takes the 6-digit payment PIN on a keypad, and pays. The mini-program runtime's my.tradePay
// calls openCashier; keep its contract:
//   openCashier({tradeNo}) : Promise<{resultCode: '9000'|'6001'|'4000', tradeNo}>
// 9000 paid, 6001 the user closed the sheet, 4000 the trade can not be paid.

import { api, newIdempotencyKey } from './api.js';
import { h, icon, yuan } from './ui.js';

const PIN_DIGITS = 6;

export function openCashier({ tradeNo }) {
  return new Promise((resolve) => {
    const sheet = new Sheet('Confirm payment', (code) => resolve({ resultCode: code, tradeNo }));
    api('GET', '/api/cashier/trades/' + encodeURIComponent(String(tradeNo || '')))
      .then((trade) => {
        sheet.showTrade(trade.merchant_name, trade.amount, trade.subject);
        if (!trade.payable) {
          sheet.fail(trade.status === 'TRADE_CLOSED' ? 'This order is closed and can no longer be paid.'
            : 'This order has been paid already.');
          return;
        }
        sheet.askPin((pin) => api('POST', '/api/cashier/pay', { trade_no: trade.trade_no, pin }));
      })
      .catch((e) => sheet.fail(e.message));
  });
}

/**
 * A street merchant's collect-money code: the user enters the amount, then the PIN. Resolves
 * like openCashier (tradeNo is the new trade's once paid).
 */
export function openCollect({ code, merchantName }) {
  return new Promise((resolve) => {
    let paidTradeNo = null;
    const sheet = new Sheet('Pay ' + merchantName, (resultCode) => resolve({ resultCode, tradeNo: paidTradeNo }));
    sheet.askAmount(merchantName, (amount) => {
      // One key per amount: a retry after a wrong PIN pays the same trade, never a second one.
      const key = newIdempotencyKey();
      sheet.showTrade(merchantName, amount, 'Payment to ' + merchantName);
      sheet.askPin(async (pin) => {
        const paid = await api('POST', '/api/cashier/collect', { code, amount, pin }, { idempotencyKey: key });
        paidTradeNo = paid.trade_no;
        return paid;
      });
    });
  });
}

class Sheet {
  constructor(title, done) {
    this.done = done;
    this.settled = false;
    this.body = h('div', { class: 'sheet-body' });
    this.root = h('div', { class: 'sheet-backdrop', 'data-testid': 'cashier' },
      h('section', { class: 'sheet', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
        h('div', { class: 'sheet-head' },
          h('button', { class: 'sheet-close', 'aria-label': 'Close', onclick: () => this.close('6001') }, icon('close')),
          h('h2', {}, title)),
        this.body));
    this.body.append(h('p', { class: 'sheet-loading' }, 'Loading…'));
    document.getElementById('sheet-root').append(this.root);
    this.onKey = (e) => this.key(e);
    document.addEventListener('keydown', this.onKey);
  }

  close(code) {
    if (this.settled) return;
    this.settled = true;
    document.removeEventListener('keydown', this.onKey);
    this.root.remove();
    // Once paid, closing early still reports the payment; once failed, it reports the failure.
    this.done(this.paid ? '9000' : this.failed ? '4000' : code);
  }

  showTrade(merchant, amount, subject) {
    this.body.replaceChildren(
      h('div', { class: 'cashier-amount', 'data-testid': 'cashier-amount' }, yuan(amount)),
      h('dl', { class: 'cashier-rows' },
        h('dt', {}, 'Merchant'), h('dd', { 'data-testid': 'cashier-merchant' }, merchant),
        h('dt', {}, 'Item'), h('dd', {}, subject),
        h('dt', {}, 'Pay with'), h('dd', {}, 'Wallet balance')));
  }

  fail(message) {
    this.failed = true;
    this.body.append(h('p', { class: 'cashier-error', role: 'alert' }, message),
      h('button', { class: 'btn btn-secondary', onclick: () => this.close('4000') }, 'Close'));
  }

  askAmount(merchant, next) {
    const input = h('input', { class: 'amount-input', name: 'amount', inputmode: 'decimal',
      placeholder: '0.00', autocomplete: 'off', 'aria-label': 'Amount' });
    const error = h('p', { class: 'cashier-error', role: 'alert' });
    const form = h('form', { class: 'collect-form', onsubmit: (e) => {
      e.preventDefault();
      const amount = input.value.trim();
      if (!/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$/.test(amount) || Number(amount) <= 0) {
        error.textContent = 'Enter an amount like 12.50';
        return;
      }
      next(amount);
    } },
    h('label', { class: 'field-label' }, 'Amount to pay ' + merchant),
    h('div', { class: 'amount-row' }, h('span', {}, '¥'), input), error,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Next'));
    this.body.replaceChildren(form);
    setTimeout(() => input.focus(), 0);
  }

  /** The PIN pad; `pay(pin)` resolves with the API's answer or rejects with an ApiError. */
  askPin(pay) {
    this.pin = '';
    this.pay = pay;
    this.dots = h('div', { class: 'pin-dots', 'aria-label': 'Payment PIN' },
      Array.from({ length: PIN_DIGITS }, () => h('span', { class: 'pin-dot' })));
    this.error = h('p', { class: 'cashier-error', role: 'alert', 'data-testid': 'cashier-error' });
    const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', 'del'].map((k) => k === ''
      ? h('span', {})
      : h('button', { class: 'key', type: 'button', dataset: { key: k },
        'aria-label': k === 'del' ? 'Delete' : k, onclick: () => this.press(k) }, k === 'del' ? '⌫' : k));
    this.body.append(h('p', { class: 'pin-label' }, 'Enter your 6-digit payment PIN'), this.dots, this.error,
      h('div', { class: 'keypad' }, keys));
  }

  key(e) {
    if (!this.pay || this.settled) return;
    if (e.key >= '0' && e.key <= '9') this.press(e.key);
    else if (e.key === 'Backspace') this.press('del');
    else if (e.key === 'Escape') this.close('6001');
  }

  press(k) {
    if (this.busy || this.paid) return;
    this.pin = k === 'del' ? this.pin.slice(0, -1) : (this.pin + k).slice(0, PIN_DIGITS);
    this.dots.querySelectorAll('.pin-dot').forEach((d, i) => d.classList.toggle('filled', i < this.pin.length));
    if (this.pin.length === PIN_DIGITS) this.submit();
  }

  async submit() {
    this.busy = true;
    this.error.textContent = '';
    this.root.classList.add('busy');
    try {
      await this.pay(this.pin);
      this.paid = true;
      this.body.replaceChildren(h('div', { class: 'cashier-done', 'data-testid': 'cashier-done' },
        icon('check', 'done-icon'), h('p', {}, 'Payment successful')));
      setTimeout(() => this.close('9000'), 900);
    } catch (e) {
      this.pin = '';
      this.dots.querySelectorAll('.pin-dot').forEach((d) => d.classList.remove('filled'));
      this.error.textContent = e.message;
      this.dots.classList.remove('shake');
      void this.dots.offsetWidth;
      this.dots.classList.add('shake');
      if (e.code && !['CASHIER.PIN_WRONG', 'network'].includes(e.code)) {
        this.pay = null;
        this.failed = true;
        this.body.append(h('button', { class: 'btn btn-secondary', onclick: () => this.close('4000') }, 'Close'));
      }
    } finally {
      this.busy = false;
      this.root.classList.remove('busy');
    }
  }
}
