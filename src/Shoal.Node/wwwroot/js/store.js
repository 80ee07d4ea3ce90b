/**
 * The torrents as the event stream last described them, by id. Listeners hear what happened to which
 * torrent, and for a change which fields changed, so a view can redraw only what it must.
 */
export class TorrentStore {
  #torrents = new Map();
  #listeners = [];
  #loaded = false;

  /** Whether a snapshot has arrived: before it, no torrents means none known yet, not none at all. */
  get loaded() {
    return this.#loaded;
  }

  get all() {
    return this.#torrents.values();
  }

  get(id) {
    return this.#torrents.get(id);
  }

  listen(listener) {
    this.#listeners.push(listener);
  }

  reset(torrents) {
    this.#torrents = new Map(torrents.map(t => [t.id, t]));
    this.#loaded = true;
    this.#emit({ type: 'reset' });
  }

  /**
   * A torrent an API call answered with, shown at once if the stream has not told of it yet. Once it has,
   * the stream wins: the answer may have been overtaken by newer events on the other connection.
   */
  adopt(torrent) {
    if (!this.#torrents.has(torrent.id)) this.put(torrent);
  }

  /** A torrent the stream says was added. */
  put(torrent) {
    const known = this.#torrents.get(torrent.id);
    if (known) {
      this.change(torrent);
      return;
    }
    this.#torrents.set(torrent.id, torrent);
    this.#emit({ type: 'added', id: torrent.id });
  }

  change(patch) {
    const torrent = this.#torrents.get(patch.id);
    if (!torrent) return;
    const fields = Object.keys(patch).filter(field => field !== 'id');
    Object.assign(torrent, patch);
    this.#emit({ type: 'changed', id: patch.id, fields });
  }

  remove(id) {
    if (this.#torrents.delete(id)) this.#emit({ type: 'removed', id });
  }

  #emit(event) {
    for (const listener of this.#listeners) listener(event);
  }
}
