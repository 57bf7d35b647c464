// The scan page: every scan goes into the outbox first (with a fresh idempotency key),
// then the outbox is sent in scan order to POST /api/v1/scans whenever there is a
// connection. The server stores each key once, so sending again after a lost answer is
// safe. Works without a connection; a service worker keeps the page itself available.
//
// The page belongs to the person it was drawn for (its owner): it shows and sends only
// their scans, and only while the browser's session is theirs (asked of /scan/token just
// before sending). A copy kept from offline that another person opens shows nothing of
// its owner's (shared-device.js records who signed in last on this browser).
import * as outbox from "./outbox.js";
import { SIGNED_IN, lastSignedIn } from "./shared-device.js";

const form = document.getElementById("scan-form");
const words = JSON.parse(form.dataset.words);
const owner = form.dataset.owner;
let csrf = form.dataset.csrf;
const $ = (id) => document.getElementById(id);
const status = $("net-status");
let sending = false;

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function showFields() {
  const event = $("event").value;
  for (const [cls, on] of [["when-receive", event === "receive"], ["when-issue", event === "issue"], ["when-return", event === "return"]]) {
    document.querySelectorAll("." + cls).forEach((el) => { el.hidden = !on; });
  }
}

function describe(scan) {
  const dest = scan.to_code ? ` → ${scan.to_code}` : scan.challan ? ` · ${scan.challan}` : "";
  return `${scan.serial}: ${words.event[scan.event] || scan.event}${dest}`;
}

function item(scan) {
  const li = document.createElement("li");
  li.textContent = describe(scan);
  li.dataset.key = scan.key;
  li.dataset.seq = scan.seq;
  return li;
}

// A refused scan stays listed, with the server's reason, until its owner acknowledges it.
function refusedItem(scan) {
  const li = item(scan);
  li.className = "refused";
  li.textContent = `✗ ${describe(scan)}: ${scan.refused.message}`;
  const ok = document.createElement("button");
  ok.type = "button";
  ok.className = "secondary ack";
  ok.textContent = $("refused").dataset.ack;
  ok.addEventListener("click", async () => { await outbox.remove([scan.key]); await renderPending(); });
  li.append(" ", ok);
  return li;
}

async function renderPending() {
  const items = await outbox.mine(owner);
  const waiting = items.filter((s) => !s.refused);
  const refused = items.filter((s) => s.refused);
  $("pending-count").textContent = waiting.length.toLocaleString("en-IN");
  $("pending").replaceChildren(...waiting.map(item));
  $("refused-count").textContent = refused.length.toLocaleString("en-IN");
  $("refused-list").replaceChildren(...refused.map(refusedItem));
  $("refused").hidden = refused.length === 0;
}

function showResult(result) {
  if (result.status === "refused") return; // listed under "Refused" until acknowledged
  const li = document.createElement("li");
  li.className = result.status;
  li.dataset.serial = result.serial;
  const state = result.state ? ` (${words.state[result.state] || result.state})` : "";
  const text = { stored: "✓", duplicate: "✓", extra: "±", refused: "✗" }[result.status] || "";
  li.textContent = `${text} ${result.serial}${state}${result.message ? ": " + result.message : ""}`;
  $("results").prepend(li);
}

function setStatus(kind) {
  status.dataset.state = kind;
  status.textContent = status.dataset[kind] || "";
}

/** Who the browser's session is, with its CSRF token: {user, csrf}; null when signed out.
 *  Throws when there is no connection. */
async function session() {
  // Not following a signed-out session's redirect to the login page: loading it would
  // replace the login form's token of another tab where someone is signing in.
  const response = await fetch("/scan/token",
    { credentials: "same-origin", cache: "no-store", redirect: "manual" });
  if (!response.ok) return null;
  const answer = await response.json();
  csrf = answer.csrf;
  localStorage.setItem(SIGNED_IN, answer.user);
  return answer;
}

// What the API takes of a queued scan (not its owner, number or refusal).
const wire = ({ key, serial, event, at, to_kind, to_code, challan }) =>
  ({ key, serial, event, at, to_kind, to_code, challan });

async function post(items) {
  return fetch("/api/v1/scans", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ scans: items.map(wire) }),
  });
}

export async function sync() {
  if (sending) return;
  sending = true;
  try {
    let items = await outbox.pending(owner);
    if (!items.length) { setStatus(navigator.onLine ? "online" : "offline"); return; }
    // Sent only under the session of the person who recorded them, never another's.
    const who = await session();
    if (!who) { setStatus("login"); return; }
    if (who.user !== owner) { setStatus("other"); return; }
    while (items.length) {
      const response = await post(items.slice(0, 200)); // in scan order
      if (response.status === 401 || response.status === 403) { setStatus("login"); return; }
      if (!response.ok) throw new Error(`server answered ${response.status}`);
      const { results } = await response.json();
      results.forEach(showResult);
      await outbox.settle(results);
      items = await outbox.pending(owner);
    }
    setStatus("online");
  } catch (error) {
    setStatus("offline");  // kept in the outbox; tried again when the connection returns
  } finally {
    sending = false;
    await renderPending();
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const serial = $("serial").value.trim().toUpperCase();
  if (!serial) return;
  const kind = $("event").value;
  // no place is chosen for the keeper: a device issued to the wrong facility is hard to find
  const place = { issue: $("to_facility"), return: $("to_warehouse") }[kind];
  if (place && !place.value) {
    place.setCustomValidity(form.dataset.choosePlace);
    place.reportValidity();
    place.setCustomValidity("");
    return;
  }
  // the tablet's clock moved as the server's is (the demo's calendar; zero otherwise)
  const at = new Date(Date.now() + Number(form.dataset.clockShift || 0)).toISOString();
  const scan = { key: uuid(), serial, event: kind, at };
  if (kind === "issue") Object.assign(scan, { to_kind: "facility", to_code: $("to_facility").value });
  if (kind === "return") Object.assign(scan, { to_kind: "warehouse", to_code: $("to_warehouse").value });
  if (kind === "receive" && $("challan").value) scan.challan = $("challan").value;
  // Cleared before the outbox is written, not after: a quick hand (or a scanner gun) may
  // already be entering the next serial while this one is being stored.
  $("serial").value = "";
  $("serial").focus();
  try {
    await outbox.add(owner, scan);
  } catch (error) {
    if (!$("serial").value) $("serial").value = serial;  // not stored: offered again
    throw error;
  }
  await renderPending();
  if (navigator.onLine) sync();
});

async function startCamera() {
  const video = $("preview");
  const detector = new BarcodeDetector({ formats: ["qr_code", "code_128", "data_matrix"] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const look = async () => {
    const codes = await detector.detect(video).catch(() => []);
    if (codes.length) {
      stream.getTracks().forEach((t) => t.stop());
      video.hidden = true;
      $("serial").value = codes[0].rawValue.trim().toUpperCase();
      form.requestSubmit();
    } else {
      requestAnimationFrame(look);
    }
  };
  look();
}

if ("BarcodeDetector" in window && navigator.mediaDevices) {
  $("camera").hidden = false;
  $("camera").addEventListener("click", () => startCamera().catch(() => { $("camera").hidden = true; }));
}
/** Whether this page is its owner's to use: the session says so when there is a
 *  connection; without one, the last person signed in on this browser must be the owner. */
async function ownersPage() {
  try {
    const who = await session();
    if (who) return who.user === owner;
  } catch (error) {
    // no connection: judged by who signed in last
  }
  const last = lastSignedIn();
  return last === null || last === owner;
}

// Another person's copy: nothing of it is shown (their name, places or scans).
function seal() {
  document.querySelectorAll("main > :not(#not-yours), header .who, header nav")
    .forEach((el) => { el.hidden = true; });
  $("not-yours").hidden = false;
}

async function start() {
  if (!(await ownersPage())) { seal(); return; }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/scan" }).catch(() => {});
  }
  $("event").addEventListener("change", showFields);
  $("sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.addEventListener("offline", () => setStatus("offline"));
  showFields();
  setStatus(navigator.onLine ? "online" : "offline");
  await renderPending();
  if (navigator.onLine) sync();
  setInterval(() => { if (navigator.onLine) sync(); }, 30000);
}

start();
