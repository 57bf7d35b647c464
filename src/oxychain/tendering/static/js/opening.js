// An opener releases their shares: the private key file is read here and used here only.
import { decryptShare } from "/static/js/seal.js";

const box = document.getElementById("release");
if (box) {
  const msg = (name) => box.dataset[`msg${name}`];
  const results = document.getElementById("release-results");
  const line = (text, bad) => {
    const li = document.createElement("li");
    li.textContent = text;
    if (bad) li.className = "error";
    results.append(li);
  };
  document.getElementById("release-shares").addEventListener("click", async () => {
    const error = document.getElementById("release-error");
    error.textContent = "";
    results.textContent = "";
    const file = document.getElementById("key-file").files[0];
    if (!file) { error.textContent = msg("Nokey"); return; }
    const button = document.getElementById("release-shares");
    button.disabled = true;
    try {
      const key = await file.text();
      const tender = encodeURIComponent(box.dataset.tender);
      const state = await (await fetch(`/api/v1/tenders/${tender}/envelopes`,
        { credentials: "same-origin" })).json();
      const shares = [];
      const names = {};
      for (const p of state.pending) {
        names[p.cover_id] = `${p.bidder} (${p.cover})`;
        try {
          shares.push({ cover_id: p.cover_id, share: await decryptShare(p.envelope, state.opener, key) });
        } catch (e) {
          line(`${names[p.cover_id]}: ${msg("Failed")}: ${e.message}`, true);
        }
      }
      if (!shares.length) return;
      const response = await fetch(`/api/v1/tenders/${tender}/shares`, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
        body: JSON.stringify({ shares }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.message || response.statusText);
      for (const r of body.results) {
        const what = r.accepted ? (r.opened ? msg("Opened") : "✓") : `${msg("Refused")}: ${r.reason}`;
        line(`${names[r.cover_id]}: ${what}`, !r.accepted);
      }
      document.getElementById("release-status").textContent =
        `${msg("Done")}: ${body.results.filter((r) => r.accepted).length}`;
    } catch (e) {
      error.textContent = e.message || String(e);
    } finally {
      button.disabled = false;
    }
  });
}
