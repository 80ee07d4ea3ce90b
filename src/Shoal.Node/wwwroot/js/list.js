import { TorrentRow } from './row.js';

const perPage = 50;

const byDescending = field => (a, b) => b[field] - a[field];
const comparers = {
  addedAt: (a, b) => b.addedAt.localeCompare(a.addedAt),
  name: (a, b) => a.name.localeCompare(b.name),
  progress: byDescending('progress'),
  downRate: byDescending('downRate'),
  upRate: byDescending('upRate'),
  size: byDescending('size'),
};

/**
 * The torrent table, one page at a time, so a thousand torrents cost fifty rows. Store events are
 * gathered until the next animation frame; then only the rows that changed are rewritten, and the page
 * is laid out again only when membership or order may have changed.
 */
export class TorrentList {
  #store;
  #actions;
  #elements;
  #rows = new Map();
  #dirty = new Set();
  #layout = true;
  #frame = 0;
  #page = 0;
  #filter = { q: '', state: '', sort: 'addedAt' };

  constructor(store, elements, actions) {
    this.#store = store;
    this.#elements = elements;
    this.#actions = actions;
    store.listen(event => this.#heard(event));
    elements.previous.addEventListener('click', () => this.#turn(-1));
    elements.next.addEventListener('click', () => this.#turn(1));
    this.#schedule();
  }

  filter(filter) {
    Object.assign(this.#filter, filter);
    this.#page = 0;
    this.#relayout();
  }

  #turn(delta) {
    this.#page += delta;
    this.#relayout();
  }

  #heard({ type, id, fields }) {
    if (type === 'changed') {
      this.#dirty.add(id);
      if (fields.some(f => f === this.#filter.sort || f === 'state' || f === 'name')) this.#layout = true;
    } else {
      this.#layout = true;
      if (type === 'reset') for (const known of this.#rows.keys()) this.#dirty.add(known);
    }
    this.#schedule();
  }

  #relayout() {
    this.#layout = true;
    this.#schedule();
  }

  #schedule() {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render() {
    if (this.#layout) this.#lay();
    for (const id of this.#dirty) {
      const torrent = this.#store.get(id);
      if (torrent) this.#rows.get(id)?.update(torrent);
    }
    this.#dirty.clear();
  }

  #lay() {
    this.#layout = false;
    const { q, state, sort } = this.#filter;
    const needle = q.trim().toLowerCase();
    const all = [...this.#store.all];
    const visible = all
      .filter(t => (!state || t.state === state) && (!needle || t.name.toLowerCase().includes(needle)))
      .sort(comparers[sort]);
    const pages = Math.max(1, Math.ceil(visible.length / perPage));
    this.#page = Math.min(Math.max(this.#page, 0), pages - 1);
    const first = this.#page * perPage;
    const shown = visible.slice(first, first + perPage);

    const keep = new Set(shown.map(t => t.id));
    for (const [id, row] of this.#rows) {
      if (keep.has(id)) continue;
      row.element.remove();
      this.#rows.delete(id);
    }
    const body = this.#elements.body;
    let previous = null;
    for (const torrent of shown) {
      let row = this.#rows.get(torrent.id);
      if (!row) {
        row = new TorrentRow(torrent, this.#actions);
        this.#rows.set(torrent.id, row);
      }
      // Only rows out of place move, so a focused button elsewhere keeps its focus.
      const expected = previous ? previous.nextSibling : body.firstChild;
      if (row.element !== expected) body.insertBefore(row.element, expected);
      previous = row.element;
    }

    const { table, empty, pager, info, previous: back, next } = this.#elements;
    table.hidden = shown.length === 0;
    empty.hidden = shown.length > 0;
    if (!this.#store.loaded) empty.textContent = 'Loading the torrents…';
    else if (all.length === 0) empty.textContent = 'No torrents yet: add a magnet link, a .torrent file or a path to share.';
    else empty.textContent = 'No torrent matches the search.';
    pager.hidden = pages === 1;
    info.textContent = `${first + 1}–${first + shown.length} of ${visible.length}`;
    back.disabled = this.#page === 0;
    next.disabled = this.#page === pages - 1;
  }
}
