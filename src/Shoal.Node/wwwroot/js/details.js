import { api } from './api.js';
import { el, fillRows, setText, wireDialog } from './dom.js';
import * as format from './format.js';
import { drawPieces } from './piecemap.js';

const refreshMs = 2000;
const transportLabels = { tcp: 'TCP', utp: 'uTP', http: 'HTTP', https: 'HTTPS' };

/** How a connection is carried: "uTP, encrypted", "TCP", "HTTPS" for a web seed. */
function via(c) {
  const transport = transportLabels[c.transport] ?? c.transport;
  return c.encrypted && c.transport !== 'https' ? `${transport}, encrypted` : transport;
}

const priorityLabels = { skip: "Don't get", normal: 'Get', high: 'Get first' };

/** The details dialog of one torrent: files, peers, trackers and piece map, asked for again every 2 s while open. */
export class DetailsPanel {
  #dialog;
  #parts;
  #timer = 0;
  // Each opening counts; an answer or timer of an earlier opening is dropped, so polls never pile up.
  #opening = 0;

  constructor(dialog) {
    this.#dialog = dialog;
    const part = selector => dialog.querySelector(selector);
    this.#parts = {
      title: part('#details-title'),
      summary: part('#details-summary'),
      magnet: part('#details-magnet'),
      notice: part('#details-notice'),
      error: part('#details-error'),
      pieces: part('#details-pieces'),
      files: part('#details-files tbody'),
      connections: part('#details-connections tbody'),
      trackers: part('#details-trackers tbody'),
    };
    wireDialog(dialog);
    dialog.addEventListener('close', () => {
      clearTimeout(this.#timer);
      this.#opening++;
    });
    part('#details-copy').addEventListener('click', () => this.#copy());
  }

  open(torrent) {
    const p = this.#parts;
    p.title.textContent = torrent.name;
    p.magnet.value = torrent.magnet ?? '';
    for (const node of [p.summary, p.files, p.connections, p.trackers]) node.replaceChildren();
    p.notice.textContent = '';
    p.error.textContent = '';
    this.#dialog.showModal();
    this.#refresh(torrent.id, ++this.#opening);
  }

  async #refresh(id, opening) {
    try {
      const details = await api.get(`/api/v1/torrents/${id}`);
      if (opening !== this.#opening) return;
      this.#show(details);
      this.#parts.error.textContent = '';
    } catch (error) {
      if (opening !== this.#opening) return;
      this.#parts.error.textContent = error.message;
      if (error.status === 404) return;
    }
    this.#timer = setTimeout(() => this.#refresh(id, opening), refreshMs);
  }

  #show(d) {
    const p = this.#parts;
    setText(p.title, d.name);
    if (p.magnet.value !== d.magnet) p.magnet.value = d.magnet ?? '';
    const facts = [
      ['State', format.stateLabel(d.state)],
      ['Progress', format.percent(d.progress)],
      ['Size', format.bytes(d.size)],
      ['Downloaded', format.bytes(d.downloaded)],
      ['Uploaded', format.bytes(d.uploaded)],
      ['Saved in', d.savePath],
      ['Info-hash v1', d.infoHashV1],
      ['Info-hash v2', d.infoHashV2],
      ['Added', new Date(d.addedAt).toLocaleString()],
      ['Error', d.error],
    ].filter(([, value]) => value);
    p.summary.replaceChildren(...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
    this.#showFiles(d.id, d.files ?? []);
    fillRows(p.connections, d.connections ?? [], c =>
      [c.address, c.client ?? '', via(c), format.rate(c.downRate), format.rate(c.upRate), format.percent(c.progress)]);
    fillRows(p.trackers, d.trackers ?? [], t =>
      [t.url, [t.status, t.message].filter(Boolean).join(': '), String(t.seeders ?? '–'), String(t.leechers ?? '–')]);
    drawPieces(p.pieces, d.pieces, d.pieceCount);
  }

  /**
   * One row per file with a priority menu. Rows are kept while the file list stays the same, so that a menu
   * the user has open is not replaced by the next refresh; only progress and priorities are brought up to date.
   */
  #showFiles(id, files) {
    const body = this.#parts.files;
    const same = body.rows.length === files.length && files.every((f, i) => body.rows[i].dataset.index === String(f.index));
    if (!same) {
      body.replaceChildren(...files.map(f => el('tr', { 'data-index': f.index },
        el('td', {}, f.path), el('td', {}, format.bytes(f.length)), el('td', {}), el('td', {}, this.#priorityMenu(id, f)))));
    }
    files.forEach((f, i) => {
      const row = body.rows[i];
      setText(row.cells[2], format.percent(f.progress));
      const menu = row.cells[3].firstChild;
      if (document.activeElement !== menu) menu.value = f.priority;
    });
  }

  #priorityMenu(id, file) {
    const menu = el('select', { 'aria-label': `Priority of ${file.path}` },
      ...['skip', 'normal', 'high'].map(p => el('option', { value: p }, priorityLabels[p])));
    menu.value = file.priority;
    menu.addEventListener('change', async () => {
      this.#parts.error.textContent = '';
      try {
        this.#show(await api.patch(`/api/v1/torrents/${id}/files`, { files: [{ index: file.index, priority: menu.value }] }));
      } catch (error) {
        this.#parts.error.textContent = error.message;
      }
    });
    return menu;
  }

  async #copy() {
    const p = this.#parts;
    p.error.textContent = '';
    try {
      await navigator.clipboard.writeText(p.magnet.value);
      p.notice.textContent = 'Magnet link copied';
    } catch {
      p.magnet.select();
      p.notice.textContent = 'Copying is not allowed here: the link is selected, press Ctrl+C';
    }
  }
}
