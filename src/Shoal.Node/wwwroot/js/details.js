import { api } from './api.js';
import { el, fillRows, setText, wireDialog } from './dom.js';
import * as format from './format.js';
import { drawPieces } from './piecemap.js';

const refreshMs = 2000;

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
    fillRows(p.files, d.files ?? [], f => [f.path, format.bytes(f.length), format.percent(f.progress)]);
    fillRows(p.connections, d.connections ?? [], c =>
      [c.address, c.client ?? '', format.rate(c.downRate), format.rate(c.upRate), format.percent(c.progress)]);
    fillRows(p.trackers, d.trackers ?? [], t =>
      [t.url, [t.status, t.message].filter(Boolean).join(': '), String(t.seeders ?? '–'), String(t.leechers ?? '–')]);
    drawPieces(p.pieces, d.pieces, d.pieceCount);
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
