// An opener's key pair, made in this browser: the private key is saved to a file on this
// device; only the public key is registered with the server.
import { generateOpenerKeyPair } from "/static/js/seal.js";

const box = document.getElementById("keygen");
document.getElementById("generate-key").addEventListener("click", async () => {
  const status = document.getElementById("keygen-status");
  const error = document.getElementById("keygen-error");
  error.textContent = "";
  try {
    const { privateJwk, publicKey } = await generateOpenerKeyPair();
    const link = document.getElementById("key-download");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(privateJwk)], { type: "application/json" }));
    link.download = `opener-key-${new Date().toISOString().slice(0, 10)}.jwk`;
    link.hidden = false;
    link.click();
    const response = await fetch("/api/v1/openers/me/key", {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
      body: JSON.stringify({ public_key: publicKey }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    status.textContent = `${box.dataset.msgRegistered}: ${body.fingerprint}`;
    status.className = "ok";
  } catch (e) {
    error.textContent = e.message || String(e);
  }
});
