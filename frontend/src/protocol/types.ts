// Sketchpad wire protocol, version 4: the types and constants. PROTOCOL.md
// (canvas/PROTOCOL.md in the repository) is the contract; this file and its
// siblings are the browser's twin of the Go package canvas.
//
// A session, seen from the browser:
//
//	browser                                  server
//	Hello{epoch, lastSeq, author, name} -->
//	                                     <-- Welcome{author, applied, head}
//	                                         + Snapshot (or Ops replaying lastSeq+1..)
//	                                         + Presence for everyone here
//	Begin{stroke 7, color, width, pts}  -->  seq 41 = (author 3, Begin)
//	Trace{residuals}                    -->  seq 42 = (author 3, Trace)
//	                                     <-- Ops{firstSeq 41: (3, Begin), (3, Trace)}
//	End                                 -->  seq 43 ...
//
// History: 1  strokes (pen), erase/restore, clear, presence, cursors.
//          2  highlighter and partial-eraser strokes (Begin tools 1, 2);
//             Shape, Text and Move ops; filled flag and text in snapshots.
//          3  Trace: points without pressure as second-order residuals,
//             about a byte each (delta.ts traceResiduals).
//          4  Restyle and Order: the style and z-order of what is drawn.
//          5  Image: a picture named by its content hash (PROTOCOL.md "Images").
//          5  View and Views (follow the leader's view); Ops in the
//             follow-on form (firstSeq 0).
//          5  Shared text: TextEdit and TextWrap (text_ops.ts), Editing and
//             Editors (who edits which text).

/** VERSION is the protocol version this client speaks. */
export const VERSION = 6;

// Op types (client frames carrying an op are exactly the op's bytes).
export const OP_BEGIN = 0x10; //   stroke uvarint, tool u8, flags u8, color u32, width uvarint, points
export const OP_POINTS = 0x11; //  points (dx, dy)
export const OP_POINTSP = 0x12; // points (dx, dy, p)
export const OP_END = 0x13; //     empty
export const OP_ERASE = 0x14; //   count uvarint, count × (author uvarint, stroke uvarint)
export const OP_RESTORE = 0x15; // same as Erase
export const OP_CLEAR = 0x16; //   n uvarint: the clearer's sweep number (none: version 3's clear for good, as logs hold it)
export const OP_SHAPE = 0x17; //   stroke uvarint, tool u8 (3..6), flags u8 (bit2 filled), color u32, width uvarint, x0 y0 x1 y1 svarint
export const OP_TEXT = 0x18; //    stroke uvarint, color u32, size uvarint, x svarint, y svarint, text string
export const OP_MOVE = 0x19; //    count uvarint, count × (author uvarint, stroke uvarint), dx svarint, dy svarint
export const OP_TRACE = 0x1a; //   trace codes up to the end of the op (residuals, PROTOCOL.md "Trace block")
export const OP_UNSWEEP = 0x1b; // by uvarint, n uvarint: undo of that sweep (a clear or a removal)
export const OP_REMOVE = 0x1c; //  n uvarint, author uvarint, since uvarint: a moderator's sweep of one author's strokes after seq since
export const OP_PURGE = 0x1d; //   an op that adds to the board: servers only (drops every swept stroke first)
export const OP_RESTYLE = 0x1e; // count uvarint, count × (author, stroke), parts u8, [color u32], [width uvarint], [fill u8]
export const OP_ORDER = 0x1f; //   count uvarint, count × (author, stroke), where u8, [anchor author, anchor stroke]
// 0x20 and 0x21 are the client messages Cursor and Name.
export const OP_TRANSFORM = 0x22; // count uvarint, count × (author, stroke), sx, sy, tx, ty svarint
export const OP_ROTATE = 0x23; // count uvarint, count × (author, stroke), angle, px, py svarint

/** A Rotate angle of 360°: angles are in 1/100 degree, |angle| in 1..FULL_TURN. */
export const FULL_TURN = 36000;
export const OP_IMAGE = 0x24; //     stroke uvarint, color u32, x0 y0 x1 y1 svarint, hash 32 bytes
/** An image's content hash (SHA-256): its bytes on the wire, hex digits in a stroke's text. */
export const IMAGE_HASH_BYTES = 32;
export const OP_TEXT_EDIT = 0x25; // author uvarint, stroke uvarint, text string: replaces a text's content
export const OP_TEXT_WRAP = 0x26; // author uvarint, stroke uvarint, wrap uvarint: a text's wrap width (0: none)
/** The widest wrap width a TextWrap may set, in board units. */
export const MAX_WRAP = 1 << 24;

/** A Transform scale of 1: scales are in 1/SCALE_ONE units, |s| in 1..MAX_SCALE. */
export const SCALE_ONE = 1 << 16;
export const MAX_SCALE = 1 << 22;

/** Restyle parts: which parts of the style a Restyle sets. */
export const PART_RGB = 1; //   the color's red, green, blue (its alpha stays)
export const PART_ALPHA = 2; // the color's alpha
export const PART_WIDTH = 4; // the width, a text's font size
export const PART_FILL = 8; //  filled (rect and ellipse only)
export const ALL_PARTS = 15;

/** Order destinations. */
export const WHERE_FRONT = 0;
export const WHERE_BACK = 1;
export const WHERE_FORWARD = 2;
export const WHERE_BACKWARD = 3;
/** Right above the anchor ({0, 0}: the bottom). */
export const WHERE_ABOVE = 4;

// Client message types.
export const MSG_HELLO = 0x01; //  version u8, epoch u64, lastSeq uvarint, author uvarint, name string, color u32
export const MSG_CURSOR = 0x20; // x svarint, y svarint
export const MSG_NAME = 0x21; //   name string, color u32
export const MSG_LASER = 0x28; //  count uvarint, count × (x svarint, y svarint)
export const MSG_EDITING = 0x2a; // author uvarint, stroke uvarint: the text the sender edits ((0, 0): none)
/** The most points a Laser carries, and a Lasers carries for one author. */
export const MAX_LASER_POINTS = 64;
export const MSG_VIEW = 0x29; //   x svarint, y svarint, w uvarint, h uvarint: the board rectangle shown (center, size)
/** The widest and highest view, in board units (the Go codec's MaxViewSpan). */
export const MAX_VIEW_SPAN = 1 << 30;

// Server message types (each: type u8, body length uvarint, body).
export const MSG_WELCOME = 0x80; //  version u8, epoch u64, author uvarint, applied uvarint, head uvarint
export const MSG_OPS = 0x81; //      firstSeq uvarint, count uvarint, count × (author uvarint, len uvarint, op); or 0 then (author, len, op) to the end (follow-on form)
export const MSG_SNAPSHOT = 0x82; // board encoding
export const MSG_PRESENCE = 0x83; // author uvarint, name string, color u32
export const MSG_LEAVE = 0x84; //    author uvarint
export const MSG_CURSORS = 0x85; //  count uvarint, count × (author uvarint, x svarint, y svarint)
export const MSG_NOTICE = 0x86; //   code u16, message string
export const MSG_LASERS = 0x87; //   count uvarint, count × (author uvarint, n uvarint, n × (x svarint, y svarint))
export const MSG_VIEWS = 0x88; //    count uvarint, count × (author uvarint, x svarint, y svarint, w uvarint, h uvarint)
export const MSG_EDITORS = 0x89; //  count uvarint, count × (editor uvarint, author uvarint, stroke uvarint)

/** Tools (a stroke's tool byte). Begin takes 0..2, Shape 3..6, Text makes 7. */
export const TOOL_PEN = 0;
export const TOOL_HIGHLIGHTER = 1;
/** The partial eraser: a path that clears what lies under it. */
export const TOOL_ERASER = 2;
export const TOOL_LINE = 3;
export const TOOL_ARROW = 4;
export const TOOL_RECT = 5;
export const TOOL_ELLIPSE = 6;
export const TOOL_TEXT = 7;
/** An image: two points (its box's corners), its hash (hex) as the stroke's text. */
export const TOOL_IMAGE = 8;
export const MAX_TOOL = TOOL_IMAGE;

/** isFreehand: a tool Begin takes (pen, highlighter, eraser). */
export function isFreehand(tool: number): boolean {
  return tool <= TOOL_ERASER;
}

/** isShape: a tool Shape takes (line, arrow, rect, ellipse). */
export function isShape(tool: number): boolean {
  return tool >= TOOL_LINE && tool <= TOOL_ELLIPSE;
}

/** Stroke flags: Begin takes only FLAG_PRESSURE, Shape only FLAG_FILLED. */
export const FLAG_PRESSURE = 1;
export const FLAG_HIDDEN = 2;
export const FLAG_FILLED = 4;

// Limits of the protocol itself: a frame that breaks one is malformed.
export const MAX_POINTS_PER_OP = 2048;
export const MAX_STROKES_PER_OP = 1024;
export const MAX_POINT_DELTA = 1 << 24;
/** A Trace residual's coordinates are within ±MAX_TRACE_RESIDUAL (two steps within MAX_POINT_DELTA differ by at most this). */
export const MAX_TRACE_RESIDUAL = 2 * MAX_POINT_DELTA;
export const COORD_LIMIT = 1 << 28;
export const MAX_STROKE_POINTS = 50000;
export const MAX_WIDTH = 4096;
export const MAX_NAME_BYTES = 64;
export const MAX_TEXT_BYTES = 4096;
export const MAX_MOVE_DELTA = 1 << 29;

/**
 * Point is a board point in 1/4 CSS pixel units: a delta from the previous
 * point of its stroke inside an op, absolute on a Board. p is the pressure
 * byte, 0 meaning "the device gave none".
 */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly p: number;
}

/** StrokeId names a stroke: its author and the author's number for it. */
export interface StrokeId {
  readonly author: number;
  readonly stroke: number;
}

export interface BeginOp {
  readonly type: 'begin';
  readonly stroke: number;
  readonly tool: number;
  readonly pressure: boolean;
  readonly color: number;
  readonly width: number;
  /** Deltas; the first is from (0, 0), so it is absolute. */
  readonly points: readonly Point[];
}

export interface PointsOp {
  readonly type: 'points';
  /** true: type 0x12 (PointsP), the points carry pressure. */
  readonly pressure: boolean;
  /** Deltas from the previous point of the stroke. */
  readonly points: readonly Point[];
}

/**
 * TraceOp appends points without pressure to the author's open stroke, each
 * as its residual: what it differs from the point predicted by the stroke's
 * last two points (delta.ts traceResiduals, tracePoints).
 */
export interface TraceOp {
  readonly type: 'trace';
  readonly residuals: readonly XY[];
}

/** XY is a pair of board coordinates (or of residuals). */
export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface EndOp {
  readonly type: 'end';
}

export interface EraseOp {
  readonly type: 'erase' | 'restore';
  readonly strokes: readonly StrokeId[];
}

/**
 * ClearOp sweeps every stroke no sweep holds yet under (author, n), n from
 * the author's stroke numbering; n 0 is version 3's clear for good (logs
 * replay it). PROTOCOL.md "Sweeps".
 */
export interface ClearOp {
  readonly type: 'clear';
  readonly n: number;
}

/** UnsweepOp shows again exactly the strokes sweep (by, n) hid. */
export interface UnsweepOp {
  readonly type: 'unsweep';
  readonly by: number;
  readonly n: number;
}

/** RemoveOp (moderators only) sweeps author's strokes put on the board after seq since, under (sender, n). */
export interface RemoveOp {
  readonly type: 'remove';
  readonly n: number;
  readonly author: number;
  readonly since: number;
}

/** AddOp is an op that can add to the board: the ops a server may number in a Purge. */
export type AddOp = BeginOp | PointsOp | TraceOp | ShapeOp | TextOp | ImageOp | TextEditOp;

/** PurgeOp (servers only) drops every swept stroke for good, then applies op. */
export interface PurgeOp {
  readonly type: 'purge';
  readonly op: AddOp;
}

/** ShapeOp creates or reshapes a two-point shape (line, arrow, rect, ellipse). */
export interface ShapeOp {
  readonly type: 'shape';
  readonly stroke: number;
  readonly tool: number;
  readonly filled: boolean;
  readonly color: number;
  readonly width: number;
  /** Absolute corners (for line and arrow: from and to). */
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** TextOp creates or edits a text: its top-left at (x, y), font size `size`. */
export interface TextOp {
  readonly type: 'text';
  readonly stroke: number;
  readonly color: number;
  readonly size: number;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** ImageOp places (or re-places) an image in the box with corners (x0, y0), (x1, y1); only color's alpha counts. */
export interface ImageOp {
  readonly type: 'image';
  readonly stroke: number;
  readonly color: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** The SHA-256 of the image's bytes, 64 lowercase hex digits. */
  readonly hash: string;
}

/** MoveOp moves strokes (anyone's) by (dx, dy). */
export interface MoveOp {
  readonly type: 'move';
  readonly strokes: readonly StrokeId[];
  readonly dx: number;
  readonly dy: number;
}

/** RestyleOp sets parts (PART_*) of the style of strokes (anyone's). */
export interface RestyleOp {
  readonly type: 'restyle';
  readonly strokes: readonly StrokeId[];
  readonly parts: number;
  /** Its rgb bytes with PART_RGB, its alpha byte with PART_ALPHA; 0 when neither. */
  readonly color: number;
  /** With PART_WIDTH; 0 otherwise. */
  readonly width: number;
  /** With PART_FILL; false otherwise. */
  readonly filled: boolean;
}

/** OrderOp changes the z-order of strokes (anyone's): WHERE_*. */
export interface OrderOp {
  readonly type: 'order';
  readonly strokes: readonly StrokeId[];
  readonly where: number;
  /** With WHERE_ABOVE: the stroke they go right above ({0, 0}: the bottom); {0, 0} otherwise. */
  readonly anchor: StrokeId;
}

/** TransformOp resizes strokes (anyone's) about the center of their points' box, then moves them (PROTOCOL.md "Transform"). */
export interface TransformOp {
  readonly type: 'transform';
  readonly strokes: readonly StrokeId[];
  /** Scales in 1/SCALE_ONE units. */
  readonly sx: number;
  readonly sy: number;
  readonly dx: number;
  readonly dy: number;
}

/** RotateOp turns strokes (anyone's) about a pivot, each about its own center too (PROTOCOL.md "Rotate"). */
export interface RotateOp {
  readonly type: 'rotate';
  readonly strokes: readonly StrokeId[];
  /** In 1/100 degree; positive turns +x toward +y (clockwise on screen). */
  readonly angle: number;
  readonly px: number;
  readonly py: number;
}

/** TextEditOp replaces the content of a text (anyone's; PROTOCOL.md "TextEdit"). */
export interface TextEditOp {
  readonly type: 'textEdit';
  readonly text: StrokeId;
  readonly content: string;
}

/** TextWrapOp sets the width a text's lines wrap to, in board units (0: only at newlines). */
export interface TextWrapOp {
  readonly type: 'textWrap';
  readonly text: StrokeId;
  readonly wrap: number;
}

/** Op is a sequenced message: one change to the board. */
export type Op =
  | BeginOp
  | PointsOp
  | TraceOp
  | EndOp
  | EraseOp
  | ClearOp
  | ShapeOp
  | TextOp
  | MoveOp
  | UnsweepOp
  | RemoveOp
  | PurgeOp
  | RestyleOp
  | OrderOp
  | TransformOp
  | TextEditOp
  | TextWrapOp
  | RotateOp
  | ImageOp;

export interface HelloMsg {
  readonly type: 'hello';
  readonly version: number;
  /** The room epoch the client knows, 0n for none. */
  readonly epoch: bigint;
  /** The last sequence number the client applied, 0 for none. */
  readonly lastSeq: number;
  /** The author id to resume, 0 for a new one. */
  readonly author: number;
  readonly name: string;
  readonly color: number;
}

export interface CursorMsg {
  readonly type: 'cursor';
  readonly x: number;
  readonly y: number;
}

/** LaserMsg is a stretch of this person's laser trail (relayed, never stored). */
export interface LaserMsg {
  readonly type: 'laser';
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** ViewMsg is the board rectangle this person shows: center (x, y), size w × h (relayed, never stored). */
export interface ViewMsg {
  readonly type: 'view';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface NameMsg {
  readonly type: 'name';
  readonly name: string;
  readonly color: number;
}

/** ClientMsg is what one client frame carries. */
export type ClientMsg = HelloMsg | CursorMsg | LaserMsg | ViewMsg | NameMsg | EditingMsg | Op;

/** EditingMsg says which text the sender has open for typing ({0, 0}: none). */
export interface EditingMsg {
  readonly type: 'editing';
  readonly text: StrokeId;
}

/** An Editors entry: editor has text open ({0, 0}: stopped). */
export interface TextEditor {
  readonly editor: number;
  readonly text: StrokeId;
}

export interface EditorsMsg {
  readonly type: 'editors';
  readonly editors: readonly TextEditor[];
}

export interface WelcomeMsg {
  readonly type: 'welcome';
  readonly version: number;
  readonly epoch: bigint;
  /** The client's author id from now on. */
  readonly author: number;
  /** This author's ops the room holds: the index to resend from. */
  readonly applied: number;
  /** The room's last sequence number when the Welcome was made. */
  readonly head: number;
}

/** SeqOp is an op and its author, as carried in an Ops message. */
export interface SeqOp {
  readonly author: number;
  readonly op: Op;
}

export interface OpsMsg {
  readonly type: 'ops';
  /** The first op's sequence number; 0: the follow-on form, numbered after the last op received. */
  readonly firstSeq: number;
  readonly ops: readonly SeqOp[];
}

export interface PresenceMsg {
  readonly type: 'presence';
  readonly author: number;
  readonly name: string;
  readonly color: number;
}

export interface LeaveMsg {
  readonly type: 'leave';
  readonly author: number;
}

export interface AuthorCursor {
  readonly author: number;
  readonly x: number;
  readonly y: number;
}

export interface CursorsMsg {
  readonly type: 'cursors';
  readonly cursors: readonly AuthorCursor[];
}

export interface AuthorLaser {
  readonly author: number;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface LasersMsg {
  readonly type: 'lasers';
  readonly lasers: readonly AuthorLaser[];
}

export interface AuthorView {
  readonly author: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface ViewsMsg {
  readonly type: 'views';
  readonly views: readonly AuthorView[];
}

export interface NoticeMsg {
  readonly type: 'notice';
  readonly code: number;
  readonly message: string;
}
