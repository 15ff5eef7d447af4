// Wallet: balance, top-up from the SIMULATED bank (labelled as such), bills paged, trade detail.

import { api, newIdempotencyKey } from './api.js';
import { h, header, icon, mount, toast, when, yuan } from './ui.js';

export async function renderWallet(container, { navigate }) {
  const balance = h('div', { class: 'balance-amount', 'data-testid': 'balance' }, '…');
  const channel = h('span', { class: 'simulated-badge' }, 'Simulated bank');
  const bills = h('ul', { class: 'bill-list', 'data-testid': 'bills' });
  const more = h('button', { class: 'btn btn-link', type: 'button', hidden: true }, 'Load more');
  mount(container,
    header('Wallet'),
    h('section', { class: 'balance-card' },
      h('p', { class: 'balance-label' }, 'Balance (¥)'), balance,
      h('button', { class: 'btn btn-light', type: 'button', 'data-testid': 'open-top-up',
        onclick: () => openTopUp(container, () => renderWallet(container, { navigate })) },
      icon('topup', 'btn-icon'), 'Top up')),
    h('section', { class: 'card' },
      h('div', { class: 'card-title-row' }, h('h2', { class: 'card-title' }, 'Bills'), channel),
      bills, more));
  try {
    const wallet = await api('GET', '/api/wallet');
    balance.textContent = wallet.balance;
    channel.hidden = !wallet.top_up_channel.simulated;
  } catch (e) {
    balance.textContent = '—';
    toast(e.message, 'error');
  }
  let cursor = null;
  const loadPage = async () => {
    more.disabled = true;
    try {
      const page = await api('GET', '/api/bills?limit=20' + (cursor ? '&before=' + encodeURIComponent(cursor) : ''));
      if (!cursor && page.items.length === 0) {
        bills.append(h('li', { class: 'muted bill-empty' }, 'No bills yet. Top up to get started.'));
      }
      page.items.forEach((b) => bills.append(billRow(b, navigate)));
      cursor = page.next;
      more.hidden = !cursor;
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', loadPage);
  await loadPage();
}

function billRow(b, navigate) {
  const title = b.kind === 'TOP_UP' ? 'Top-up from bank card' + (b.simulated ? ' (simulated)' : '')
    : b.kind === 'REFUND' ? 'Refund: ' + b.merchant_name : b.merchant_name;
  const detail = b.kind === 'TOP_UP' ? 'Simulated bank' : b.title;
  const row = h('li', { class: 'bill', dataset: { kind: b.kind, tradeNo: b.trade_no || '' } },
    h('span', { class: 'bill-icon bill-' + b.kind.toLowerCase() }, b.kind === 'TOP_UP' ? '+' : b.kind === 'REFUND' ? '↩' : '¥'),
    h('span', { class: 'bill-main' }, h('span', { class: 'bill-title' }, title),
      h('span', { class: 'bill-sub' }, detail + ' · ' + when(b.at))),
    h('span', { class: 'bill-amount ' + (b.amount.startsWith('-') ? 'out' : 'in') }, yuan(b.amount)));
  if (b.trade_no) {
    row.classList.add('clickable');
    row.addEventListener('click', () => navigate('#/trade/' + b.trade_no));
  }
  return row;
}

function openTopUp(container, onDone) {
  const input = h('input', { class: 'amount-input', name: 'amount', inputmode: 'decimal', placeholder: '0.00',
    autocomplete: 'off', 'aria-label': 'Top-up amount' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  let key = null;
  let keyedAmount = null;
  const submit = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Top up');
  const sheet = h('div', { class: 'sheet-backdrop', 'data-testid': 'top-up' },
    h('section', { class: 'sheet', role: 'dialog', 'aria-label': 'Top up' },
      h('div', { class: 'sheet-head' },
        h('button', { class: 'sheet-close', 'aria-label': 'Close', onclick: () => sheet.remove() }, icon('close')),
        h('h2', {}, 'Top up')),
      h('form', { class: 'sheet-body', onsubmit: async (e) => {
        e.preventDefault();
        const amount = input.value.trim();
        if (!/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$/.test(amount) || Number(amount) <= 0) {
          error.textContent = 'Enter an amount like 100.00';
          return;
        }
        // The same amount retried (a lost answer) keeps its key, so money moves once.
        if (amount !== keyedAmount) {
          key = newIdempotencyKey();
          keyedAmount = amount;
        }
        submit.disabled = true;
        try {
          const r = await api('POST', '/api/wallet/top-ups', { amount }, { idempotencyKey: key });
          sheet.remove();
          toast('Topped up ' + yuan(r.amount) + (r.simulated ? ' (simulated bank)' : ''), 'success');
          onDone();
        } catch (err) {
          error.textContent = err.message;
        } finally {
          submit.disabled = false;
        }
      } },
      h('div', { class: 'notice' }, 'SIMULATED BANK — no real money moves. This demo channel credits your wallet at once.'),
      h('label', { class: 'field-label' }, 'From: Bank card •••• 0000 (simulated)'),
      h('div', { class: 'amount-row' }, h('span', {}, '¥'), input), error, submit)));
  document.getElementById('sheet-root').append(sheet);
  setTimeout(() => input.focus(), 0);
}

export async function renderTrade(container, tradeNo, { navigate }) {
  const body = h('section', { class: 'card' }, h('p', { class: 'muted' }, 'Loading…'));
  mount(container, header('Bill details', () => navigate('#/wallet')), body);
  try {
    const t = await api('GET', '/api/trades/' + encodeURIComponent(tradeNo));
    const row = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
    body.replaceChildren(
      h('div', { class: 'detail-head' }, h('p', { class: 'detail-merchant' }, t.merchant_name),
        h('p', { class: 'detail-amount', 'data-testid': 'detail-amount' }, '-' + yuan(t.amount)),
        h('p', { class: 'detail-status' }, statusText(t.status))),
      h('dl', { class: 'detail-rows' },
        row('Item', t.subject), row('Paid at', when(t.paid_at)), row('Paid with', 'Wallet balance'),
        t.refunds.length ? row('Refunded', yuan(t.refunded)) : null,
        row('Trade number', t.trade_no)),
      t.refunds.length ? h('ul', { class: 'refunds' }, t.refunds.map((r) =>
        h('li', {}, 'Refund ' + yuan(r.amount) + ' · ' + (r.at ? when(r.at) : '') + (r.reason ? ' · ' + r.reason : '')))) : null);
  } catch (e) {
    body.replaceChildren(h('p', { class: 'form-error' }, e.message));
  }
}

function statusText(status) {
  return { TRADE_SUCCESS: 'Paid', TRADE_FINISHED: 'Completed', TRADE_CLOSED: 'Closed (refunded)',
    WAIT_BUYER_PAY: 'Waiting for payment' }[status] || status;
}
