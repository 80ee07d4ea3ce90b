import { api } from './api.js';
import { showError } from './dom.js';

const infoHash = /^([0-9a-f]{40}|[0-9a-f]{64})$/i;

/** The three ways to add: a magnet link or info-hash, a .torrent file (chosen or dropped), a local path to share. */
export function setUpAdding(store, { section, magnet, file, share, notice, overlay }) {
  async function add(form, body) {
    showError(form, '');
    notice.textContent = '';
    try {
      const { status, data } = await api.post('/api/v1/torrents', body);
      store.adopt(data);
      notice.textContent = status === 201 ? `Added ${data.name}` : `${data.name} was already on this node`;
      return true;
    } catch (error) {
      showError(form, error.message);
      return false;
    }
  }

  function upload(torrentFile) {
    const body = new FormData();
    body.append('torrent', torrentFile, torrentFile.name);
    return add(file, body);
  }

  function onSubmit(form, bodyOf) {
    const input = form.querySelector('input');
    form.addEventListener('submit', async event => {
      event.preventDefault();
      if (await add(form, bodyOf(input.value.trim()))) input.value = '';
    });
  }

  onSubmit(magnet, text => (infoHash.test(text) ? { infoHash: text } : { magnet: text }));
  onSubmit(share, path => ({ share: path }));

  const picker = file.querySelector('input[type=file]');
  picker.addEventListener('change', async () => {
    if (picker.files.length > 0) await upload(picker.files[0]);
    picker.value = '';
  });

  // Dropping works anywhere on the page; the overlay says what a drop will do.
  const carriesFiles = event => event.dataTransfer?.types.includes('Files');
  document.addEventListener('dragover', event => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    overlay.hidden = false;
  });
  document.addEventListener('dragleave', event => {
    if (event.relatedTarget === null) overlay.hidden = true;
  });
  document.addEventListener('drop', event => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    overlay.hidden = true;
    section.open = true;
    const dropped = event.dataTransfer.files[0];
    if (dropped) upload(dropped);
  });
}
