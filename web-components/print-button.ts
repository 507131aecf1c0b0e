// "Print" buttons (data-print) are hidden until this script runs, since without it they could do
// nothing; a listener rather than an inline handler because the CSP forbids inline scripts. Before
// printing, folded sections open so that the paper copy carries every table.
const printButtons = () => document.querySelectorAll<HTMLElement>('[data-print]');

for (const button of printButtons()) button.hidden = false;

document.addEventListener('click', (event) => {
  if ((event.target as Element | null)?.closest?.('[data-print]')) window.print();
});

window.addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('main details:not([open])')) {
    details.open = true;
    details.dataset.openedForPrint = '';
  }
});

window.addEventListener('afterprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('details[data-opened-for-print]')) {
    details.open = false;
    delete details.dataset.openedForPrint;
  }
});
