import { torrentActions } from './actions.js';
import { setUpAdding } from './add.js';
import { DetailsPanel } from './details.js';
import { followEvents } from './events.js';
import * as format from './format.js';
import { GroupsView } from './groups.js';
import { LimitsForm } from './limits.js';
import { TorrentList } from './list.js';
import { RemoveDialog } from './remove.js';
import { TorrentStore } from './store.js';
import { setUpViews } from './views.js';

const byId = id => document.getElementById(id);

const store = new TorrentStore();
const actions = torrentActions(store, new DetailsPanel(byId('details')), new RemoveDialog(byId('remove'), store));
const list = new TorrentList(store, {
  table: byId('torrents'),
  body: byId('torrent-rows'),
  empty: byId('torrents-empty'),
  pager: byId('pager'),
  info: byId('page-info'),
  previous: byId('page-prev'),
  next: byId('page-next'),
}, actions);

const filters = { q: byId('filter-q'), state: byId('filter-state'), sort: byId('filter-sort') };
byId('filters').addEventListener('input', () =>
  list.filter({ q: filters.q.value, state: filters.state.value, sort: filters.sort.value }));
byId('filters').addEventListener('submit', event => event.preventDefault());

setUpAdding(store, {
  section: byId('add'),
  magnet: byId('add-magnet'),
  file: byId('add-file'),
  share: byId('add-share'),
  notice: byId('add-notice'),
  overlay: byId('drop-overlay'),
});

const limits = new LimitsForm(byId('limits'), { down: byId('limit-down-text'), up: byId('limit-up-text') });
const groups = new GroupsView(byId('groups'), store);
setUpViews(view => {
  if (view === 'groups') groups.load();
  if (view === 'settings') limits.load();
});
limits.load();

const connectionText = {
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Not connected: log in through the web: link shoal node printed',
};
followEvents(store, {
  onStats: stats => {
    byId('stat-down').textContent = format.rate(stats.downRate);
    byId('stat-up').textContent = format.rate(stats.upRate);
    byId('stat-peers').textContent = String(stats.peers);
  },
  onStatus: status => {
    const connection = byId('connection');
    connection.dataset.status = status;
    connection.textContent = connectionText[status];
  },
});
