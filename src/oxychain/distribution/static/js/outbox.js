// The scan outbox: scans waiting to be sent, kept in IndexedDB so that they survive a
// reload, a closed tab or a dead battery while the device has no connection.
//
// A device is shared (a store's phone, a ward's tablet): every scan carries its owner, the
// id of the person who recorded it, and its sequence number on this device. A person reads
// and sends only their own scans, in the order they were recorded (a receive before the
// install that follows it). A scan the server refused stays, with the server's reason,
// until its owner acknowledges it.
const DB = "oxychain-scans";
const STORE = "outbox";
const QUEUE = "owner_seq"; // index: [owner, seq]
const LAST = Number.MAX_SAFE_INTEGER;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 2);
    request.onupgradeneeded = (event) => {
      const store = event.oldVersion < 1
        ? request.result.createObjectStore(STORE, { keyPath: "key" })
        : request.transaction.objectStore(STORE);
      // Version 1's scans name no owner: they stay out of this index, so nobody sends or
      // sees them (sending them as whoever opens the page next was the fault this fixes).
      if (!store.indexNames.contains(QUEUE)) store.createIndex(QUEUE, ["owner", "seq"]);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// `work(store, done)` runs inside one transaction; `done(value)` sets what it resolves to.
async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let value;
    work(tx.objectStore(STORE), (v) => { value = v; });
    tx.oncomplete = () => { db.close(); resolve(value); };
    tx.onerror = () => { db.close(); reject(tx.error); };
    tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

const own = (owner) => IDBKeyRange.bound([owner, 0], [owner, LAST]);

/** Queue a scan of `owner`'s, after their last one (one transaction: two tabs never take
 *  the same number). */
export const add = (owner, scan) => run("readwrite", (store, done) => {
  const last = store.index(QUEUE).openCursor(own(owner), "prev");
  last.onsuccess = () => {
    const seq = last.result ? last.result.value.seq + 1 : 1;
    store.put({ ...scan, owner, seq });
    done(seq);
  };
});

/** Everything of `owner`'s on this device, in scan order. */
export const mine = (owner) => run("readonly", (store, done) => {
  const request = store.index(QUEUE).getAll(own(owner));
  request.onsuccess = () => done(request.result);
});

/** `owner`'s scans still to send, in scan order. */
export const pending = async (owner) => (await mine(owner)).filter((s) => !s.refused);

/** The server's answers: a scan it stored (or knew) leaves the outbox; a refused one stays
 *  with the server's reason, until acknowledged. */
export const settle = (results) => run("readwrite", (store) => {
  for (const result of results) {
    if (result.status !== "refused") { store.delete(result.key); continue; }
    const request = store.get(result.key);
    request.onsuccess = () => {
      if (!request.result) return;
      const refused = { error: result.error || "", message: result.message || result.error || "" };
      store.put({ ...request.result, refused });
    };
  }
});

export const remove = (keys) => run("readwrite", (store) => keys.forEach((k) => store.delete(k)));
