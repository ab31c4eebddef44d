// Sketchpad's browser app: wiring. The page at /b/{room} draws at once;
// the connection to /ws/{room} comes and goes underneath.

import { makeAPI } from './api';
import { Editor } from './edit/editor';
import { SelectGesture } from './edit/select_gesture';
import { Bridge, TokenClock, errorFor, tokenClaims, tokenProblem, type BoardControl } from './embed/bridge';
import { openChannel } from './embed/channel';
import { firstTool, parseEmbedConfig } from './embed/config';
import { union, EMPTY_RECT, type Rect } from './geometry/bounds';
import { strokeInRect } from './geometry/hit';
import { pressureByte } from './geometry/outline';
import { skeleton } from './geometry/shape';
import {
  HOME_VIEW,
  ZOOM_STEP,
  boardLength,
  centerOn,
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
import { SHORTCUTS, TOOL_NAMES, type Command } from './input/shortcuts';
import { Connection, type ConnState } from './net/connection';
import { absoluteURL, isViewLink, roomName, roomSegment, socketURL } from './net/room_url';
import { CLOSE_EXPIRED } from './protocol/codes';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_RECT, TOOL_TEXT } from './protocol/types';
import { Renderer } from './render/renderer';
import { Corner } from './ui/corner';
import { RemoteCursors } from './ui/cursors';
import { Exports } from './ui/exports';
import { FollowPill } from './ui/follow_pill';
import { editText, newText } from './ui/text_session';
import { Decorations } from './ui/decor';
import { h } from './ui/dom';
import { Minimap } from './ui/minimap';
import { HelpPanel } from './ui/help';
import { Landing } from './ui/landing';
import { NameBox } from './ui/name_box';
import { PeopleList } from './ui/people';
import { ShareMenu, type ExportScope } from './ui/share_menu';
import { loadPrefs, savePrefs, type Prefs } from './ui/prefs';
import { StatusBanner } from './ui/status';
import { noticeNote } from './ui/status_text';
import { drawColor, styleKey, withColor } from './ui/style';
import { TextEditor } from './ui/text_editor';
import { ThemeSwitch } from './ui/theme';
import { Toolbar, type Tool, type ToolbarActions } from './ui/toolbar';
import { ViewStore, loadView } from './ui/view_store';
import { ZoomControls } from './ui/zoom_controls';

/** The stroke eraser's radius in CSS pixels. */
const ERASER_RADIUS_PX = 10;
/** How near (CSS pixels) a click must be to pick a stroke. */
const PICK_RADIUS_PX = 6;

const SHAPE_TOOLS: Partial<Record<Tool, number>> = { line: TOOL_LINE, arrow: TOOL_ARROW, rect: TOOL_RECT, ellipse: TOOL_ELLIPSE };

function main(): void {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas#board');
  if (!canvas) throw new Error('sketchpad: no canvas#board');
  const segment = roomSegment(location.pathname) || 'lobby';
  const meta = (name: string): string | null => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;
  const query = new URLSearchParams(location.search);
  const token = query.get('token') ?? '';
  /** An embedded board (/embed/{board}): a compact toolbar, configured by the query string. */
  const embed = meta('sketchpad-embed') === '1' ? parseEmbedConfig(query) : null;
  /**
   * A view link, a view token or readonly=1 cannot change the board. An
   * embed's path names the board by its view id whatever the token allows:
   * there only the server's meta tag (from the token) and readonly=1 count.
   */
  let readOnly = embed ? meta('sketchpad-read-only') === '1' || embed.readOnly : isViewLink(segment) || meta('sketchpad-read-only') === '1';
  document.title = embed ? 'Sketchpad' : isViewLink(segment) ? 'View only · Sketchpad' : `${roomName(segment)} · Sketchpad`;
  if (embed) document.documentElement.dataset.embed = 'true';

  let prefs: Prefs = loadPrefs();
  // An embed token may carry the name everyone sees (the server forces it):
  // this page shows it too, and sends it, without remembering it.
  const forcedName = embed ? tokenClaims(token)?.name || null : null;
  const ownName = prefs.name;
  if (forcedName) prefs = { ...prefs, name: forcedName };
  const save = (p: Prefs): void => savePrefs(forcedName ? { ...p, name: ownName } : p);
  let tool: Tool = embed ? firstTool(embed.tools, readOnly) : 'pen';
  /** The postMessage API to the host page (an embed whose host origin the server allowed). */
  let bridge: Bridge | null = null;
  let connection: Connection | null = null;
  let frameRequested = false;
  let cursorAt: { x: number; y: number } | null = null;
  let cursorDirty = false;
  let spaceHeld = false;
  let shiftHeld = false;
  let following = 0;

  const people = new PeopleList(
    { name: prefs.name, color: prefs.color },
    (a) => follow(a === following ? 0 : a),
    () => relayout(),
  );
  const cursors = new RemoteCursors();
  const status = new StatusBanner(() => connection?.retryNow());
  const textEditor = new TextEditor();

  const editor = new Editor(
    (f) => connection?.send(f),
    {
      changed: () => {
        contentCache = null;
        landing.changed();
        schedule();
      },
      historyChanged: (u, r) => toolbar.setHistory(u, r),
      boardReplaced: (b) => {
        minimap.boardChanged();
        contentCache = null;
        if (b.strokes.length) renderer.snapshotArrived(editor.sync.receivedAt);
      },
      applied: () => {
        minimap.boardChanged();
        contentCache = null;
      },
      presence: (m) => {
        if (m.author === editor.sync.author) return;
        bridge?.people.presence(m.author, m.name);
        people.set(m.author, { name: m.name, color: m.color });
        cursors.rename(m.author, m);
        if (m.author === following) followPill.show(m.name);
      },
      leave: (a) => {
        bridge?.people.leave(a);
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
        bridge?.people.welcomed();
        people.setSelf(w.author, { name: prefs.name, color: prefs.color });
        // The board is here (the snapshot came first): a first visit lands on the drawing.
        landing.arrived();
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
  editor.sync.setReadOnly(readOnly);
  const renderer = new Renderer(canvas, editor, () => schedule());
  const decor = new Decorations();
  /** The select tool's gesture. */
  const selecting = new SelectGesture(editor);

  // ---- the view ----

  const viewStore = new ViewStore(segment);
  const storedView = embed?.view ?? loadView(segment);
  /** The bounds of what is drawn, cached until the board changes. */
  let contentCache: Rect | null = null;
  const landing = new Landing(
    {
      view: () => renderer.view,
      size: () => ({ w: renderer.width, h: renderer.height }),
      setView: (v, byUser) => setView(v, byUser),
      content: () => (contentCache ??= contentBounds()),
      inkIn: (r) => editor.shown().some((it) => strokeInRect(it.stroke, r, editor.extentOf(it.stroke), it.dx, it.dy)),
      panels: () => [...document.querySelectorAll('#ui .top, #ui .side, #ui .corner, #ui .status-bar')],
    },
    storedView !== null,
  );
  const zoom = new ZoomControls({
    zoomIn: () => zoomCenter(ZOOM_STEP),
    zoomOut: () => zoomCenter(1 / ZOOM_STEP),
    reset: () => setView(setZoom(renderer.view, renderer.width / 2, renderer.height / 2, 1), true),
    fit: () => zoomToFit(),
  });
  const minimap = new Minimap(
    {
      strokes: () => editor.committed().filter((s) => s.tool !== TOOL_ERASER),
      bounds: (s) => editor.extentOf(s),
      skeleton: (s) => skeleton(s),
      lineWidth: (s) => (s.tool === TOOL_TEXT ? 0 : s.width),
    },
    (x, y) => setView(centerOn(renderer.view, x, y, renderer.width, renderer.height), true),
  );

  /** setView shows the board through v; byUser (a pan, a zoom) stops following. */
  function setView(v: View, byUser: boolean): void {
    const set = renderer.setView(v);
    cursors.relayout(set);
    textEditor.relayout(set);
    zoom.setZoom(zoomOf(set));
    if (byUser) landing.moved();
    // Remembered once landed: a first visit's starting view is not the person's.
    if (landing.done) viewStore.save(set);
    landing.changed();
    if (byUser && following) follow(0);
    schedule();
  }

  function zoomCenter(factor: number): void {
    setView(zoomAt(renderer.view, renderer.width / 2, renderer.height / 2, factor), true);
  }

  function contentBounds(): Rect {
    let r: Rect = EMPTY_RECT;
    for (const it of editor.shown()) {
      if (it.stroke.tool === TOOL_ERASER) continue;
      const e = editor.extentOf(it.stroke);
      r = union(r, { minX: e.minX + it.dx, minY: e.minY + it.dy, maxX: e.maxX + it.dx, maxY: e.maxY + it.dy });
    }
    return r;
  }

  /** zoomToFit shows the whole drawing in the area the panels leave free. */
  function zoomToFit(): void {
    landing.fit(2);
  }

  // ---- following someone ----

  const followPill = new FollowPill(() => follow(0));

  /** follow makes the view follow author's cursor (0: nobody). */
  function follow(author: number): void {
    following = author;
    people.setFollowing(author);
    followPill.show(author ? (people.name(author)?.name ?? 'someone') : null);
  }

  // ---- tools and styles ----

  const setTool = (t: Tool): void => {
    if (t !== tool && textEditor.active) textEditor.end();
    tool = t;
    toolbar.setTool(t, prefs.styles);
    canvas.dataset.tool = t;
    if (t !== 'eraser' && t !== 'partial-eraser') decor.setRing(null);
    if (t !== 'select') editor.select([]);
    schedule();
  };

  /** drawingKey is the style the current tool draws with; tools that do not draw switch to the pen. */
  const drawingKey = (): ReturnType<typeof styleKey> & string => {
    const k = styleKey(tool);
    if (k) return k;
    setTool('pen');
    return 'pen';
  };

  const updateStyles = (f: (p: Prefs) => Prefs): void => {
    prefs = f(prefs);
    save(prefs);
    toolbar.setTool(tool, prefs.styles);
  };

  const toolbarActions: ToolbarActions = {
    tool: setTool,
    color: (c) => {
      if (tool === 'partial-eraser') setTool('pen');
      const k = drawingKey();
      updateStyles((p) => ({ ...p, styles: { ...p.styles, colors: withColor(p.styles.colors, k, c) } }));
    },
    alpha: (a) => {
      const k = drawingKey();
      updateStyles((p) => ({ ...p, styles: { ...p.styles, alphas: { ...p.styles.alphas, [k]: Math.max(1, a) } } }));
    },
    width: (w) => {
      const k = drawingKey();
      updateStyles((p) => ({ ...p, styles: { ...p.styles, widths: { ...p.styles.widths, [k]: w } } }));
    },
    fill: () => updateStyles((p) => ({ ...p, styles: { ...p.styles, filled: !p.styles.filled } })),
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    clear: () => editor.clear(),
  };
  const toolbar = new Toolbar(toolbarActions, { tool, styles: prefs.styles }, embed ? { tools: embed.tools, compact: true } : {});
  if (!embed) {
    // An embed's name is the host's (or the token's): no name box.
    const nameBox = new NameBox(prefs.name, (name) => {
      prefs = { ...prefs, name };
      save(prefs);
      editor.sync.setIdentity({ name, color: prefs.color });
      people.setSelf(editor.sync.author, { name, color: prefs.color });
    });
    nameBox.setColor(prefs.color);
    people.setSelfRow(nameBox.el);
  }

  // ---- share and export ----

  const exports = new Exports(renderer, editor, roomName(segment).replace(/[^\w.-]+/g, '_') || 'sketchpad');
  const pngOf = (scope: ExportScope): string => exports.png(scope);
  const svgOf = (scope: ExportScope): string => exports.svg(scope);
  const share = new ShareMenu({
    exportPNG: (scope) => exports.downloadPNG(scope),
    exportSVG: (scope) => exports.downloadSVG(scope),
  });
  const here = (): string => location.href.replace(/#.*$/, '');
  const viewMeta = meta('sketchpad-view-link');
  const help = new HelpPanel(SHORTCUTS);
  // An embed's theme is the host's (theme=light|dark, else the system's), never remembered.
  const theme = embed
    ? new ThemeSwitch(embed.theme, () => undefined)
    : new ThemeSwitch(prefs.theme, (t) => {
        prefs = { ...prefs, theme: t };
        save(prefs);
      });
  if (!embed) {
    // An embed has no share menu (the host decides who gets what), no help, no theme switch.
    toolbar.addMore(share.el, 'share');
    toolbar.addMore(help.button, 'help');
    toolbar.addMore(theme.button, 'theme');
  }
  const badge = h('span', { class: 'tb-badge', 'data-testid': 'read-only', title: 'This link can look at the board but not draw', hidden: true }, 'View only');
  toolbar.addMore(badge);

  /** applyReadOnly turns the page into a viewer: no drawing tools, no ops; pan, zoom, follow, export still work. */
  const applyReadOnly = (): void => {
    readOnly = true;
    editor.sync.setReadOnly(true);
    textEditor.end();
    badge.hidden = false;
    toolbar.setReadOnly(true);
    canvas.dataset.readonly = 'true';
    setTool('hand');
    share.setLinks({ edit: null, view: here() });
  };
  share.setLinks({ edit: here(), view: viewMeta ? absoluteURL(viewMeta, location.href) : null });

  const ui = document.querySelector<HTMLElement>('#ui') ?? document.body;
  const top = h('header', { class: 'top' }, toolbar.el, people.toggle);
  const corner = new Corner([...(embed ? [] : [minimap.el]), zoom.el], () => {
    landing.changed();
    schedule();
  });
  ui.append(
    decor.el,
    cursors.el,
    textEditor.el,
    top,
    ...(embed ? [] : [help.el]),
    h('aside', { class: 'side' }, people.el),
    followPill.el,
    h('footer', { class: 'bottom' }, status.el),
    landing.button,
    corner.el,
  );
  /** relayout fits the toolbar's row to the window (what does not fit goes to its menus). */
  function relayout(): void {
    toolbar.fit(Math.max(0, top.clientWidth - people.toggle.offsetWidth - 8));
    landing.changed();
  }
  // The people button grows with the count (9 -> 10 people): the row is laid out again.
  new ResizeObserver(() => relayout()).observe(people.toggle);
  // A phone-sized screen starts with the people panel and the map folded.
  if (window.matchMedia?.('(max-width: 600px), (max-height: 500px)').matches) {
    people.setCollapsed(true);
    corner.setCollapsed(true);
  }
  relayout();
  canvas.dataset.tool = tool;
  // A button clicked with the mouse gives focus back, so that Space pans and
  // shortcuts work at once (keyboard users keep focus where it is).
  ui.addEventListener('click', (e) => {
    if (e.detail === 0 || !(e.target instanceof Element)) return;
    const b = e.target.closest('button');
    if (b && document.activeElement === b) b.blur();
  });

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
    decor.update(
      renderer.view,
      tool === 'select' ? editor.selectionBounds() : null,
      selecting.marquee,
    );
    minimap.update(renderer.view, renderer.width, renderer.height);
    bridge?.frame(editor.board.seq);
  }

  const toBoardSample = (s: PointerSample): { x: number; y: number; p: number } => {
    const b = toBoard(renderer.view, s.x, s.y);
    return { x: b.x, y: b.y, p: s.pressure === null ? 0 : pressureByte(s.pressure) };
  };

  // ---- text ----

  const openText = (n: number): void => editText(editor, textEditor, n, renderer.view);

  // ---- pointer ----

  const pick = (): number => boardLength(renderer.view, PICK_RADIUS_PX);

  const toolStart = (s: PointerSample): void => {
    if (following) follow(0);
    if (textEditor.active) {
      textEditor.end();
      if (tool === 'text') return; // a click elsewhere ends the text
    }
    const b = toBoardSample(s);
    const st = prefs.styles;
    switch (tool) {
      case 'pen':
        editor.beginStroke(b, { tool: TOOL_PEN, color: drawColor(st, 'pen'), width: st.widths.pen, pressure: s.pressure !== null });
        break;
      case 'highlighter':
        editor.beginStroke(b, { tool: TOOL_HIGHLIGHTER, color: drawColor(st, 'highlighter'), width: st.widths.highlighter, pressure: false });
        break;
      case 'partial-eraser':
        editor.beginStroke(b, { tool: TOOL_ERASER, color: drawColor(st, 'partial-eraser'), width: st.widths['partial-eraser'], pressure: false });
        break;
      case 'eraser':
        editor.eraseStart(b, boardLength(renderer.view, ERASER_RADIUS_PX));
        break;
      case 'line':
      case 'arrow':
      case 'rect':
      case 'ellipse':
        editor.shapeStart(b, { tool: SHAPE_TOOLS[tool]!, color: drawColor(st, 'shape'), width: st.widths.shape, filled: st.filled });
        break;
      case 'text': {
        const n = editor.textAt(b, pick());
        if (n) openText(n);
        else newText(editor, textEditor, b, prefs.styles.widths.text, drawColor(prefs.styles, 'text'), renderer.view);
        break;
      }
      case 'select':
        selecting.start(b, pick(), shiftHeld);
        break;
      case 'hand':
        break;
    }
    schedule();
  };

  const toolMove = (samples: readonly PointerSample[]): void => {
    const pts = samples.map(toBoardSample);
    const last = pts[pts.length - 1];
    switch (tool) {
      case 'pen':
      case 'highlighter':
      case 'partial-eraser':
        editor.extendStroke(pts);
        break;
      case 'eraser':
        editor.eraseMove(pts);
        break;
      case 'line':
      case 'arrow':
      case 'rect':
      case 'ellipse':
        editor.shapeMove(last, shiftHeld);
        break;
      case 'select':
        selecting.move(last);
        break;
      default:
        break;
    }
    schedule();
  };

  const toolEnd = (): void => {
    editor.endStroke();
    editor.shapeEnd();
    editor.eraseEnd();
    editor.moveEnd();
    selecting.end();
    schedule();
  };

  const pointer = attachPointer(
    canvas,
    {
      toolStart,
      toolMove,
      toolEnd,
      toolCancel: () => {
        editor.cancelStroke();
        editor.eraseCancel();
        editor.moveEnd();
        selecting.end();
        schedule();
      },
      pan: (dx, dy) => setView(panBy(renderer.view, dx, dy), true),
      zoom: (x, y, f) => setView(zoomAt(renderer.view, x, y, f), true),
      pinch: (a0, b0, a1, b1) => setView(pinch(renderer.view, a0, b0, a1, b1), true),
      hover: (s) => {
        cursorAt = toBoard(renderer.view, s.x, s.y);
        cursorDirty = true;
        if (tool === 'eraser') decor.setRing({ x: s.x, y: s.y, r: ERASER_RADIUS_PX });
        else if (tool === 'partial-eraser') decor.setRing({ x: s.x, y: s.y, r: (prefs.styles.widths['partial-eraser'] / 2) * renderer.view.scale });
        schedule();
      },
      leave: () => {
        decor.setRing(null);
        schedule();
      },
      doubleClick: (s) => {
        if (tool !== 'select' || readOnly) return;
        const n = editor.textAt(toBoardSample(s), pick());
        if (n) openText(n);
      },
    },
    () => tool === 'hand' || spaceHeld || readOnly,
  );
  const trackShift = (e: KeyboardEvent | PointerEvent): void => {
    shiftHeld = e.shiftKey;
  };
  window.addEventListener('keydown', trackShift, true);
  window.addEventListener('keyup', trackShift, true);
  window.addEventListener('pointerdown', trackShift, true);
  window.addEventListener('pointermove', trackShift, true);
  canvas.addEventListener('pointerdown', () => {
    canvas.dataset.panning = String(pointer.machine.panning);
  });
  canvas.addEventListener('pointerup', () => {
    canvas.dataset.panning = 'false';
  });

  /** What a viewer may do from the keyboard. */
  const VIEWER: readonly Command[] = ['hand', 'zoom-in', 'zoom-out', 'zoom-reset', 'zoom-fit', 'help', 'escape'];
  /** An embed's keyboard picks only the tools its toolbar shows; it has no help panel. */
  const hidden = (c: Command): boolean =>
    embed !== null && (c === 'help' || (embed.tools !== null && (TOOL_NAMES as readonly string[]).includes(c) && !embed.tools.includes(c as Tool)));
  const run = (c: Command): void => {
    if ((readOnly && !VIEWER.includes(c)) || hidden(c)) return;
    switch (c) {
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
      case 'fill':
        updateStyles((p) => ({ ...p, styles: { ...p.styles, filled: !p.styles.filled } }));
        break;
      case 'delete':
        editor.deleteSelection();
        break;
      case 'select-all':
        setTool('select');
        editor.selectAll();
        break;
      case 'escape':
        if (help.open) help.close();
        else if (share.isOpen()) share.close(true);
        else if (editor.selection.length) editor.select([]);
        else if (following) follow(0);
        break;
      case 'help':
        help.toggle();
        break;
      default:
        setTool(c);
        break;
    }
  };
  attachKeyboard(window, run, (held) => {
    spaceHeld = held;
    canvas.dataset.space = String(held);
  });

  const resize = (): void => {
    renderer.resize();
    relayout();
    setView(renderer.view, false);
  };
  new ResizeObserver(resize).observe(canvas);
  window.addEventListener('resize', resize);
  renderer.resize();
  setView(storedView ?? HOME_VIEW, false);

  const onState = (s: ConnState): void => {
    status.set(s);
    // The server refused an op (4403), or the embed token expired (4410).
    if ((editor.readOnly || s.state === 'stopped') && !readOnly) applyReadOnly();
    if (s.state !== 'live' && s.state !== 'connecting') {
      people.reset();
      cursors.clear();
      if (following) follow(0);
    }
    bridge?.connection(s, editor.board.seq);
  };
  if (readOnly) applyReadOnly();
  if (embed) {
    const control: BoardControl = {
      readOnly: () => readOnly,
      setTool: (t) => setTool(t),
      setColor: (rgba, alpha) => {
        toolbarActions.color(rgba);
        if (alpha) toolbarActions.alpha(rgba & 0xff);
      },
      setWidth: (units) => toolbarActions.width(units),
      undo: () => editor.undo(),
      redo: () => editor.redo(),
      clear: () => editor.clear(),
      exportPNG: (scope) => pngOf(scope),
      exportSVG: (scope) => svgOf(scope),
    };
    const channel = openChannel(meta('sketchpad-embed-host'), (c) => void bridge?.command(c));
    if (channel) {
      bridge = new Bridge((m) => channel.post(m), control, () => tokenProblem(token, segment, Date.now()));
      bridge.loaded();
    }
  }
  // An embed whose token has expired stops instead of knocking again (the
  // server refuses an expired token at connect); as if closed with 4410.
  const tokenClock = new TokenClock(embed ? token : '', Date.now());
  connection = new Connection(socketURL(location.protocol, location.host, segment, token), editor.sync, onState, {
    stopWith: () => (tokenClock.expired(Date.now()) ? CLOSE_EXPIRED : null),
  });
  const conn = connection;
  window.sketchpad = makeAPI(editor, () => conn.state, {
    renderStats: () => renderer.stats(),
    view: () => renderer.view,
    setView: (v) => setView(v, true),
    exportPNG: (scope) => pngOf(scope),
    exportSVG: (scope) => svgOf(scope),
    readOnly: () => readOnly,
  });
  window.setInterval(() => cursors.prune(), 1000);
  // A server that refused the embed (a bad token) but still sent the page
  // says why in a meta tag: tell the host, do not connect.
  const refused = embed ? meta('sketchpad-embed-error') : null;
  if (refused) {
    const e = errorFor(refused);
    bridge?.error(e);
    if (!readOnly) applyReadOnly();
    status.set({ state: 'stopped', code: 0, reason: e.message });
    return;
  }
  connection.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
