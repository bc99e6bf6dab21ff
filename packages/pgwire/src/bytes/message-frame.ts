import type { ByteWriter } from './byte-writer.js';

/**
 * Writes a typed message: type byte, then `body` between a reserved Int32 length (which counts
 * itself but not the type byte) that is patched afterwards.
 */
export const writeFrame = (w: ByteWriter, typeByte: number, body: (w: ByteWriter) => void): void => {
  w.u8(typeByte);
  const at = w.reserveI32();
  body(w);
  w.patchI32(at, w.length - at);
};

/** Untyped startup-phase packet: Int32 length then body. */
export const writeUntypedFrame = (w: ByteWriter, body: (w: ByteWriter) => void): void => {
  const at = w.reserveI32();
  body(w);
  w.patchI32(at, w.length - at);
};
