// The supplier's bid: both covers sealed here with seal.js; only the envelopes are sent.
// The price inputs have no name, and the form never submits itself: nothing in clear leaves.
import { sealCover } from "/static/js/seal.js";

const form = document.getElementById("bid-form");
const status = document.getElementById("bid-status");
const error = document.getElementById("bid-error");
const msg = (name) => form.dataset[`msg${name}`];

// 27-11-2026 15:30 IST: people read moments in India's time, as the pages show them.
function inIndia(iso) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Kolkata", day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute} IST`;
}

function hundredths(text) {
  const clean = String(text).replace(/[,₹\s]/g, "");
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(clean);
  if (!match) throw new Error(msg("Amount"));
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

async function readDocument() {
  const file = document.getElementById("document").files[0];
  if (!file) return [];
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return [{ name: file.name, type: file.type || "application/octet-stream", data: btoa(binary) }];
}

function declarations() {
  const out = {};
  for (const row of document.querySelectorAll("#declarations tbody tr")) {
    out[row.dataset.key] = {
      complies: row.querySelector(".complies").value === "yes",
      offered: row.querySelector(".offered").value,
      remark: row.querySelector(".remark").value,
    };
  }
  return out;
}

async function json(response) {
  try { return await response.json(); } catch (e) { return {}; }
}

function preview() {
  const out = document.getElementById("price-preview");
  try {
    const paise = hundredths(document.getElementById("unit-price").value);
    const gst = hundredths(document.getElementById("gst").value);
    const rupees = (p) => new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" })
      .format(p / 100);
    out.textContent = `${rupees(paise)} + GST = ${rupees(paise + Math.round(paise * gst / 10000))}`;
  } catch (e) {
    out.textContent = "";
  }
}
document.getElementById("unit-price").addEventListener("input", preview);
document.getElementById("gst").addEventListener("input", preview);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = document.getElementById("seal-submit");
  button.disabled = true;
  error.textContent = "";
  try {
    const tender = form.dataset.tender;
    const context = await (await fetch(`/api/v1/tenders/${encodeURIComponent(tender)}/sealing`,
      { credentials: "same-origin" })).json();
    const days = Number(document.getElementById("delivery-days").value);
    if (!Number.isInteger(days) || days <= 0) throw new Error(msg("Amount"));
    const technical = {
      v: 1, kind: "technical", tender: context.tender, bidder: context.bidder,
      make: document.getElementById("make").value, model: document.getElementById("model").value,
      offered_as: document.getElementById("offered-as").value,
      local_content_pct: document.getElementById("local-content").value.replace(",", "."),
      declarations: declarations(), documents: await readDocument(),
    };
    const financial = {
      v: 1, kind: "financial", tender: context.tender, bidder: context.bidder,
      unit_price_paise: hundredths(document.getElementById("unit-price").value),
      gst_bp: hundredths(document.getElementById("gst").value), delivery_days: days,
      remark: document.getElementById("financial-remark").value,
    };
    status.textContent = msg("Sealing");
    const seal = (cover, body) => sealCover(new TextEncoder().encode(JSON.stringify(body)), {
      tender: context.tender, bidder: context.bidder, cover, openers: context.openers, k: context.k,
    });
    const envelopes = { technical: await seal("technical", technical),
      financial: await seal("financial", financial) };
    status.textContent = msg("Sending");
    const response = await fetch(`/api/v1/tenders/${encodeURIComponent(tender)}/bids`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify(envelopes),
    });
    const body = await json(response);
    if (!response.ok) throw new Error(body.message || response.statusText);
    status.textContent = response.status === 201 ? msg("Done") : msg("Same");
    document.getElementById("receipt").hidden = false;
    document.getElementById("receipt-time").textContent = inIndia(body.received_at);
    document.getElementById("receipt-hash").textContent = body.receipt_sha256;
    document.getElementById("receipt-link").href = `/bids/${body.bid}`;
    document.getElementById("receipt-download").href = `/bids/${body.bid}/receipt.json`;
  } catch (e) {
    status.textContent = "";
    error.textContent = e.message || String(e);
  } finally {
    button.disabled = false;
  }
});
