/**
 * Compact JSON, byte-identical across this project's SDKs: no spaces, object keys in insertion
 * order (a Map keeps any order; a plain object follows JavaScript's own key order, which puts
 * integer-like keys first), non-ASCII characters written as themselves (UTF-8), `"` and `\`
 * escaped, \b \f \n \r \t as short escapes and the other control characters as \u00XX in lower
 * case. bigint values are written as JSON integers. Like JSON.stringify, `toJSON` is honoured,
 * `undefined`/functions/symbols are skipped in objects and become null in arrays, and non-finite
 * numbers become null.
 */
export function encodeJsonText(value: unknown): string {
  const out = write(value, "");
  if (out === undefined) throw new TypeError("the value has no JSON form");
  return out;
}

/** The compact JSON text of `value` as UTF-8 bytes. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(encodeJsonText(value), "utf8");
}

/** Parses UTF-8 JSON bytes. */
export function decodeJson<T = unknown>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as T;
}

function write(value: unknown, key: string): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case "string":
      return JSON.stringify(value); // escapes exactly as documented above
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return write(value.valueOf(), key);
  }
  if (Array.isArray(value)) {
    return "[" + value.map((item, i) => write(item, String(i)) ?? "null").join(",") + "]";
  }
  const entries: Iterable<[unknown, unknown]> = value instanceof Map ? value.entries() : Object.entries(value as object);
  const parts: string[] = [];
  for (const [k, v] of entries) {
    if (typeof k !== "string") throw new TypeError(`JSON object keys must be strings, got ${typeof k}`);
    const text = write(v, k);
    if (text !== undefined) parts.push(JSON.stringify(k) + ":" + text);
  }
  return "{" + parts.join(",") + "}";
}
