// The scan page: every scan goes into the outbox first (with a fresh idempotency key),
// then the outbox is sent as one batch to POST /api/v1/scans whenever there is a
// connection. The server stores each key once, so sending again after a lost answer is
// safe. Works without a connection; a service worker keeps the page itself available.
import * as outbox from "./outbox.js";

const form = document.getElementById("scan-form");
const words = JSON.parse(form.dataset.words);
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

async function renderPending() {
  const items = await outbox.all();
  $("pending-count").textContent = items.length.toLocaleString("en-IN");
  const list = $("pending");
  list.replaceChildren(...items.map((s) => {
    const li = document.createElement("li");
    li.textContent = describe(s);
    li.dataset.key = s.key;
    return li;
  }));
}

function showResult(result) {
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

async function refreshToken() {
  const response = await fetch("/scan/token", { credentials: "same-origin" });
  if (!response.ok || response.redirected) return false;
  csrf = (await response.json()).csrf;
  return true;
}

async function post(items) {
  return fetch("/api/v1/scans", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ scans: items }),
  });
}

export async function sync() {
  if (sending) return;
  sending = true;
  try {
    let items = await outbox.all();
    while (items.length) {
      const batch = items.slice(0, 200);
      let response = await post(batch);
      if (response.status === 403 && (await refreshToken())) response = await post(batch);
      if (response.status === 401 || response.status === 403) { setStatus("login"); return; }
      if (!response.ok) throw new Error(`server answered ${response.status}`);
      const { results } = await response.json();
      results.forEach(showResult);
      await outbox.remove(results.map((r) => r.key));
      items = await outbox.all();
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
  const scan = { key: uuid(), serial, event: kind, at: new Date().toISOString() };
  if (kind === "issue") Object.assign(scan, { to_kind: "facility", to_code: $("to_facility").value });
  if (kind === "return") Object.assign(scan, { to_kind: "warehouse", to_code: $("to_warehouse").value });
  if (kind === "receive" && $("challan").value) scan.challan = $("challan").value;
  await outbox.add(scan);
  $("serial").value = "";
  $("serial").focus();
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
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/scan" }).catch(() => {});
}
$("event").addEventListener("change", showFields);
$("sync").addEventListener("click", sync);
window.addEventListener("online", sync);
window.addEventListener("offline", () => setStatus("offline"));
showFields();
setStatus(navigator.onLine ? "online" : "offline");
renderPending().then(() => { if (navigator.onLine) sync(); });
setInterval(() => { if (navigator.onLine) sync(); }, 30000);
