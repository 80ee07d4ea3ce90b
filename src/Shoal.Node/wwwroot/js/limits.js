import { api } from './api.js';
import { showError } from './dom.js';
import * as format from './format.js';

const kib = 1024;

/**
 * The global download and upload limits (GET and PATCH /api/v1/settings), also shown beside the rates. A load that
 * answers while the user is typing leaves the fields alone (it would put the old value back under their hands), and one
 * that answers after a save started is dropped (its values are older than the save's).
 */
export class LimitsForm {
  #form;
  #shown;
  #edited = false;
  #saves = 0;

  constructor(form, shown) {
    this.#form = form;
    this.#shown = shown;
    form.addEventListener('input', () => {
      this.#edited = true;
    });
    form.addEventListener('submit', event => {
      event.preventDefault();
      this.#save();
    });
  }

  async load() {
    const saves = this.#saves;
    try {
      const settings = await api.get('/api/v1/settings');
      if (saves === this.#saves) this.#fill(settings, !this.#edited);
      showError(this.#form, '');
    } catch (error) {
      showError(this.#form, error.message);
    }
  }

  async #save() {
    const { downloadLimit, uploadLimit } = this.#form.elements;
    const notice = this.#form.querySelector('[data-notice]');
    showError(this.#form, '');
    notice.textContent = '';
    this.#saves++;
    try {
      this.#fill(await api.patch('/api/v1/settings', {
        downloadLimit: Math.round(downloadLimit.valueAsNumber * kib),
        uploadLimit: Math.round(uploadLimit.valueAsNumber * kib),
      }), true);
      this.#edited = false;
      notice.textContent = 'Limits saved';
    } catch (error) {
      showError(this.#form, error.message);
    }
  }

  #fill(settings, fields) {
    if (fields) {
      const { downloadLimit, uploadLimit } = this.#form.elements;
      downloadLimit.value = String(Math.round(settings.downloadLimit / kib));
      uploadLimit.value = String(Math.round(settings.uploadLimit / kib));
    }

    const limit = value => (value > 0 ? ` (limit ${format.rate(value)})` : '');
    this.#shown.down.textContent = limit(settings.downloadLimit);
    this.#shown.up.textContent = limit(settings.uploadLimit);
  }
}
