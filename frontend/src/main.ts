// Sketchpad's browser app: wiring. The page at /b/{room} draws at once;
// the connection to /ws/{room} comes and goes underneath.

import { makeAPI } from './api';
import { Editor } from './edit/editor';
import { strokeBounds, union, EMPTY_RECT, type Rect } from './geometry/bounds';
import { pressureByte } from './geometry/outline';
import {
  HOME_VIEW,
  ZOOM_STEP,
  boardLength,
  centerOn,
  fitRect,
  panBy,
  pinch,
  setZoom,
  toBoard,
  zoomAt,
  zoomOf,
  type View,
} from './geometry/view';
import { attachKeyboard } from './input/keyboard';
import { attachPointer, type PointerSample } from './input/pointer';
import type { Command } from './input/shortcuts';
import { Connection, type ConnState } from './net/connection';
import { roomName, roomSegment, socketURL } from './net/room_url';
import { Renderer } from './render/renderer';
import { RemoteCursors } from './ui/cursors';
import { h } from './ui/dom';
import { Minimap } from './ui/minimap';
import { PeopleList } from './ui/people';
import { loadPrefs, savePrefs, type Prefs } from './ui/prefs';
import { StatusBanner } from './ui/status';
import { noticeNote } from './ui/status_text';
import { PALETTE, Toolbar, type Tool } from './ui/toolbar';
import { ViewStore, loadView } from './ui/view_store';
import { ZoomControls } from './ui/zoom_controls';

/** The eraser's radius in CSS pixels. */
const ERASER_RADIUS_PX = 10;

function main(): void {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas#board');
  if (!canvas) throw new Error('sketchpad: no canvas#board');
  const segment = roomSegment(location.pathname) || 'lobby';
  document.title = `${roomName(segment)} · Sketchpad`;

  let prefs: Prefs = loadPrefs({ penColor: PALETTE[0][0], penWidth: 16 });
  let tool: Tool = 'pen';
  let connection: Connection | null = null;
  let frameRequested = false;
  let cursorAt: { x: number; y: number } | null = null;
  let cursorDirty = false;
  let spaceHeld = false;
  let following = 0;

  const people = new PeopleList({ name: prefs.name, color: prefs.color }, (a) => follow(a === following ? 0 : a));
  const cursors = new RemoteCursors();
  const status = new StatusBanner(() => connection?.retryNow());

  const editor = new Editor(
    (f) => connection?.send(f),
    {
      changed: () => schedule(),
      historyChanged: (u, r) => toolbar.setHistory(u, r),
      boardReplaced: () => minimap.boardChanged(),
      applied: () => minimap.boardChanged(),
      presence: (m) => {
        if (m.author === editor.sync.author) return;
        people.set(m.author, { name: m.name, color: m.color });
        cursors.rename(m.author, m);
        if (m.author === following) followPill.update(m.name);
      },
      leave: (a) => {
        people.remove(a);
        cursors.remove(a);
        if (a === following) follow(0);
      },
      cursors: (list) => {
        const me = editor.sync.author;
        for (const c of list) {
          if (c.author === me) continue;
          if (c.author === following) setView(centerOn(renderer.view, c.x, c.y, renderer.width, renderer.height), false);
          cursors.update(c.author, c.x, c.y, renderer.view, people.name(c.author));
        }
      },
      welcomed: (w, epochChanged) => {
        people.setSelf(w.author, { name: prefs.name, color: prefs.color });
        if (epochChanged) status.flash('The board was reset on the server: strokes not yet sent were dropped.');
      },
      notice: (m) => {
        const note = noticeNote(m);
        if (note !== null) status.flash(note);
      },
      pausedChanged: (p) => status.setPaused(p),
    },
    { name: prefs.name, color: prefs.color },
  );
  const renderer = new Renderer(canvas, editor, () => schedule());

  // ---- the view ----

  const viewStore = new ViewStore(segment);
  const zoom = new ZoomControls({
    zoomIn: () => zoomCenter(ZOOM_STEP),
    zoomOut: () => zoomCenter(1 / ZOOM_STEP),
    reset: () => setView(setZoom(renderer.view, renderer.width / 2, renderer.height / 2, 1), true),
    fit: () => zoomToFit(),
  });
  const minimap = new Minimap(
    {
      strokes: () => editor.committed(),
      bounds: (s) => renderer.painter.bounds(s),
      skeleton: (s) => [s.points],
    },
    (x, y) => setView(centerOn(renderer.view, x, y, renderer.width, renderer.height), true),
  );

  /** setView shows the board through v; byUser (a pan, a zoom) stops following. */
  function setView(v: View, byUser: boolean): void {
    const set = renderer.setView(v);
    cursors.relayout(set);
    zoom.setZoom(zoomOf(set));
    viewStore.save(set);
    if (byUser && following) follow(0);
    schedule();
  }

  function zoomCenter(factor: number): void {
    setView(zoomAt(renderer.view, renderer.width / 2, renderer.height / 2, factor), true);
  }

  function contentBounds(): Rect {
    let r: Rect = EMPTY_RECT;
    for (const s of editor.committed()) r = union(r, renderer.painter.bounds(s));
    for (const item of editor.overlay()) r = union(r, strokeBounds(item.stroke.points, item.stroke.width));
    return r;
  }

  function zoomToFit(): void {
    setView(fitRect(contentBounds(), renderer.width, renderer.height, 48, 2), true);
  }

  // ---- following someone ----

  const followText = h('span', {});
  const followStop = h('button', { type: 'button', class: 'status-action', 'aria-label': 'Stop following', title: 'Stop following' }, 'Stop');
  const followEl = h('div', { class: 'follow-pill', 'data-testid': 'following', role: 'status', hidden: true }, followText, followStop);
  followStop.addEventListener('click', () => follow(0));
  const followPill = {
    update: (name: string): void => {
      followText.textContent = `Following ${name}`;
    },
  };

  /** follow makes the view follow author's cursor (0: nobody). */
  function follow(author: number): void {
    following = author;
    people.setFollowing(author);
    followEl.hidden = author === 0;
    if (author) followPill.update(people.name(author)?.name ?? 'someone');
  }

  // ---- tools ----

  const setTool = (t: Tool): void => {
    tool = t;
    toolbar.setTool(t);
    canvas.dataset.tool = t;
    if (t !== 'eraser') renderer.setRing(null);
    schedule();
  };

  const toolbar = new Toolbar(
    {
      tool: setTool,
      color: (c) => {
        prefs = { ...prefs, penColor: c };
        savePrefs(prefs);
        toolbar.setColor(c);
        setTool('pen');
      },
      width: (w) => {
        prefs = { ...prefs, penWidth: w };
        savePrefs(prefs);
        toolbar.setWidth(w);
        setTool('pen');
      },
      undo: () => editor.undo(),
      redo: () => editor.redo(),
      clear: () => editor.clear(),
      rename: (name) => {
        prefs = { ...prefs, name };
        savePrefs(prefs);
        editor.sync.setIdentity({ name, color: prefs.color });
        people.setSelf(editor.sync.author, { name, color: prefs.color });
      },
    },
    { tool, color: prefs.penColor, width: prefs.penWidth, name: prefs.name, personColor: prefs.color },
  );

  const ui = document.querySelector<HTMLElement>('#ui') ?? document.body;
  ui.append(
    cursors.el,
    h('header', { class: 'top' }, toolbar.el),
    h('aside', { class: 'side' }, people.el),
    followEl,
    h('footer', { class: 'bottom' }, status.el),
    h('div', { class: 'corner' }, minimap.el, zoom.el),
  );
  canvas.dataset.tool = tool;

  function schedule(): void {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(frame);
  }

  function frame(): void {
    frameRequested = false;
    editor.flush();
    if (cursorDirty && cursorAt) {
      editor.sync.sendCursor(Math.round(cursorAt.x), Math.round(cursorAt.y));
      cursorDirty = false;
    }
    renderer.frame();
    minimap.update(renderer.view, renderer.width, renderer.height);
  }

  const toBoardSample = (s: PointerSample): { x: number; y: number; p: number } => {
    const b = toBoard(renderer.view, s.x, s.y);
    return { x: b.x, y: b.y, p: s.pressure === null ? 0 : pressureByte(s.pressure) };
  };

  const pointer = attachPointer(
    canvas,
    {
      toolStart: (s) => {
        if (following) follow(0);
        const b = toBoardSample(s);
        if (tool === 'pen') {
          editor.beginStroke(b, { color: prefs.penColor, width: prefs.penWidth, pressure: s.pressure !== null });
        } else if (tool === 'eraser') {
          editor.eraseStart(b, boardLength(renderer.view, ERASER_RADIUS_PX));
        }
        schedule();
      },
      toolMove: (samples) => {
        const pts = samples.map(toBoardSample);
        if (tool === 'pen') editor.extendStroke(pts);
        else if (tool === 'eraser') editor.eraseMove(pts);
        schedule();
      },
      toolEnd: () => {
        editor.endStroke();
        editor.eraseEnd();
        schedule();
      },
      toolCancel: () => {
        editor.cancelStroke();
        editor.eraseCancel();
        schedule();
      },
      pan: (dx, dy) => setView(panBy(renderer.view, dx, dy), true),
      zoom: (x, y, f) => setView(zoomAt(renderer.view, x, y, f), true),
      pinch: (a0, b0, a1, b1) => setView(pinch(renderer.view, a0, b0, a1, b1), true),
      hover: (s) => {
        cursorAt = toBoard(renderer.view, s.x, s.y);
        cursorDirty = true;
        if (tool === 'eraser') renderer.setRing({ x: s.x, y: s.y, r: ERASER_RADIUS_PX });
        schedule();
      },
      leave: () => {
        renderer.setRing(null);
        schedule();
      },
      doubleClick: () => {},
    },
    () => tool === 'hand' || spaceHeld,
  );
  canvas.addEventListener('pointerdown', () => {
    canvas.dataset.panning = String(pointer.machine.panning);
  });
  canvas.addEventListener('pointerup', () => {
    canvas.dataset.panning = 'false';
  });

  const run = (c: Command): void => {
    switch (c) {
      case 'pen':
      case 'eraser':
      case 'hand':
        setTool(c);
        break;
      case 'undo':
        editor.undo();
        break;
      case 'redo':
        editor.redo();
        break;
      case 'zoom-in':
        zoomCenter(ZOOM_STEP);
        break;
      case 'zoom-out':
        zoomCenter(1 / ZOOM_STEP);
        break;
      case 'zoom-reset':
        setView(setZoom(renderer.view, renderer.width / 2, renderer.height / 2, 1), true);
        break;
      case 'zoom-fit':
        zoomToFit();
        break;
      case 'escape':
        if (following) follow(0);
        break;
      default:
        break;
    }
  };
  attachKeyboard(window, run, (held) => {
    spaceHeld = held;
    canvas.dataset.space = String(held);
  });

  const resize = (): void => {
    renderer.resize();
    setView(renderer.view, false);
  };
  new ResizeObserver(resize).observe(canvas);
  window.addEventListener('resize', resize);
  renderer.resize();
  setView(loadView(segment) ?? HOME_VIEW, false);

  const onState = (s: ConnState): void => {
    status.set(s);
    if (s.state !== 'live' && s.state !== 'connecting') {
      people.reset();
      cursors.clear();
      if (following) follow(0);
    }
  };
  connection = new Connection(socketURL(location.protocol, location.host, segment), editor.sync, onState);
  const conn = connection;
  window.sketchpad = makeAPI(editor, () => conn.state, {
    renderStats: () => renderer.stats(),
    view: () => renderer.view,
    setView: (v) => setView(v, true),
  });
  window.setInterval(() => cursors.prune(), 1000);
  connection.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
