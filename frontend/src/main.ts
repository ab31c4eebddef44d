// Sketchpad's browser app: wiring. The page at /b/{room} draws at once;
// the connection to /ws/{room} comes and goes underneath.

import { makeAPI } from './api';
import { Editor } from './edit/editor';
import { pressureByte } from './geometry/outline';
import { boardLength, toBoard } from './geometry/view';
import { attachKeyboard } from './input/keyboard';
import { attachPointer, type PointerSample } from './input/pointer';
import { Connection, type ConnState } from './net/connection';
import { roomName, roomSegment, socketURL } from './net/room_url';
import { Renderer } from './render/renderer';
import { RemoteCursors } from './ui/cursors';
import { h } from './ui/dom';
import { PeopleList } from './ui/people';
import { loadPrefs, savePrefs, type Prefs } from './ui/prefs';
import { StatusBanner } from './ui/status';
import { noticeNote } from './ui/status_text';
import { PALETTE, Toolbar, type Tool } from './ui/toolbar';

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

  const people = new PeopleList({ name: prefs.name, color: prefs.color });
  const cursors = new RemoteCursors();
  const status = new StatusBanner(() => connection?.retryNow());

  const editor = new Editor(
    (f) => connection?.send(f),
    {
      changed: () => schedule(),
      historyChanged: (u, r) => toolbar.setHistory(u, r),
      presence: (m) => {
        if (m.author === editor.sync.author) return;
        people.set(m.author, { name: m.name, color: m.color });
        cursors.rename(m.author, m);
      },
      leave: (a) => {
        people.remove(a);
        cursors.remove(a);
      },
      cursors: (list) => {
        const me = editor.sync.author;
        for (const c of list) if (c.author !== me) cursors.update(c.author, c.x, c.y, renderer.view, people.name(c.author));
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
  const renderer = new Renderer(canvas, editor);

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
    h('footer', { class: 'bottom' }, status.el),
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
  }

  const toBoardSample = (s: PointerSample): { x: number; y: number; p: number } => {
    const b = toBoard(renderer.view, s.x, s.y);
    return { x: b.x, y: b.y, p: s.pressure === null ? 0 : pressureByte(s.pressure) };
  };

  attachPointer(canvas, {
    down: (s) => {
      const b = toBoardSample(s);
      if (tool === 'pen') {
        editor.beginStroke(b, { color: prefs.penColor, width: prefs.penWidth, pressure: s.pressure !== null });
      } else {
        editor.eraseStart(b, boardLength(renderer.view, ERASER_RADIUS_PX));
      }
      schedule();
    },
    move: (samples) => {
      const pts = samples.map(toBoardSample);
      if (tool === 'pen') editor.extendStroke(pts);
      else editor.eraseMove(pts);
      schedule();
    },
    up: () => {
      editor.endStroke();
      editor.eraseEnd();
      schedule();
    },
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
  });

  attachKeyboard(window, (c) => {
    if (c === 'pen' || c === 'eraser') setTool(c);
    else if (c === 'undo') editor.undo();
    else editor.redo();
  });

  const resize = (): void => {
    renderer.resize();
    cursors.relayout(renderer.view);
    schedule();
  };
  new ResizeObserver(resize).observe(canvas);
  window.addEventListener('resize', resize);
  resize();

  const onState = (s: ConnState): void => {
    status.set(s);
    if (s.state !== 'live' && s.state !== 'connecting') {
      people.reset();
      cursors.clear();
    }
  };
  connection = new Connection(socketURL(location.protocol, location.host, segment), editor.sync, onState);
  const conn = connection;
  window.sketchpad = makeAPI(editor, () => conn.state);
  window.setInterval(() => cursors.prune(), 1000);
  connection.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
