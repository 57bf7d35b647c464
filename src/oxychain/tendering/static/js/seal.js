// Sealed bid covers in the browser: the envelope format of tendering/sealing/envelope.py (v1),
// written and read with WebCrypto only. The module docstring there documents the format;
// this file mirrors it function for function, and tests/tendering/test_seal_js.py checks that a
// cover sealed here opens in Python and the other way round.
//
// Why not a library: the server must never see a data key or a private key, so sealing runs
// here, and a CDN script would be one more party able to read bids. The one primitive
// WebCrypto lacks, Shamir over GF(256), is the ~40 lines below.

const VERSION = 1;
const ALG = "AES-256-GCM";
const KEM = "ECDH-P256+HKDF-SHA256+AES-256-GCM";
const SSS = "shamir-gf256";
const COVERS = ["technical", "financial"];
const MAX_OPENERS = 255;
const MAX_ID_BYTES = 256;
const COVER_CONTEXT = "oxychain/sealed-cover/v1";
const SHARE_CONTEXT = "oxychain/key-share/v1";
const ENVELOPE_FIELDS = ["aad", "alg", "ct", "iv", "k", "kem", "n", "sha256", "shares", "sss", "v"];
const SHARE_FIELDS = ["commit", "ct", "epk", "iv", "opener", "x"];
const P256 = { name: "ECDH", namedCurve: "P-256" };

/** An error with the same `code` as the Python SealError subclass for the same failure. */
export class SealError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "SealError";
    this.code = code;
  }
}

function fail(code, message) {
  throw new SealError(code, message);
}

function subtle() {
  const c = globalThis.crypto;
  if (!c || !c.subtle) {
    throw new SealError("seal_error", "WebCrypto is unavailable: open the page over https");
  }
  return c.subtle;
}

// --- GF(2^8) Shamir, mirrored line for line in sealing/shamir.py ---------------------------

/** Multiply in GF(2^8) mod x^8+x^4+x^3+x+1 (0x11b), with masks, not secret-indexed tables. */
export function gfMul(a, b) {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    product ^= -(b & 1) & a;
    const carry = -((a >> 7) & 1);
    a = ((a << 1) ^ (carry & 0x11b)) & 0xff;
    b >>= 1;
  }
  return product;
}

export function gfInv(a) {
  if (!(a > 0 && a < 256)) throw new RangeError("0 has no inverse in GF(256)");
  let result = 1, base = a, exponent = 254; // a^254 = a^-1, since a^255 = 1
  while (exponent) {
    if (exponent & 1) result = gfMul(result, base);
    base = gfMul(base, base);
    exponent >>= 1;
  }
  return result;
}

/** Split `secret` byte-wise into n points {x: 1..n, y}, any k of which recombine it. */
export function split(secret, k, n) {
  if (!(Number.isInteger(k) && Number.isInteger(n) && 1 <= k && k <= n && n <= MAX_OPENERS)) {
    throw new RangeError(`need 1 <= k <= n <= ${MAX_OPENERS}, got k=${k}, n=${n}`);
  }
  const degree = k - 1;
  const coefficients = randomBytes(degree * secret.length);
  const points = [];
  for (let x = 1; x <= n; x++) {
    const y = new Uint8Array(secret.length);
    for (let j = 0; j < secret.length; j++) {
      let acc = 0;
      for (let c = (j + 1) * degree - 1; c >= j * degree; c--) { // Horner
        acc = gfMul(acc, x) ^ coefficients[c];
      }
      y[j] = gfMul(acc, x) ^ secret[j];
    }
    points.push({ x, y });
  }
  coefficients.fill(0);
  return points;
}

/** Lagrange interpolation at x = 0. Fewer than k points give a wrong secret, silently. */
export function combine(points) {
  const xs = points.map((p) => p.x);
  if (!points.length || new Set(xs).size !== xs.length
      || !xs.every((x) => Number.isInteger(x) && x > 0 && x < 256)) {
    throw new RangeError("need at least one point, with distinct x in 1..255");
  }
  const size = points[0].y.length;
  if (points.some((p) => p.y.length !== size)) throw new RangeError("points differ in length");
  const secret = new Uint8Array(size);
  points.forEach(({ x: xi, y }, i) => {
    let numerator = 1, denominator = 1;
    xs.forEach((xm, m) => {
      if (m !== i) { // in characteristic 2, 0 - xm = xm and xi - xm = xi ^ xm
        numerator = gfMul(numerator, xm);
        denominator = gfMul(denominator, xi ^ xm);
      }
    });
    const basis = gfMul(numerator, gfInv(denominator));
    for (let j = 0; j < size; j++) secret[j] ^= gfMul(basis, y[j]);
  });
  return secret;
}

// --- keys ------------------------------------------------------------------------------------

/** A new opener key, made on the opener's device: {privateJwk, publicKey (base64 raw point)}.
 *  The opener saves privateJwk (JSON) to a file of their own; only publicKey goes to the server. */
export async function generateOpenerKeyPair() {
  const pair = await subtle().generateKey(P256, true, ["deriveBits"]);
  const privateJwk = await subtle().exportKey("jwk", pair.privateKey);
  const publicKey = toB64(new Uint8Array(await subtle().exportKey("raw", pair.publicKey)));
  return { privateJwk, publicKey };
}

async function importPublic(publicKeyB64) {
  try {
    const raw = fromB64(publicKeyB64, 65, "public key");
    return { raw, key: await subtle().importKey("raw", raw, P256, false, []) };
  } catch (e) {
    throw new SealError("seal_bad_key", "a public key is base64 of a P-256 uncompressed point");
  }
}

// The private key: a JWK (object or JSON text) or a CryptoKeyPair. The public half is needed
// too, because the HKDF salt holds the opener's public key.
async function importPrivate(privateKey) {
  if (privateKey && privateKey.privateKey && privateKey.publicKey) {
    const raw = new Uint8Array(await subtle().exportKey("raw", privateKey.publicKey));
    return { raw, key: privateKey.privateKey };
  }
  try {
    const jwk = typeof privateKey === "string" ? JSON.parse(privateKey) : privateKey;
    if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.d) throw new Error("not P-256");
    const raw = concat(Uint8Array.of(4), fromB64Url(jwk.x), fromB64Url(jwk.y));
    if (raw.length !== 65) throw new Error("bad length");
    const clean = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d };
    return { raw, key: await subtle().importKey("jwk", clean, P256, false, ["deriveBits"]) };
  } catch (e) {
    throw new SealError("seal_bad_key", "the private key is not a P-256 JWK with d, x and y");
  }
}

// --- sealing and opening ---------------------------------------------------------------------

/** Encrypt one cover for `openers` [{id, public_key}] (the /sealing document's; the older
 *  name publicKey is read too), k of whom are needed to open it. */
export async function sealCover(plaintext, { tender, bidder, cover, openers, k }) {
  const binding = checkBinding(tender, bidder, cover, "seal_invalid_request");
  if (!Array.isArray(openers)) fail("seal_invalid_request", "openers must be a list");
  const ids = openers.map((o) => String(o.id));
  ids.forEach((id) => checkId(id, "opener id", "seal_invalid_request"));
  const n = ids.length;
  if (new Set(ids).size !== n) fail("seal_invalid_request", "opener ids must be unique");
  if (!(Number.isInteger(k) && 1 <= k && k <= n && n <= MAX_OPENERS)) {
    fail("seal_invalid_request", `need 1 <= k <= n <= ${MAX_OPENERS}, got k=${k}, n=${n}`);
  }
  const publics = await Promise.all(openers.map((o) => importPublic(o.public_key ?? o.publicKey)));
  const dataKey = randomBytes(32);
  const key = await subtle().importKey("raw", dataKey, "AES-GCM", false, ["encrypt"]);
  const iv = randomBytes(12);
  const ct = await aesGcm("encrypt", key, iv, toBytes(plaintext), coverAad(binding));
  const points = split(dataKey, k, n);
  dataKey.fill(0); // best effort: the CryptoKey holds its own copy
  const shares = [];
  for (let i = 0; i < n; i++) {
    shares.push(await sealShare(binding, ids[i], publics[i], points[i]));
  }
  points.forEach((p) => p.y.fill(0));
  const envelope = {
    v: VERSION, alg: ALG, kem: KEM, sss: SSS, aad: binding,
    iv: toB64(iv), ct: toB64(ct), k, n, shares,
  };
  envelope.sha256 = await envelopeHash(envelope);
  return envelope;
}

async function sealShare(binding, opener, recipient, { x, y }) {
  const ephemeral = await subtle().generateKey(P256, true, ["deriveBits"]);
  const epk = new Uint8Array(await subtle().exportKey("raw", ephemeral.publicKey));
  const info = shareInfo(binding, opener, x);
  const z = await subtle().deriveBits(
    { name: "ECDH", public: recipient.key }, ephemeral.privateKey, 256);
  const wrapKey = await deriveWrapKey(z, concat(epk, recipient.raw), info, "encrypt");
  const iv = randomBytes(12);
  const ct = await aesGcm("encrypt", wrapKey, iv, y, info);
  return {
    opener, x, epk: toB64(epk), iv: toB64(iv), ct: toB64(ct), commit: await commit(info, y),
  };
}

/** On the opener's device: decrypt this opener's share, as the share to release at opening:
 *  {v, envelope (hash), opener, x, y (base64)}. */
export async function decryptShare(envelope, openerId, privateKey) {
  const digest = await validate(envelope);
  const opener = String(openerId);
  const entry = envelope.shares.find((s) => s.opener === opener);
  if (!entry) fail("seal_envelope_mismatch", `the envelope holds no share for opener ${opener}`);
  const own = await importPrivate(privateKey);
  const info = shareInfo(envelope.aad, opener, entry.x);
  const epk = fromB64(entry.epk, 65, "share epk");
  const iv = fromB64(entry.iv, 12, "share iv");
  const ct = fromB64(entry.ct, 48, "share ct");
  let y;
  try {
    const ephemeral = await subtle().importKey("raw", epk, P256, false, []);
    const z = await subtle().deriveBits({ name: "ECDH", public: ephemeral }, own.key, 256);
    const wrapKey = await deriveWrapKey(z, concat(epk, own.raw), info, "decrypt");
    y = await aesGcm("decrypt", wrapKey, iv, ct, info);
  } catch (e) {
    fail("seal_share_decryption_failed", `the share of opener ${opener} does not open with `
      + "this key: wrong key, or the share was altered");
  }
  if ((await commit(info, y)) !== entry.commit) {
    fail("seal_wrong_share", `the share of opener ${opener} does not match its commitment`);
  }
  return { v: VERSION, envelope: digest, opener, x: entry.x, y: toB64(y) };
}

/** Check released shares against their commitments; recombine the data key from k of them. */
export async function combineShares(envelope, shares) {
  const digest = await validate(envelope);
  const points = new Map();
  for (const share of shares) {
    const entry = envelope.shares.find((s) => s.opener === share.opener);
    const y = fromB64(share.y, 32, "released share");
    const ok = entry && share.v === VERSION && share.envelope === digest && entry.x === share.x
      && (await commit(shareInfo(envelope.aad, share.opener, share.x), y)) === entry.commit;
    if (!ok) {
      fail("seal_wrong_share",
        `the share released by opener ${share.opener} is not a share of this envelope`);
    }
    points.set(share.opener, { x: share.x, y }); // a share released twice counts once
  }
  if (points.size < envelope.k) {
    fail("seal_not_enough_shares",
      `${points.size} of the ${envelope.k} shares needed were released`);
  }
  return combine([...points.values()].slice(0, envelope.k));
}

/** Open a cover from k released shares (the server does this in Python; here for symmetry). */
export async function openCover(envelope, shares) {
  const dataKey = await combineShares(envelope, shares);
  const key = await subtle().importKey("raw", dataKey, "AES-GCM", false, ["decrypt"]);
  dataKey.fill(0);
  const iv = fromB64(envelope.iv, 12, "iv");
  const ct = fromB64(envelope.ct, null, "ct");
  try {
    return await aesGcm("decrypt", key, iv, ct, coverAad(envelope.aad));
  } catch (e) {
    return fail("seal_cover_tampered", "the cover does not decrypt: its ciphertext, iv or "
      + "binding (tender, bidder, cover) was altered");
  }
}

/** Hex SHA-256 of the canonical JSON of the envelope without its `sha256` field. */
export async function envelopeHash(envelope) {
  const body = Object.fromEntries(Object.entries(envelope).filter(([key]) => key !== "sha256"));
  return hex(await sha256(utf8(canonical(body))));
}

// Shape, version and stored hash, in the order sealing/validation.py checks them; the hash.
async function validate(envelope) {
  const bad = (message) => fail("seal_malformed", message);
  const isObject = (value) => value && typeof value === "object" && !Array.isArray(value);
  if (!isObject(envelope)) bad("an envelope is a JSON object");
  const { v, alg, kem, sss } = envelope;
  if (v !== VERSION || alg !== ALG || kem !== KEM || sss !== SSS) {
    fail("seal_unsupported_version",
      `envelope version/suite ${JSON.stringify([v, alg, kem, sss])} is not supported`);
  }
  if (!sameFields(envelope, ENVELOPE_FIELDS)) bad("envelope fields differ from v1");
  const { aad, k, n, shares } = envelope;
  if (!isObject(aad) || !sameFields(aad, ["bidder", "cover", "tender"])) {
    bad("aad must hold exactly tender, bidder and cover");
  }
  checkBinding(aad.tender, aad.bidder, aad.cover, "seal_malformed");
  fromB64(envelope.iv, 12, "iv");
  if (fromB64(envelope.ct, null, "ct").length < 16) bad("ct is shorter than an AES-GCM tag");
  if (!(Number.isInteger(k) && Number.isInteger(n) && 1 <= k && k <= n && n <= MAX_OPENERS)) {
    bad("k and n must satisfy 1 <= k <= n <= 255");
  }
  if (!Array.isArray(shares) || shares.length !== n) bad("shares must list n entries");
  for (const share of shares) {
    if (!isObject(share) || !sameFields(share, SHARE_FIELDS)) bad("a share has the wrong fields");
    checkId(share.opener, "opener", "seal_malformed");
    if (!(Number.isInteger(share.x) && share.x >= 1 && share.x <= MAX_OPENERS)) {
      bad("a share's x must be in 1..255");
    }
    fromB64(share.epk, 65, "share epk");
    fromB64(share.iv, 12, "share iv");
    fromB64(share.ct, 48, "share ct");
    if (!isHex64(share.commit)) bad("a share's commit is 64 lowercase hex digits");
  }
  const distinct = (key) => new Set(shares.map((s) => s[key])).size === n;
  if (!distinct("opener") || !distinct("x")) bad("openers and x values must be unique");
  const digest = await envelopeHash(envelope);
  if (envelope.sha256 !== digest) {
    fail("seal_envelope_tampered", "the envelope's content does not match its sha256");
  }
  return digest;
}

// --- bindings, encodings ---------------------------------------------------------------------

function checkBinding(tender, bidder, cover, code) {
  checkId(tender, "tender", code);
  checkId(bidder, "bidder", code);
  if (!COVERS.includes(cover)) fail(code, `cover must be one of ${COVERS.join(", ")}`);
  return { tender, bidder, cover };
}

// Well-formed and bounded, so that JSON.stringify and Python's json.dumps agree byte for byte.
function checkId(value, what, code) {
  let ok = typeof value === "string";
  try {
    ok = ok && encodeURIComponent(value) !== "" && utf8(value).length <= MAX_ID_BYTES;
  } catch (e) { // URIError: a lone surrogate
    ok = false;
  }
  if (!ok) fail(code, `${what} must be a non-empty string of at most ${MAX_ID_BYTES} UTF-8 bytes`);
}

const coverAad = (b) => utf8(canonical([COVER_CONTEXT, b.tender, b.bidder, b.cover]));
const shareInfo = (b, opener, x) =>
  utf8(canonical([SHARE_CONTEXT, b.tender, b.bidder, b.cover, opener, x]));

async function deriveWrapKey(sharedSecret, salt, info, usage) {
  const ikm = await subtle().importKey("raw", sharedSecret, "HKDF", false, ["deriveBits"]);
  const bits = await subtle().deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, ikm, 256);
  return subtle().importKey("raw", bits, "AES-GCM", false, [usage]);
}

async function aesGcm(direction, key, iv, data, additionalData) {
  const params = { name: "AES-GCM", iv, additionalData, tagLength: 128 };
  return new Uint8Array(await subtle()[direction](params, key, data));
}

const commit = async (info, y) => hex(await sha256(concat(info, y)));
const sha256 = async (bytes) => new Uint8Array(await subtle().digest("SHA-256", bytes));

// Canonical JSON as Python writes it with sort_keys=True, separators=(",", ":"),
// ensure_ascii=False: the envelope holds only strings, safe integers, lists and ASCII keys.
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "string") return JSON.stringify(value);
  if (Number.isSafeInteger(value)) return String(value);
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return fail("seal_malformed", `cannot serialise ${typeof value} in an envelope`);
}

function sameFields(object, fields) {
  const keys = Object.keys(object).sort();
  return keys.length === fields.length && keys.every((key, i) => key === fields[i]);
}

const isHex64 = (value) => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
const utf8 = (text) => new TextEncoder().encode(text);
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function toBytes(data) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (typeof data === "string") return utf8(data);
  return fail("seal_invalid_request", "the cover must be bytes or text");
}

function randomBytes(length) {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) { // getRandomValues fills at most 64 KiB a call
    globalThis.crypto.getRandomValues(bytes.subarray(i, i + 65536));
  }
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}

function toB64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromB64(text, size, what) {
  let bytes = null;
  if (typeof text === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0) {
    bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }
  if (!bytes || (size !== null && bytes.length !== size)) {
    fail("seal_malformed", `${what} must be base64${size ? ` of ${size} bytes` : ""}`);
  }
  return bytes;
}

function fromB64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}
