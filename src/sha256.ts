// SHA-256 (FIPS 180-4) of a short string, as hex. Written out because the credential hot path
// names its cache file by hashing the key on every `get`, and loading node:crypto costs about
// 2 ms of a ~25 ms Node start (2.5 ms under Bun), while this runs in microseconds for a few
// hundred bytes. Used for file names and the refresh jitter (token/policy.ts), never to protect
// anything; test/unit checks it against node:crypto.
const k = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** The message, a 0x80 byte, zero padding and the 64-bit bit length: a multiple of 64 bytes. */
function padded(text: string): Uint8Array {
  const data = Buffer.from(text, 'utf8');
  const bitLength = data.length * 8;
  const total = Math.ceil((data.length + 9) / 64) * 64;
  const msg = new Uint8Array(total);
  msg.set(data);
  msg[data.length] = 0x80;
  const hi = Math.floor(bitLength / 0x100000000);
  const lo = bitLength >>> 0;
  for (let i = 0; i < 4; i++) {
    msg[total - 8 + i] = (hi >>> (24 - 8 * i)) & 0xff;
    msg[total - 4 + i] = (lo >>> (24 - 8 * i)) & 0xff;
  }
  return msg;
}

/** The message schedule of the 64-byte block at `off`, into `w`. */
function schedule(msg: Uint8Array, off: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = ((msg[j]! << 24) | (msg[j + 1]! << 16) | (msg[j + 2]! << 8) | msg[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
}

/** The 64 rounds over one scheduled block, added into the state `hs`. */
function compress(hs: Uint32Array, w: Uint32Array): void {
  // Plain locals and no allocation per round: this runs once per `get`, in V8's interpreter.
  let a = hs[0]!, b = hs[1]!, c = hs[2]!, d = hs[3]!, e = hs[4]!, f = hs[5]!, g = hs[6]!, h = hs[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  // A Uint32Array stores each sum modulo 2^32.
  hs[0]! += a;
  hs[1]! += b;
  hs[2]! += c;
  hs[3]! += d;
  hs[4]! += e;
  hs[5]! += f;
  hs[6]! += g;
  hs[7]! += h;
}

export function sha256Hex(text: string): string {
  const msg = padded(text);
  const hs = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let off = 0; off < msg.length; off += 64) {
    schedule(msg, off, w);
    compress(hs, w);
  }
  let hex = '';
  for (const x of hs) hex += x.toString(16).padStart(8, '0');
  return hex;
}
