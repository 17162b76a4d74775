import { randomFillSync } from "node:crypto";

let lastMs = -1;
let counter = 0;

/**
 * A new UUID version 7 (RFC 9562) in canonical lower-case 8-4-4-4-12 text: 48 bits of Unix time
 * in milliseconds, then 12 bits that count up within one millisecond (so ids made by this process
 * sort in creation order), the variant, and 62 random bits. `at` (ms) is for tests and backfills.
 */
export function uuidv7(at?: number): string {
  const bytes = new Uint8Array(16);
  randomFillSync(bytes);
  const random12 = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // random start, leaving room to count up
  let now: number;
  let seq: number;
  if (at !== undefined) {
    now = at; // an explicit time: no ordering state
    seq = random12;
  } else {
    now = Date.now();
    if (now > lastMs) {
      lastMs = now;
      counter = random12;
    } else {
      counter += 1; // same millisecond (or the clock went back): count up, never go back
      if (counter > 0xfff) {
        lastMs += 1;
        counter = 0;
      }
    }
    now = lastMs;
    seq = counter;
  }
  let ms = BigInt(now);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = 0x70 | ((seq >> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Whether `id` is a UUID version 7 (RFC 9562 variant) in canonical 8-4-4-4-12 text. */
export function isUuidV7(id: string): boolean {
  return UUID_V7.test(id);
}
