import { el, setText } from './dom.js';
import * as format from './format.js';

/** One torrent's row in the list; update() rewrites only what changed. Action errors show in the row. */
export class TorrentRow {
  #id;
  #cells;
  #status;

  constructor(torrent, actions) {
    this.#id = torrent.id;
    const button = (text, className, act) =>
      el('button', { type: 'button', class: className, onclick: () => this.#run(act) }, text);
    this.#status = el('span', { class: 'row-status', role: 'status' });
    this.#cells = {
      name: el('button', { type: 'button', class: 'link', onclick: () => actions.details(this.#id) }),
      error: el('span', { class: 'torrent-error' }),
      bar: el('progress', { max: 1 }),
      percent: el('span', { class: 'percent' }),
      state: el('span', { class: 'state' }),
      size: el('span'),
      down: el('span'),
      up: el('span'),
      eta: el('span'),
      peers: el('span'),
      toggle: button('', 'toggle', () => actions.toggle(this.#id)),
      copy: button('Copy magnet', 'copy', async () => {
        await actions.copy(this.#id);
        this.#say('Magnet link copied');
      }),
      remove: button('Remove', 'danger', () => actions.remove(this.#id)),
    };
    const c = this.#cells;
    const cell = (className, label, ...children) => el('td', { class: className, 'data-label': label }, ...children);
    this.element = el('tr', { 'data-id': torrent.id },
      cell('c-name', '', c.name, c.error, this.#status),
      cell('c-progress', 'Progress', c.bar, c.percent),
      cell('c-state', 'State', c.state),
      cell('c-size', 'Size', c.size),
      cell('c-rate', 'Down', c.down),
      cell('c-rate', 'Up', c.up),
      cell('c-eta', 'ETA', c.eta),
      cell('c-peers', 'Peers', c.peers),
      cell('c-actions', '', c.toggle, c.copy, c.remove));
    this.update(torrent);
  }

  update(t) {
    const c = this.#cells;
    this.element.dataset.state = t.state;
    setText(c.name, t.name);
    setText(c.error, t.error ?? '');
    if (c.bar.value !== t.progress) c.bar.value = t.progress;
    c.bar.setAttribute('aria-label', `Progress of ${t.name}`);
    setText(c.percent, format.percent(t.progress));
    setText(c.state, format.stateLabel(t.state));
    setText(c.size, t.size > 0 ? format.bytes(t.size) : '–');
    setText(c.down, format.rate(t.downRate));
    setText(c.up, format.rate(t.upRate));
    setText(c.eta, t.state === 'downloading' ? format.eta(t.eta) : '–');
    setText(c.peers, t.peers === 0 ? '0' : `${t.peers} (${t.seeds} seed${t.seeds === 1 ? '' : 's'})`);
    const verb = t.state === 'paused' ? 'Resume' : 'Pause';
    setText(c.toggle, verb);
    c.toggle.setAttribute('aria-label', `${verb} ${t.name}`);
    c.copy.setAttribute('aria-label', `Copy the magnet link of ${t.name}`);
    c.remove.setAttribute('aria-label', `Remove ${t.name}`);
  }

  async #run(act) {
    this.#say('');
    try {
      await act();
    } catch (error) {
      this.#say(error.message, true);
    }
  }

  #say(message, isError = false) {
    this.#status.classList.toggle('error', isError);
    setText(this.#status, message);
  }
}
