/**
 * A bounded pre-scan of an lz-string `compressToEncodedURIComponent` payload: it walks
 * the code stream keeping only the *lengths* of dictionary entries, so it learns how
 * long the decompressed text would be without building it, and stops as soon as the
 * length passes a cap.
 *
 * Why: LZ dictionaries grow one character per code, so a crafted 64 KB payload can
 * expand to ~5·10⁸ characters (measured: 20 KB → 5·10⁷). lz-string has no output limit,
 * so a hostile link could exhaust a tab's memory before any size check. The page calls
 * lz-string only after this scan has accepted the payload, and checks that the
 * lengths agree (the fuzz test checks it on thousands of payloads).
 *
 * The scan is stricter than lz-string: characters outside the alphabet, a stream that
 * ends before its end code, and references to codes not yet defined are errors here,
 * where lz-string would return null, "" or garbage.
 */

/** The 64 characters of lz-string's URI-safe alphabet, in value order. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

export type LzScan =
  { ok: true; length: number } | { ok: false; reason: 'corrupt' | 'too-large'; detail: string };

/**
 * Length in UTF-16 units of `decompressFromEncodedURIComponent(payload)`, or why it is
 * refused: `too-large` as soon as the output would exceed `cap` characters, `corrupt`
 * when the stream is not one lz-string writes. Runs in O(payload length) time.
 */
export function lzDecodedLength(payload: string, cap: number): LzScan {
  const values = new Uint8Array(payload.length);
  for (let i = 0; i < payload.length; i++) {
    const v = VALUE.get(payload[i] as string);
    if (v === undefined) {
      return {
        ok: false,
        reason: 'corrupt',
        detail: `unexpected character "${payload[i]}" at position ${i}`,
      };
    }
    values[i] = v;
  }
  // Bits are read least significant first from each 6-bit value, high bit of the value first.
  let index = 0;
  let mask = 32;
  const bit = (): number => {
    const b = index < values.length && ((values[index] as number) & mask) !== 0 ? 1 : 0;
    mask >>= 1;
    if (mask === 0) {
      mask = 32;
      index += 1;
    }
    return b;
  };
  const read = (n: number): number => {
    let x = 0;
    for (let k = 0; k < n; k++) x += bit() * 2 ** k;
    return x;
  };

  const lengths: number[] = [0, 0, 0];
  const first = read(2);
  if (first === 2) return { ok: true, length: 0 };
  if (first === 3) return { ok: false, reason: 'corrupt', detail: 'bad first code' };
  read(first === 0 ? 8 : 16);
  lengths.push(1);
  let w = 1;
  let total = 1;
  let enlargeIn = 4;
  let numBits = 3;
  const tick = (): void => {
    enlargeIn -= 1;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  };
  for (;;) {
    // lz-string gives up when a code starts after the last character.
    if (index >= values.length) return { ok: false, reason: 'corrupt', detail: 'the data ends early' };
    let c = read(numBits);
    if (c === 2) return { ok: true, length: total };
    if (c === 0 || c === 1) {
      read(c === 0 ? 8 : 16);
      lengths.push(1);
      c = lengths.length - 1;
      tick();
    }
    let entry: number;
    if (c >= 3 && c < lengths.length) entry = lengths[c] as number;
    else if (c === lengths.length) entry = w + 1;
    else return { ok: false, reason: 'corrupt', detail: `undefined code ${c}` };
    total += entry;
    if (total > cap)
      return { ok: false, reason: 'too-large', detail: `decompresses to over ${cap} characters` };
    lengths.push(w + 1);
    tick();
    w = entry;
  }
}
