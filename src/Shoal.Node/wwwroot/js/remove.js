import { api } from './api.js';
import { showError, wireDialog } from './dom.js';

/** Asks before removing a torrent, and whether its downloaded files go too. */
export class RemoveDialog {
  #dialog;
  #store;
  #id = null;

  constructor(dialog, store) {
    this.#dialog = dialog;
    this.#store = store;
    wireDialog(dialog);
    dialog.querySelector('form').addEventListener('submit', event => {
      event.preventDefault();
      this.#remove();
    });
  }

  open(torrent) {
    this.#id = torrent.id;
    this.#dialog.querySelector('#remove-name').textContent = torrent.name;
    this.#dialog.querySelector('#remove-files').checked = false;
    showError(this.#dialog, '');
    this.#dialog.showModal();
  }

  async #remove() {
    const id = this.#id;
    const deleteFiles = this.#dialog.querySelector('#remove-files').checked;
    try {
      await api.delete(`/api/v1/torrents/${id}?deleteFiles=${deleteFiles}`);
      this.#store.remove(id);
      this.#dialog.close();
    } catch (error) {
      showError(this.#dialog, error.message);
    }
  }
}
