/** The header's view buttons: one view shown at a time; onShow(name) runs each time one is chosen. */
export function setUpViews(onShow) {
  const tabs = [...document.querySelectorAll('.view-tab')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      const chosen = tab.dataset.view;
      for (const other of tabs) {
        const active = other === tab;
        if (active) other.setAttribute('aria-current', 'page');
        else other.removeAttribute('aria-current');
        document.getElementById(`view-${other.dataset.view}`).hidden = !active;
      }
      onShow(chosen);
    });
  }
}
