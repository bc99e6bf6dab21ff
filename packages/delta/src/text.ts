// UTF-8 <-> string through the platform's TextEncoder/TextDecoder (Node, browsers, Deno and Bun
// all have them as globals). Declared locally because this package compiles without DOM or node
// type libraries, on purpose.
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => Utf8Decoder;
declare const TextEncoder: new () => Utf8Encoder;

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export const decodeUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);
export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);
