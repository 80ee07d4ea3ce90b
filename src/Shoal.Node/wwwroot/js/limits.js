import { api } from './api.js';
import { showError } from './dom.js';
import * as format from './format.js';

const kib = 1024;

/** The global download and upload limits (GET and PATCH /api/v1/settings), also shown beside the rates. */
export class LimitsForm {
  #form;
  #shown;

  constructor(form, shown) {
    this.#form = form;
    this.#shown = shown;
    form.addEventListener('submit', event => {
      event.preventDefault();
      this.#save();
    });
  }

  async load() {
    try {
      this.#fill(await api.get('/api/v1/settings'));
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
    try {
      this.#fill(await api.patch('/api/v1/settings', {
        downloadLimit: Math.round(downloadLimit.valueAsNumber * kib),
        uploadLimit: Math.round(uploadLimit.valueAsNumber * kib),
      }));
      notice.textContent = 'Limits saved';
    } catch (error) {
      showError(this.#form, error.message);
    }
  }

  #fill(settings) {
    const { downloadLimit, uploadLimit } = this.#form.elements;
    downloadLimit.value = String(Math.round(settings.downloadLimit / kib));
    uploadLimit.value = String(Math.round(settings.uploadLimit / kib));
    const limit = value => (value > 0 ? ` (limit ${format.rate(value)})` : '');
    this.#shown.down.textContent = limit(settings.downloadLimit);
    this.#shown.up.textContent = limit(settings.uploadLimit);
  }
}
