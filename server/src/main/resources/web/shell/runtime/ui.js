// The shell's own dialogs for mini-programs: toast, loading, modal, alert/confirm, scope consent,
// the scan sheet and the "…" about sheet. They are drawn by the shell, outside the app's iframe,
// so an app can never fake or read them. Text from apps is always set with textContent.

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class RuntimeUi {
  /** @param {HTMLElement} layer the element covering the app's frames */
  constructor(layer) {
    this.layer = layer;
    this.toastTimer = null;
    this.toast = null;
    this.loading = null;
  }

  showToast({ content = '', type = 'none', duration = 2000 }) {
    this.hideToast();
    this.toast = el('div', `hm-toast hm-toast-${type}`, content);
    this.toast.setAttribute('role', 'status');
    this.layer.append(this.toast);
    this.toastTimer = setTimeout(() => this.hideToast(), duration || 2000);
  }

  hideToast() {
    clearTimeout(this.toastTimer);
    this.toast?.remove();
    this.toast = null;
  }

  showLoading({ content = '' }) {
    this.hideLoading();
    this.loading = el('div', 'hm-loading');
    this.loading.append(el('div', 'hm-spinner'), el('div', 'hm-loading-text', content));
    this.layer.append(this.loading);
  }

  hideLoading() {
    this.loading?.remove();
    this.loading = null;
  }

  /** A modal with one or two buttons; resolves true for confirm, false for cancel. */
  dialog({ title = '', content = '', confirmText = 'OK', cancelText = 'Cancel',
    showCancel = true, className = 'hm-modal' }) {
    return new Promise((resolve) => {
      const backdrop = el('div', 'hm-backdrop');
      const box = el('div', className);
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-modal', 'true');
      if (title) box.append(el('h2', 'hm-modal-title', title));
      if (content) box.append(el('p', 'hm-modal-content', content));
      const buttons = el('div', 'hm-modal-buttons');
      const done = (value) => { backdrop.remove(); resolve(value); };
      if (showCancel) {
        const cancel = el('button', 'hm-cancel', cancelText);
        cancel.type = 'button';
        cancel.onclick = () => done(false);
        buttons.append(cancel);
      }
      const ok = el('button', 'hm-confirm', confirmText);
      ok.type = 'button';
      ok.onclick = () => done(true);
      buttons.append(ok);
      box.append(buttons);
      backdrop.append(box);
      this.layer.append(backdrop);
      ok.focus();
    });
  }

  /** The consent sheet: what the app wants, and its own words for why. */
  consent(appName, what, purpose) {
    return this.dialog({
      title: `${appName} would like to ${what}`,
      content: purpose ? `The app says: “${purpose}”` : '',
      confirmText: 'Allow', cancelText: 'Deny', className: 'hm-modal hm-consent',
    });
  }

  /** Asks for a code: camera scanning where the browser can, otherwise typed or pasted. */
  scanSheet(appName) {
    return new Promise((resolve) => {
      const backdrop = el('div', 'hm-backdrop');
      const box = el('form', 'hm-modal hm-scan');
      box.append(el('h2', 'hm-modal-title', `Scan for ${appName}`));
      const input = el('input', 'hm-scan-input');
      input.placeholder = 'Paste or type the code';
      input.maxLength = 2048;
      box.append(input);
      const buttons = el('div', 'hm-modal-buttons');
      const cancel = el('button', 'hm-cancel', 'Cancel');
      cancel.type = 'button';
      const ok = el('button', 'hm-confirm', 'Done');
      ok.type = 'submit';
      buttons.append(cancel, ok);
      box.append(buttons);
      backdrop.append(box);
      this.layer.append(backdrop);
      let stream = null;
      const done = (value) => {
        stream?.getTracks().forEach((t) => t.stop());
        backdrop.remove();
        resolve(value);
      };
      cancel.onclick = () => done(null);
      box.onsubmit = (e) => { e.preventDefault(); done(input.value.trim() || null); };
      if ('BarcodeDetector' in window && navigator.mediaDevices?.getUserMedia) {
        const video = el('video', 'hm-scan-video');
        video.muted = true;
        video.playsInline = true;
        box.insertBefore(video, input);
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
          .then(async (s) => {
            stream = s;
            video.srcObject = s;
            await video.play();
            const detector = new window.BarcodeDetector();
            const tick = async () => {
              if (!backdrop.isConnected) return;
              const codes = await detector.detect(video).catch(() => []);
              if (codes.length) done(codes[0].rawValue); else requestAnimationFrame(tick);
            };
            tick();
          })
          .catch(() => video.remove());
      }
      input.focus();
    });
  }

  /** The "…" sheet: about the app and the scopes it holds, each revocable. */
  aboutSheet(app, scopes, onRevoke, favorite) {
    const backdrop = el('div', 'hm-backdrop');
    const box = el('div', 'hm-modal hm-about');
    box.append(el('h2', 'hm-modal-title', app.name));
    box.append(el('p', 'hm-modal-content', app.description || ''));
    box.append(el('p', 'hm-about-version', `Version ${app.version} (${app.env_version})`));
    if (favorite) box.append(this.favoriteButton(favorite));
    const list = el('ul', 'hm-scopes');
    if (scopes.length === 0) list.append(el('li', '', 'No permissions granted'));
    for (const scope of scopes.filter((s) => s !== 'auth_base' && s !== 'auth_user')) {
      const li = el('li', '', scope + ' ');
      const revoke = el('button', 'hm-revoke', 'Revoke');
      revoke.type = 'button';
      revoke.onclick = async () => { await onRevoke(scope); li.remove(); };
      li.append(revoke);
      list.append(li);
    }
    box.append(list);
    const close = el('button', 'hm-confirm', 'Close');
    close.type = 'button';
    close.onclick = () => backdrop.remove();
    box.append(close);
    backdrop.append(box);
    this.layer.append(backdrop);
  }

  /** "Add to favourites" / "Remove from favourites": the server's answer sets the label. */
  favoriteButton({ on, toggle }) {
    const button = el('button', 'hm-favorite');
    button.type = 'button';
    const show = (state) => {
      button.dataset.favorite = String(state);
      button.textContent = state ? '★ Remove from favourites' : '☆ Add to favourites';
    };
    show(on);
    button.onclick = async () => {
      button.disabled = true;
      try {
        show(await toggle(button.dataset.favorite !== 'true'));
      } catch (e) {
        this.showToast({ content: e.message, type: 'fail' });
      } finally {
        button.disabled = false;
      }
    };
    return button;
  }
}
