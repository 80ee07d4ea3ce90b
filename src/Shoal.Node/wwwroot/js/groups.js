import { api } from './api.js';
import { el } from './dom.js';
import * as format from './format.js';

/** The groups of the node user's Shoal tracker login, their files, and a Get button per file. */
export class GroupsView {
  #container;
  #store;

  constructor(container, store) {
    this.#container = container;
    this.#store = store;
  }

  async load() {
    this.#container.setAttribute('aria-busy', 'true');
    try {
      const groups = await api.get('/api/v1/groups');
      this.#container.replaceChildren(...(groups.loggedIn ? this.#loggedIn(groups) : this.#loggedOut()));
    } catch (error) {
      this.#container.replaceChildren(el('p', { class: 'error', role: 'alert' }, error.message), this.#refresh());
    } finally {
      this.#container.removeAttribute('aria-busy');
    }
  }

  #refresh() {
    return el('button', { type: 'button', onclick: () => this.load() }, 'Refresh');
  }

  #loggedOut() {
    return [
      el('p', {}, 'This node is not logged in to a Shoal tracker, so it has no groups to show.'),
      el('p', {}, 'To log in, run this on the node’s computer, as the user the node runs as:'),
      el('pre', {}, el('code', {}, 'shoal login NAME --tracker URL')),
      el('p', {}, 'then refresh this view.'),
      this.#refresh(),
    ];
  }

  #loggedIn({ user, tracker, groups }) {
    const intro = el('p', { class: 'group-intro' }, `Logged in as ${user} on ${tracker}. `, this.#refresh());
    if (groups.length === 0) return [intro, el('p', {}, 'You are not a member of any group yet.')];
    return [intro, ...groups.map((group, index) => this.#group(group, `group-${index}`))];
  }

  #group(group, headingId) {
    const members = Array.isArray(group.members) ? group.members.length : group.members;
    const files = group.files.length === 0
      ? el('p', {}, 'No files are shared in this group.')
      : el('table', { class: 'sub group-files', 'aria-labelledby': headingId },
        el('thead', {}, el('tr', {}, ...['Name', 'Size', 'Owner', 'Seeds', 'Leechers', 'Actions'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...group.files.map(file => this.#file(group.name, file))));
    return el('section', { class: 'group', 'aria-labelledby': headingId },
      el('h3', { id: headingId }, group.name),
      el('p', { class: 'hint' }, `Owner ${group.owner} · ${members} member${members === 1 ? '' : 's'}`),
      files);
  }

  #file(groupName, file) {
    const status = el('span', { class: 'row-status', role: 'status' });
    const button = el('button', { type: 'button', 'aria-label': `Get ${file.name}` }, 'Get');
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.classList.remove('error');
      status.textContent = '';
      try {
        const path = `/api/v1/groups/${encodeURIComponent(groupName)}/files/${encodeURIComponent(file.infoHash)}`;
        const { status: code, data } = await api.post(path, {});
        this.#store.adopt(data);
        status.textContent = code === 201 ? 'Added to your torrents' : 'Already on this node';
      } catch (error) {
        status.classList.add('error');
        status.textContent = error.message;
      } finally {
        button.disabled = false;
      }
    });
    return el('tr', { 'data-info-hash': file.infoHash },
      el('td', { 'data-label': '' }, file.name),
      el('td', { 'data-label': 'Size' }, format.bytes(file.size)),
      el('td', { 'data-label': 'Owner' }, file.owner),
      el('td', { 'data-label': 'Seeds' }, String(file.seeders)),
      el('td', { 'data-label': 'Leechers' }, String(file.leechers)),
      el('td', { 'data-label': '' }, button, status));
  }
}
