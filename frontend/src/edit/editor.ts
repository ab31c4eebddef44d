// The Editor turns what this person does (draw, erase, shapes, text,
// select and move, undo, redo, clear) into ops, and says what to show: the
// room's board as the SyncCore holds it, with our own unconfirmed work laid
// over it so that nothing waits for the server. DOM-free: input and
// rendering talk to it, tests drive it.
//
// What is shown:
//   committed()  strokes of the board that are closed, visible and where
//                the board has them: the cached layer
//   overlay()    strokes drawn on top every frame: others' open strokes,
//                strokes our pending moves have moved (with their offset),
//                then our own strokes not yet confirmed
//   shown()      all of it in z-order, for hit testing and export
// Our pending ops apply to all of it at once (edit/pending, edit/reshape).
// Its parts: edit/own_work (our work not yet confirmed), edit/shown (what
// is shown and what a click, an eraser or a marquee touches; pure) and
// edit/shown_cache, edit/selection, edit/drawing (the stroke or shape being
// drawn), edit/erase_gesture, edit/move_gesture, edit/arrange (restyle,
// z-order, nudge, resize and turn of the selection), edit/text and
// edit/text_claim (texts and who types into them), edit/sweeper.

import type { Board, Stroke } from '../protocol/board';
import { TOOL_TEXT, type Op, type StrokeId } from '../protocol/types';
import type { Rect } from '../geometry/bounds';
import type { EraserPath, XY } from '../geometry/hit';
import { selectionExtent } from '../geometry/shape';
import { SyncCore, type Identity, type SyncListener } from '../net/sync';
import {
  EMPTY_HISTORY,
  SELF,
  canRedo,
  canUndo,
  record,
  redo as redoHistory,
  undo as undoHistory,
  visibilityOps,
  type History,
  type Locate,
} from './history';
import { type ShapeStyle, type StrokeStyle } from './local';
import { Arranger } from './arrange';
import { rehearsing, type Rehearsal } from './rehearsal';
import { Sweeper } from './sweeper';
import { TextEdits } from './text';
import { relay } from './sync_relay';
import { TextClaim } from './text_claim';
import { Drawing, type Sample } from './drawing';
import { Eraser } from './erase_gesture';
import { Mover } from './move_gesture';
import { OwnWork } from './own_work';
import { CommittedCache } from './committed_cache';
import { ShownCache } from './shown_cache';
import { Selection } from './selection';
import { Folder } from './reshape';
import { BoardNames, extentCache, hitTest, shownItems, strokeAt, strokesIn, type ExtentOf, type OverlayItem, type ShownItem, type ShownState } from './shown';

export type { ShapeStyle, StrokeStyle, TextStyle } from './local';
export type { OverlayItem, Paintable, ShownItem } from './shown';
export type { Sample } from './drawing';

export interface EditorListener extends SyncListener {
  /** What is shown changed: render the next frame. */
  changed?(): void;
  /** Undo or redo became possible or impossible. */
  historyChanged?(canUndo: boolean, canRedo: boolean): void;
}

export class Editor {
  readonly sync: SyncCore;
  /** Our strokes and ops the room has not confirmed yet. */
  private readonly own: OwnWork;
  /** The stroke or shape being drawn. */
  private readonly draw: Drawing = new Drawing({
    readOnly: () => this.readOnly,
    endGestures: () => this.endGestures(),
    newStroke: () => this.own.newStroke(),
    push: (op) => this.push(op),
    addLocal: (l) => this.own.add(l),
    dropItem: (l) => this.own.drop(l),
    recordStroke: (n) => this.setHistory(record(this.historyV, { kind: 'stroke', stroke: n })),
    changed: () => this.changed(),
  });
  /** Restyle, z-order and nudge of the selection. */
  readonly arrange: Arranger = new Arranger({
    readOnly: () => this.readOnly,
    selection: () => this.selection,
    selectedItems: () => this.picked.now().items,
    shown: () => this.shown(),
    board: () => this.sync.board,
    me: () => this.sync.author,
    endGestures: () => this.endGestures(),
    push: (op) => this.push(op),
    record: (a) => this.setHistory(record(this.historyV, a)),
    changed: () => this.changed(),
    dragged: () => this.listener.changed?.(),
    newStroke: () => this.own.newStroke(),
    select: (ids) => this.select(ids),
    addLocal: (l) => this.own.add(l),
  });
  /** Placing texts and typing into anyone's. */
  readonly texts: TextEdits = new TextEdits({
    readOnly: () => this.readOnly,
    endGestures: () => this.endGestures(),
    newStroke: () => this.own.newStroke(),
    push: (op) => this.push(op),
    addLocal: (l) => this.own.add(l),
    local: (n) => this.own.byN.get(n),
    shown: (all) => this.shown(all),
    shownWithEdited: () => shownItems({ ...this.shownState(), editingKey: null }, true),
    extentOf: (s) => this.extentOf(s),
    record: (a) => this.setHistory(record(this.historyV, a)),
    changed: () => this.changed(),
    setEditingKey: (k) => {
      if (k === this.editingKey) return;
      this.editingKey = k;
      this.changed();
    },
  });
  /** The clear, anyone's undo of it, a moderator's removal. */
  readonly sweeps: Sweeper = new Sweeper({
    readOnly: () => this.readOnly,
    me: () => this.sync.author,
    endGestures: () => this.endGestures(),
    newStroke: () => this.own.newStroke(),
    push: (op) => this.push(op),
    record: (a) => this.setHistory(record(this.historyV, a)),
    dropSelection: () => this.picked.clear(),
    changed: () => this.changed(),
  });
  /** The stroke eraser. */
  private readonly eraser: Eraser = new Eraser({
    readOnly: () => this.readOnly,
    endGestures: () => this.endGestures(),
    touches: (path) => this.hitTest(path),
    push: (op) => this.push(op),
    record: (a) => this.setHistory(record(this.historyV, a)),
    changed: () => this.changed(),
  });
  /** Dragging the selection. */
  private readonly mover: Mover = new Mover({
    readOnly: () => this.readOnly,
    selection: () => this.selection,
    endGestures: () => this.endGestures(),
    push: (op) => this.push(op),
    record: (a) => this.setHistory(record(this.historyV, a)),
    changed: () => this.changed(),
    // Only the gesture moved: what is shown changes when its Moves go out.
    dragged: () => this.listener.changed?.(),
  });
  /** Our claim on the text we type into. */
  private readonly claim: TextClaim = new TextClaim(() => this.sync, () => this.texts.setEditing(null));
  private historyV: History = EMPTY_HISTORY;
  private editingKey: string | null = null;
  private soloV = 0;
  private readonly committedCache = new CommittedCache();
  private readonly shownCache = new ShownCache();
  private readonly folder = new Folder();
  private readonly dragKeys = new BoardNames();
  /** What is selected (edit/selection). */
  private readonly picked = new Selection({
    cache: this.shownCache,
    shown: () => this.shown(),
    frameOf: (s) => this.frameOf(s),
    me: () => this.sync.author,
  });

  constructor(send: (frame: Uint8Array) => void, private readonly listener: EditorListener, identity: Identity) {
    this.sync = new SyncCore(
      send,
      {
        reset: () => {
          this.committedCache.boardChanged();
          this.dropLocal();
          listener.reset?.();
        },
        boardReplaced: (b) => {
          this.committedCache.boardChanged();
          this.own.advance(b);
          listener.boardReplaced?.(b);
          this.changed();
        },
        applied: (e, author) => {
          this.committedCache.boardChanged(e);
          // Version 3's clear (replayed) or a purge deleted strokes for
          // good: our undo steps may name them. Sweeps delete nothing.
          if (e.kind === 'clear' && author !== this.sync.author) this.setHistory(EMPTY_HISTORY);
          listener.applied?.(e, author);
          this.changed();
        },
        acked: () => {
          this.retire();
          listener.acked?.();
        },
        welcomed: (w, epochChanged) => {
          this.committedCache.boardChanged();
          this.own.advance(this.sync.board);
          this.retire();
          listener.welcomed?.(w, epochChanged);
          this.changed();
        },
        ...relay(listener),
        editors: () => {
          this.claim.check();
          listener.editors?.();
        },
      },
      identity,
    );
    this.own = new OwnWork(this.sync);
    // The room's echo of our own Transform or Rotate is what we folded when we sent it.
    this.sync.known = this.folder;
  }

  /** restoreWork takes over an earlier page's unsent work (SyncCore.restoreWork) and shows it until the room has it. */
  restoreWork(epoch: bigint, author: number, base: number, ops: readonly Op[]): boolean {
    const uids = this.sync.restoreWork(epoch, author, base, ops);
    if (!uids) return false;
    this.own.restore(ops, uids);
    this.changed();
    return true;
  }

  get board(): Board {
    return this.sync.board;
  }

  get history(): History {
    return this.historyV;
  }

  /** readOnly: this page may not change the board (a view link). */
  get readOnly(): boolean {
    return this.sync.readOnly;
  }

  /** drawing is true while a freehand stroke or a shape is being drawn. */
  get drawing(): boolean {
    return this.draw.active;
  }

  /** busy is true during any gesture (drawing, erasing, moving): undo waits. */
  get busy(): boolean {
    return this.draw.active || this.eraser.active || this.mover.ids !== null || this.arrange.busy;
  }

  // ---- freehand strokes and shapes (edit/drawing) ----

  /** beginStroke starts a freehand stroke at s; the Begin is sent at once. */
  beginStroke(s: Sample, style: StrokeStyle): void {
    this.draw.beginStroke(s, style);
  }

  /** extendStroke adds samples to the stroke being drawn; they are sent at the next flush. */
  extendStroke(samples: readonly Sample[]): void {
    this.draw.extendStroke(samples);
  }

  /** endStroke ends the stroke being drawn: its last points and End are sent. */
  endStroke(): void {
    this.draw.endStroke();
  }

  /** cancelStroke ends the stroke or shape being drawn and erases it, leaving no undo step. */
  cancelStroke(): void {
    this.draw.cancelStroke();
  }

  /** shapeStart starts a shape at p; nothing is sent until it has a size. */
  shapeStart(p: XY, style: ShapeStyle): void {
    this.draw.shapeStart(p, style);
  }

  /** shapeMove drags the shape's second corner to p; constrain (Shift) snaps lines to 45° and makes squares and circles. */
  shapeMove(p: XY, constrain = false): void {
    this.draw.shapeMove(p, constrain);
  }

  /** shapeEnd ends the shape: its last geometry is sent; a shape never dragged is dropped. */
  shapeEnd(): void {
    this.draw.shapeEnd();
  }

  /** addImage places image hash (uploaded to the board) in the box with corners a and b; it returns its stroke number. */
  addImage(hash: string, a: XY, b: XY): number {
    const n = this.draw.image(hash, a, b);
    if (n) this.select([{ author: SELF, stroke: n }]);
    return n;
  }

  // ---- text (edit/text: the Editor's texts; edit/text_claim) ----

  /**
   * claimText says that this page types into text id (ours with author
   * SELF; null: none now), the Editing claim the others see. onYield is
   * called, once, when someone with a lower author id claims the same text
   * (edit/text_claim): it closes the field, keeping what was typed.
   */
  claimText(id: StrokeId | null, onYield?: () => void): void {
    this.claim.claim(id, onYield);
  }

  // ---- the stroke eraser (edit/erase_gesture) ----

  /** eraseStart starts an eraser gesture at s with the given radius (board units). */
  eraseStart(s: XY, radius: number): void {
    this.eraser.start(s, radius);
  }

  /** eraseMove erases every shown stroke the eraser touches on its way through samples. */
  eraseMove(samples: readonly XY[]): void {
    this.eraser.move(samples);
  }

  /** eraseEnd ends the eraser gesture; what it erased becomes one undo step. */
  eraseEnd(): void {
    this.eraser.end();
  }

  /** eraseCancel ends the eraser gesture and restores what it erased, leaving no undo step. */
  eraseCancel(): void {
    this.eraser.cancel();
  }

  /**
   * hitTest returns the names of the shown strokes the eraser path touches,
   * own strokes named with author SELF (partial-eraser strokes never).
   */
  hitTest(path: EraserPath): StrokeId[] {
    return hitTest(this.shown(), path, this.extentOf);
  }

  // ---- selection ----

  /** selection returns the selected strokes still shown, own ones with author SELF. */
  get selection(): StrokeId[] {
    return this.picked.ids();
  }

  /** strokeAt returns the topmost shown stroke at p (within radius), or null. */
  strokeAt(p: XY, radius: number): StrokeId | null {
    return strokeAt(this.shown(), p, radius, this.extentOf);
  }

  /** strokesIn returns the shown strokes a marquee r touches, in z-order. */
  strokesIn(r: Rect): StrokeId[] {
    return strokesIn(this.shown(), r, this.extentOf);
  }

  /** select sets the selection. */
  select(ids: readonly StrokeId[]): void {
    this.picked.set(ids);
    this.changed();
  }

  isSelected(id: StrokeId): boolean {
    return this.picked.has(id);
  }

  /** selectAll selects every shown stroke (not partial-eraser strokes). */
  selectAll(): void {
    this.select(this.shown().filter((it) => !it.growing && it.stroke.tool !== 2).map((it) => it.id));
  }

  /** selectionBounds returns the box the selection is framed by (geometry/shape selectionExtent). */
  selectionBounds(): Rect {
    return this.picked.now().bounds;
  }

  /** moveBy drags the selection by (dx, dy) board units; Move ops go out at each flush. */
  moveBy(dx: number, dy: number): void {
    this.mover.by(dx, dy);
  }

  /** moveEnd ends the drag; the whole move becomes one undo step. */
  moveEnd(): void {
    this.mover.end();
  }

  /** deleteSelection erases the selection (one undo step). */
  deleteSelection(): boolean {
    if (this.readOnly) return false;
    const ids = this.selection;
    if (ids.length === 0) return false;
    this.endGestures();
    for (const op of visibilityOps('erase', ids)) this.push(op);
    this.setHistory(record(this.historyV, { kind: 'erase', strokes: ids }));
    this.picked.clear();
    this.changed();
    return true;
  }

  /**
   * flush sends, once per animation frame, what accumulated: the stroke or
   * shape drawn, what the eraser touched, the selection's drag. A drag of
   * bigFrom strokes or more (by a handle, or of the selection itself) is
   * left (true) for flushLeft after the frame: what its ops show copies
   * every point of the selection.
   */
  flush(bigFrom = Infinity): boolean {
    this.draw.flush();
    this.eraser.flush(false);
    if ((this.mover.ids?.length ?? 0) >= bigFrom || (this.arrange.dragged?.length ?? 0) >= bigFrom) return true;
    this.mover.flush();
    this.arrange.flush();
    return false;
  }

  /**
   * flushLeft sends what flush left, and folds what it shows (the
   * overlay: every point of the selection made anew) before the next frame
   * asks; it returns whether it sent anything. shownLeft works out the rest
   * the frame asks, in a task of its own: each is several milliseconds of
   * a thousand strokes.
   */
  flushLeft(): boolean {
    const moved = this.mover.flush();
    const arranged = this.arrange.flush();
    if (!moved && !arranged) return false;
    this.overlay();
    return true;
  }

  /** shownLeft works out what the next frame asks after flushLeft: the committed strokes and the selection as shown. */
  shownLeft(): void {
    this.committed();
    this.picked.now();
  }

  // ---- undo, redo, clear ----

  undo(): boolean {
    if (this.busy || this.readOnly) return false;
    const { history, ops } = undoHistory(this.historyV, this.locate, this.arrange.pivotOf);
    if (history === this.historyV) return false;
    for (const op of ops) this.push(op);
    this.setHistory(history);
    this.changed();
    return true;
  }

  redo(): boolean {
    if (this.busy || this.readOnly) return false;
    const { history, ops } = redoHistory(this.historyV, this.locate, this.arrange.pivotOf);
    if (history === this.historyV) return false;
    for (const op of ops) this.push(op);
    this.setHistory(history);
    this.changed();
    return true;
  }

  // ---- what is shown ----

  /** solo is the author whose work alone is shown (0: everyone's). */
  get solo(): number {
    return this.soloV;
  }

  /** setSolo shows only author's work (0: everyone's again). Drawing goes on as usual. */
  setSolo(author: number): void {
    if (author === this.soloV) return;
    this.soloV = author;
    this.picked.clear();
    this.changed();
  }

  /** committed returns the closed, shown strokes of the board that are where the board has them, in z-order. */
  committed(): Stroke[] {
    return this.committedCache.get(this.shownState());
  }

  /** transforming returns the board names ("author:stroke") of what a drag of ours moves, resizes or turns (one array a drag); null: none. */
  transforming(): readonly string[] | null {
    const ids = this.mover.ids ?? this.arrange.dragged;
    return ids ? this.dragKeys.of(ids, this.sync.author) : null;
  }

  /** selectedKeys names the selection as shown as transforming() will when it is dragged (one array while it is the same); null: fewer than atLeast. */
  selectedKeys(atLeast: number): readonly string[] | null {
    return this.picked.keys(atLeast);
  }

  /** rehearsing rehearses a drag of the selection (edit/rehearsal), a step at a time, telling onStep what each shows; null: read-only, or nothing selected. */
  rehearsing(onStep: Rehearsal['onStep'] = () => {}): Generator<void, number> | null {
    const ids = this.selection;
    if (this.readOnly || ids.length === 0) return null;
    return rehearsing({ st: this.shownState(), entries: this.sync.outbox.entries(), ids, frameOf: this.frameOf, pivotOf: this.arrange.pivotOf, onStep });
  }

  /** overlay returns the strokes drawn on top each frame, bottom first. */
  overlay(): OverlayItem[] {
    return this.shown(false);
  }

  /**
   * shown returns every shown stroke in z-order (the board's, then ours not
   * yet confirmed), with the offset our pending moves give it. all=false
   * keeps only what the committed layer does not draw.
   */
  shown(all = true): ShownItem[] {
    return this.shownCache.items(this.shownState(), all);
  }

  /** localStrokes is how many of our strokes wait for the room's confirmation. */
  get localStrokes(): number {
    return this.own.items.length;
  }

  /** extentOf returns what painting s may touch (cached per stroke object and point count). */
  readonly extentOf: ExtentOf = extentCache();

  // ---- internals ----

  /** frameOf is the box the selection frames s by: a text's measured box, others their (cached) extent. */
  private readonly frameOf = (s: Stroke): Rect => (s.tool === TOOL_TEXT ? selectionExtent(s) : this.extentOf(s));

  private readonly locate: Locate = (n) => {
    const t = this.texts.own(n);
    return t ? { x: t.x, y: t.y } : null;
  };

  /** endGestures ends whatever gesture is going on before another starts. */
  private endGestures(): void {
    this.draw.endAny();
    this.eraser.end();
    this.moveEnd();
    this.arrange.resizeEnd();
  }

  private push(op: Op): number {
    const uid = this.sync.push(op);
    if (this.own.pushed(op)) this.shownCache.changed();
    return uid;
  }

  /** retire forgets local items whose last op the room has applied: the board shows them now. */
  private retire(): void {
    this.own.retire(this.draw.item);
    this.changed();
  }

  private dropLocal(): void {
    this.own.reset();
    this.draw.reset();
    this.eraser.reset();
    this.mover.reset();
    this.arrange.reset();
    this.picked.clear();
    this.editingKey = null;
    this.setHistory(EMPTY_HISTORY);
    this.changed();
  }

  /** shownState is what decides what is shown now. */
  private shownState(): ShownState {
    return {
      board: this.sync.board,
      me: this.sync.author,
      pending: this.own.pending,
      locals: this.own.items,
      localByN: this.own.byN,
      growing: this.draw.item,
      erasing: this.eraser.keys,
      editingKey: this.editingKey,
      solo: this.soloV,
      folder: this.folder,
    };
  }

  private setHistory(h: History): void {
    const before = this.historyV;
    this.historyV = h;
    if (canUndo(before) !== canUndo(h) || canRedo(before) !== canRedo(h)) {
      this.listener.historyChanged?.(canUndo(h), canRedo(h));
    }
  }

  private changed(): void {
    this.shownCache.changed();
    this.listener.changed?.();
  }
}
