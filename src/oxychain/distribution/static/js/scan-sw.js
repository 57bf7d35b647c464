// Service worker of the scan page: keeps the page and its scripts available offline.
// The page is fetched from the network when possible (and the copy refreshed), from the
// cache otherwise; scans themselves never pass through here (the page's outbox sends them).
const CACHE = "oxychain-scan-v2"; // shared-device.js drops its /scan page when the person changes
const PAGE = "/scan";
const ASSETS = [
  "/static/css/app.css", "/static/css/distribution.css",
  "/static/js/scan.js", "/static/js/outbox.js", "/static/js/shared-device.js",
];

async function keepPage(cache) {
  // The page as the signed-in person sees it (a redirect to the login page is not kept).
  const response = await fetch(PAGE, { credentials: "same-origin" });
  if (response.ok && !response.redirected) await cache.put(PAGE, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all([cache.addAll(ASSETS), keepPage(cache)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE || ASSETS.includes(url.pathname)) {
    event.respondWith(networkFirst(event.request));
  }
});
