// Tells the server the browser's time zone (cookie), for readers who set none in their profile, so
// workshop times come in their own zone. A page that had to fall back to organisers' zones
// (data-zone-known="no") is shown again once, now in the reader's zone. Time-zone fields marked
// data-browser-zone (the workshop form, the profile) start from the browser's zone when empty; without
// JavaScript they keep what the server put there.
const COOKIE = 'tz';

const zone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return '';
  }
})();

const known = document.cookie.split('; ').some((part) => part === `${COOKIE}=${encodeURIComponent(zone)}`);
if (zone && !known) {
  document.cookie = `${COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Lax`;
  if (document.querySelector('[data-zone-known="no"]') && !sessionStorage.getItem('sj-tz-reloaded')) {
    sessionStorage.setItem('sj-tz-reloaded', '1');
    location.reload();
  }
}

if (zone) {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[data-browser-zone]')) {
    if (!input.value) input.value = zone;
  }
}
