// A shared device (a store's phone, a ward's tablet): what one person leaves in this
// browser is theirs only. Loaded on every signed-in page (base.html).
//
// * Every page drawn by the server records who is signed in. When that person changes,
//   the scan page kept for offline use (it shows the last person's name and places) is
//   dropped from the service worker's cache.
// * Logging out warns when the person's scans are still waiting to be sent; they stay on
//   this device, shown to and sent by nobody else, and go out when the same person logs in
//   here again. The kept scan page is dropped either way.
import * as outbox from "./outbox.js";

export const SIGNED_IN = "oxychain.signed-in"; // localStorage: the user id last signed in
const CACHE = "oxychain-scan-v2"; // scan-sw.js's cache
const SCAN_PAGE = "/scan";

export const lastSignedIn = () => localStorage.getItem(SIGNED_IN);

async function dropScanPage() {
  if (!("caches" in window)) return;
  const cache = await caches.open(CACHE);
  await cache.delete(SCAN_PAGE, { ignoreSearch: true });
}

const me = document.querySelector('meta[name="oxychain-user"]')?.content;
// The scan page may be a copy kept from offline: it learns who is signed in from the
// server itself (scan.js). Every other page comes from the server, drawn for this session.
if (me && location.pathname !== SCAN_PAGE) {
  const last = lastSignedIn();
  localStorage.setItem(SIGNED_IN, me);
  if (last !== null && last !== me) dropScanPage().catch(() => {});
}

const logout = document.querySelector('form[action="/logout"]');
logout?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const waiting = me ? (await outbox.pending(me).catch(() => [])).length : 0;
  if (waiting && !window.confirm(logout.dataset.unsent.replace("{n}", String(waiting)))) return;
  await dropScanPage().catch(() => {});
  logout.submit(); // submit() does not fire this handler again
});
