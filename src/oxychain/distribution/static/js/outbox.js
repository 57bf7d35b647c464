// The scan outbox: scans waiting to be sent, kept in IndexedDB so that they survive a
// reload, a closed tab or a dead battery while the device has no connection.
const DB = "oxychain-scans";
const STORE = "outbox";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(result && result.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

export const add = (scan) => run("readwrite", (store) => store.put(scan));
export const all = () => run("readonly", (store) => store.getAll());
export const remove = (keys) => run("readwrite", (store) => keys.forEach((k) => store.delete(k)));
