// Scan: the camera with BarcodeDetector where the browser has it; otherwise (or as well) pick an
// image or paste the code. The server says what the text is: a precreated trade (cashier sheet),
// a merchant's collect-money code (amount, then cashier), or a mini-program launch link.

import { api } from './api.js';
import { launchApp } from './appframe-slot.js';
import { openCashier, openCollect } from './cashier.js';
import { h, header, mount, toast } from './ui.js';

let stream = null;

export function leaveScan() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
}

export function renderScan(container, { navigate }) {
  leaveScan();
  const detectorAvailable = 'BarcodeDetector' in window;
  const video = h('video', { class: 'scan-video', muted: true, playsinline: true });
  const status = h('p', { class: 'muted scan-status' },
    detectorAvailable ? '' : 'This browser can not read QR codes from the camera. Pick a picture of the code or paste it below.');
  const text = h('textarea', { class: 'scan-text', name: 'code', rows: 3, maxlength: 512,
    placeholder: 'Paste a payment or mini-program code', 'aria-label': 'Code' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'scan-error' });
  const file = h('input', { type: 'file', accept: 'image/*', class: 'scan-file', 'aria-label': 'Pick an image' });
  file.addEventListener('change', async () => {
    const picked = file.files[0];
    file.value = '';
    if (!picked) return;
    error.textContent = '';
    try {
      resolveCode(await readPicture(picked, detectorAvailable), error, navigate);
    } catch (e) {
      error.textContent = e.message;
    }
  });
  mount(container, header('Scan'),
    h('section', { class: 'scan-frame' }, detectorAvailable ? video : h('div', { class: 'scan-placeholder' }, 'Camera'), h('span', { class: 'scan-corners' })),
    status,
    h('section', { class: 'card' },
      h('form', { class: 'scan-form', onsubmit: (e) => {
        e.preventDefault();
        resolveCode(text.value.trim(), error, navigate);
      } }, text, error,
      h('div', { class: 'row-buttons' },
        h('label', { class: 'btn btn-secondary file-button' }, 'Pick image', file),
        h('button', { class: 'btn btn-primary', type: 'submit', 'data-testid': 'scan-submit' }, 'Go')))));
  if (detectorAvailable) startCamera(video, status, error, navigate);
}

/** The QR code's text in a picture: in the browser when it can, else on the server (ZXing). */
async function readPicture(picture, detectorAvailable) {
  if (detectorAvailable) {
    const found = await new window.BarcodeDetector({ formats: ['qr_code'] }).detect(await createImageBitmap(picture));
    if (found.length === 0) throw new Error('No QR code found in this picture.');
    return found[0].rawValue;
  }
  return (await api('POST', '/api/scan/image', picture)).text;
}

async function startCamera(video, status, error, navigate) {
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch (e) {
    status.textContent = 'No camera access. Pick an image or paste the code below.';
    return;
  }
  video.srcObject = stream;
  await video.play().catch(() => {});
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  const loop = async () => {
    if (!stream) return;
    try {
      const found = await detector.detect(video);
      if (found.length > 0) {
        leaveScan();
        resolveCode(found[0].rawValue, error, navigate);
        return;
      }
    } catch (e) {
      // A frame that could not be read; try the next one.
    }
    setTimeout(loop, 250);
  };
  loop();
}

async function resolveCode(code, error, navigate) {
  error.textContent = '';
  if (!code) {
    error.textContent = 'Paste a code first.';
    return;
  }
  let what;
  try {
    what = await api('POST', '/api/scan', { text: code });
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  if (what.kind === 'trade') {
    const result = await openCashier({ tradeNo: what.trade.trade_no });
    if (result.resultCode === '9000') navigate('#/trade/' + result.tradeNo);
  } else if (what.kind === 'collect') {
    const result = await openCollect({ code: what.code, merchantName: what.merchant_name });
    if (result.resultCode === '9000') navigate('#/trade/' + result.tradeNo);
  } else if (what.kind === 'launch') {
    const url = new URL(what.path, location.origin);
    launchApp(what.app_id, { scene: 'qr', path: what.path, page: url.searchParams.get('page') || undefined,
      query: url.searchParams.get('query') || undefined }).catch((e) => toast(e.message, 'error'));
  }
}
