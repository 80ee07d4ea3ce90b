import { api } from './api.js';

/** What a row's buttons do; each returns a promise whose failure the row shows. */
export function torrentActions(store, details, removal) {
  const torrent = id => store.get(id);
  return {
    details: id => details.open(torrent(id)),
    remove: async id => removal.open(torrent(id)),
    toggle: async id => {
      const verb = torrent(id).state === 'paused' ? 'resume' : 'pause';
      // The stream brings the new state; the answer could arrive after newer events and undo them.
      await api.post(`/api/v1/torrents/${id}/${verb}`);
    },
    copy: async id => {
      if (!navigator.clipboard) throw new Error('this page may not copy: open the details to select the magnet link');
      await navigator.clipboard.writeText(torrent(id).magnet);
    },
  };
}
