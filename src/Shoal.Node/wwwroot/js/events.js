/**
 * Follows GET /api/v1/events: a snapshot, then added, changed, removed and stats events. The browser
 * reconnects by itself after a dropped connection and the node then sends a fresh snapshot; a refused
 * stream (logged out, node gone) is retried every few seconds.
 */
const retryMs = 5000;

export function followEvents(store, { onStats, onStatus }) {
  const source = new EventSource('/api/v1/events');
  const on = (name, handle) => source.addEventListener(name, message => handle(JSON.parse(message.data)));

  source.addEventListener('open', () => onStatus('live'));
  on('snapshot', ({ torrents, stats }) => {
    store.reset(torrents);
    if (stats) onStats(stats);
  });
  on('added', torrent => store.put(torrent));
  on('changed', patch => store.change(patch));
  on('removed', ({ id }) => store.remove(id));
  on('stats', onStats);
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      onStatus('closed');
      setTimeout(() => followEvents(store, { onStats, onStatus }), retryMs);
    } else {
      onStatus('reconnecting');
    }
  });
}
