// UTF-8 <-> string through the platform's TextEncoder/TextDecoder. Declared locally because this
// package compiles without DOM or node type libraries, on purpose (it must stay runtime-neutral).
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
  encodeInto(input: string, dest: Uint8Array): { read: number; written: number };
}
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => Utf8Decoder;
declare const TextEncoder: new () => Utf8Encoder;

const lenientDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);

/** Writes `text` into `dest`; `written` is short when `dest` is too small. */
export const encodeUtf8Into = (text: string, dest: Uint8Array): { read: number; written: number } =>
  encoder.encodeInto(text, dest);

/** Replaces invalid sequences with U+FFFD; for text we produced ourselves or only display. */
export const decodeUtf8 = (bytes: Uint8Array): string => lenientDecoder.decode(bytes);

/**
 * Client input must be valid UTF-8 (PostgreSQL rejects it with SQLSTATE 22021), so hostile bytes
 * yield `undefined` instead of silently becoming U+FFFD.
 */
export const decodeUtf8Strict = (bytes: Uint8Array): string | undefined => {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
};

/** Upper bound of UTF-8 bytes for a JS string (3 bytes per UTF-16 unit covers surrogate pairs too). */
export const maxUtf8Length = (text: string): number => text.length * 3;
