// The header's "Menu" is a <details> disclosure that works without JavaScript. With it, Escape closes the
// open menu and gives focus back to its button, and a click elsewhere on the page closes it.
const menus = () => document.querySelectorAll<HTMLDetailsElement>('details.site-menu[open]');

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  for (const menu of menus()) {
    // Only a menu the reader can see and close: on a wide screen its content is the horizontal bar.
    const summary = menu.querySelector('summary');
    if (!summary || !summary.getClientRects().length) continue;
    menu.open = false;
    if (menu.contains(document.activeElement)) summary.focus();
  }
});

document.addEventListener('click', (event) => {
  const target = event.target as Node | null;
  for (const menu of menus()) if (target && !menu.contains(target)) menu.open = false;
});
