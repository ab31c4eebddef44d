// TextEdit and TextWrap (PROTOCOL.md "Ops"; canvas/text.go): anyone edits
// any text by replacing its content, and sets the width its lines wrap to.

import { ByteReader, ByteWriter, ProtocolError } from './bytes';
import { MAX_TEXT_BYTES, MAX_WRAP, OP_TEXT_EDIT, type StrokeId, type TextEditOp, type TextWrapOp } from './types';

export function writeTextOp(w: ByteWriter, op: TextEditOp | TextWrapOp): void {
  w.uvarint(op.text.author).uvarint(op.text.stroke);
  if (op.type === 'textEdit') w.str(op.content);
  else w.uvarint(op.wrap);
}

/** readTextOp reads the body of a TextEdit or TextWrap (type byte t, already read). */
export function readTextOp(r: ByteReader, t: number): TextEditOp | TextWrapOp {
  const text = readTextId(r);
  if (text.stroke === 0) throw new ProtocolError('stroke number 0');
  if (t === OP_TEXT_EDIT) return { type: 'textEdit', text, content: r.str('text', MAX_TEXT_BYTES) };
  const wrap = r.uvarint();
  if (wrap > MAX_WRAP) throw new ProtocolError(`wrap width ${wrap} over ${MAX_WRAP}`);
  return { type: 'textWrap', text, wrap };
}

/** readTextId reads a text's name: author uvarint, stroke uvarint. */
export function readTextId(r: ByteReader): StrokeId {
  const author = r.uvarint32('author');
  return { author, stroke: r.uvarint32('stroke') };
}
