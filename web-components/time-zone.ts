// Tells the server the browser's time zone (cookie), for readers who set none in their profile, so
// workshop times come in their own zone. A page that had to fall back to organisers' zones
// (data-zone-known="no") is shown again once, now in the reader's zone.
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
