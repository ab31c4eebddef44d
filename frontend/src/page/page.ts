// The board page: its parts, made once and wired together, and what the
// page as a whole decides: whether it may draw, the animation frame, the
// connection, the embed bridge. Each concern is a part of its own
// (view_control, tool_control, tool_input, key_commands, following,
// others, layout); this class holds them and the state none of them owns.

import { makeAPI } from '../api';
import { Editor, type EditorListener } from '../edit/editor';
import { type Bridge, errorFor } from '../embed/bridge';
import { firstTool } from '../embed/config';
import { TokenClock } from '../embed/token';
import { HOME_VIEW } from '../geometry/view';
import { LazyHistoryPanel as HistoryPanel } from '../history/history_lazy';
import { attachKeyboard } from '../input/keyboard';
import { selects } from '../input/shortcuts';
import { Connection, type ConnState } from '../net/connection';
import { imageURL, socketURL } from '../net/room_url';
import { CLOSE_EXPIRED } from '../protocol/codes';
import { Renderer } from '../render/renderer';
import { LIFT_MIN } from '../render/lift';
import { nextTask } from '../render/refine';
import { RemoteCursors } from '../ui/cursors';
import { LaserOut } from '../net/laser_out';
import { fitView } from '../net/view_out';
import { ViewRelay } from './view_relay';
import { LaserTrails } from '../ui/laser';
import { Decorations } from '../ui/decor';
import { Exports } from '../ui/exports';
import { HelpPanel } from '../ui/help';
import { cursorOf } from '../ui/op_cursor';
import { PeopleList } from '../ui/people';
import { sentColor } from '../ui/person_color';
import { loadPrefs } from '../ui/prefs';
import type { ShareMenu } from '../ui/share_menu';
import { OFFLINE_CACHED_NOTE, OFFLINE_NOTE, StatusBanner } from '../ui/status';
import { embedErrorText, noticeNote } from '../ui/status_text';
import { TextEditor } from '../ui/text_editor';
import { TextClaims } from '../ui/text_claims';
import { onTextFont } from '../render/text_font';
import { Toast } from '../ui/toast';
import { BoardSaver } from './board_cache';
import { firstPictureHold, firstPictureSockets } from './first_picture';
import { keepForOffline } from './offline_start';
import { Following } from './following';
import { Others } from './others';
import { FrameLoop } from './frame_loop';
import { KeyCommands } from './key_commands';
import { PageLayout } from './layout';
import { PagePrefs } from './page_prefs';
import { SweepNotes } from './sweeps';
import { WhoDrew } from './who_drew';
import { RemoveSince } from './remove_since';
import type { PageSettings } from './settings';
import { ToolControl } from './tool_control';
import type { Tool } from '../ui/toolbar';
import { ToolInput } from './tool_input';
import { ViewControl } from './view_control';
import { attachClipboard } from './clipboard_control';
import { ImageControl } from './image_control';
import { openBridge } from './bridge_control';
import { copyPicture } from './clipboard_picture';
import { here, nameBox } from './later_parts';
import { SelfIdentity } from './self_identity';
import { rowControls } from './row_controls';
import { inSteps, inTasks, yieldToMain } from './start_tasks';
import { holdPointer } from '../input/early_pointer';
import { selectionActions } from './selection_actions';

export class Page {
  private prefs!: PagePrefs;
  private editor!: Editor;
  private renderer!: Renderer;
  private readonly frames: FrameLoop;
  private people!: PeopleList;
  private cursors!: RemoteCursors;
  private readonly lasers = new LaserTrails();
  private readonly claims = new TextClaims();
  private readonly laserOut = new LaserOut();
  private viewRelay!: ViewRelay;
  /** The others here: their cursors, lasers, views and the texts they type into. */
  private others!: Others;
  private status!: StatusBanner;
  private textEditor!: TextEditor;
  private decor!: Decorations;
  private following!: Following;
  private view!: ViewControl;
  private tools!: ToolControl;
  private input!: ToolInput;
  private exports!: Exports;
  private images!: ImageControl;
  // Made after the first frame (later()); null until then. Keys typed before wait in keysEarly.
  private keys: KeyCommands | null = null;
  private readonly keysEarly: Parameters<KeyCommands['run']>[0][] = [];
  private share!: ShareMenu;
  private help!: HelpPanel;
  /** The board's past (history/): the slider, the timelapse, restore, export. */
  private history!: HistoryPanel;
  /** The tool to give back when the history panel closes. */
  private toolBeforeHistory: Tool | null = null;
  private readonly toast = new Toast();
  private sweeps!: SweepNotes;
  private whoDrew!: WhoDrew;
  /** A moderator's Remove: how far back (the page's clock of seqs, the board's versions). */
  private removeSince!: RemoveSince;
  /** The View only badge in the toolbar. */
  private badge!: HTMLElement;
  private layout!: PageLayout;
  private actions!: { frame(): void }; // The selection's action bar (page/selection_actions).
  /** This person's name and color: told, shown, and the one handed out (page/self_identity). */
  private self!: SelfIdentity;
  /** The page's first layout is done: the toolbar's row is fitted from then on, not while being built. */
  private laidOut = false;
  /** The page cannot change the board (it starts so, or the server refused an op, or the token expired). */
  private readOnly: boolean;
  /** The postMessage API to the host page (an embed whose host origin the server allowed). */
  private bridge: Bridge | null = null;
  private connection: Connection | null = null;
  /** Keeps the board for opening offline (not in an embed, whose access is a token's). */
  private saver: BoardSaver | null = null;

  /**
   * The page is built over a few tasks (built resolves when it all is): a
   * phone's main thread would be held by all of it at once for longer than
   * a tap may wait. The constructor (app.js's task) only holds the
   * pointer and the keys: a stroke or a key pressed before the tools are
   * there is replayed to them; the board and the rest are made in the
   * steps after it, a task each.
   */
  readonly built: Promise<void>;
  /** The page's parts are all built: the frames draw from then on. */
  private ready = false;
  /** A frame was asked for before: drawn when the page is built. */
  private frameMissed = false;
  /** Space held before the input was there. */
  private spaceEarly = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly s: PageSettings,
  ) {
    this.readOnly = s.readOnly;
    document.title = s.title;
    if (s.embed) document.documentElement.dataset.embed = 'true';
    this.frames = new FrameLoop(() => this.frame());
    const early = holdPointer(canvas);
    attachKeyboard(window, (c) => (this.keys ? this.keys.run(c) : this.keysEarly.push(c)), (held) => (this.input ? this.input.setSpace(held) : (this.spaceEarly = held)));

    this.built = inSteps([
      () => this.buildBoard(),
      () => this.buildOthers(),
      () => this.buildTools(),
      () => this.buildControls(),
      () => this.buildRow(early.release),
    ]);
  }

  /** buildBoard makes the board and what draws it on the canvas. */
  private buildBoard(): void {
    const { s } = this;
    this.prefs = new PagePrefs(loadPrefs(), s.forcedName);
    const me = this.prefs.current;
    this.removeSince = new RemoveSince(s.segment, s.token, () => this.people.refresh());
    this.editor = new Editor((f) => this.connection?.send(f), this.editorEvents(), { name: me.name, color: sentColor(me) });
    this.editor.sync.setReadOnly(this.readOnly);
    this.renderer = new Renderer(this.canvas, this.editor, () => this.frames.schedule());
    this.renderer.useImages((hash) => imageURL(s.segment, hash, s.token));
    // Texts drawn before the text font arrived were drawn in a fallback (render/text_font.ts).
    onTextFont(() => this.renderer.repaint());
  }

  /** buildOthers makes the parts that show the others and the view: the people, their cursors, the view's controls, the status. */
  private buildOthers(): void {
    const s = this.s;
    const me = this.prefs.current;
    const schedule = (): void => this.frames.schedule();
    this.people = new PeopleList(
      { name: me.name, color: me.color },
      (a) => this.following.toggle(a),
      () => this.relayout(),
      {
        solo: (a) => {
          this.editor.setSolo(a);
          this.people.setSolo(a);
        },
        ...(s.moderator && !s.readOnly
          ? { removeChoices: (a: number) => this.removeSince.choices(this.editor.board, a), remove: (a: number, since: number) => void this.editor.sweeps.removeAuthor(a, since) }
          : {}),
      },
    );
    this.self = new SelfIdentity(this.prefs, this.editor.sync, this.people);
    this.cursors = new RemoteCursors();
    this.cursors.el.prepend(this.lasers.el);
    this.cursors.el.append(this.claims.el);
    this.status = new StatusBanner(() => this.connection?.retryNow());
    this.textEditor = new TextEditor();
    this.decor = new Decorations();
    const name = (a: number): string | undefined => this.people.name(a)?.name;
    this.sweeps = new SweepNotes({ editor: this.editor, toast: this.toast, name, readOnly: () => this.readOnly, moderator: () => s.moderator });
    this.whoDrew = new WhoDrew({
      canvas: this.canvas,
      editor: this.editor,
      renderer: this.renderer,
      name,
      active: () => selects(this.tools.tool) || this.tools.tool === 'hand',
      selecting: () => selects(this.tools.tool) && !this.pastShown(),
      segment: s.segment,
      token: s.token,
    });

    this.view = new ViewControl(s.segment, s.embed?.view ?? null, {
      renderer: this.renderer,
      editor: this.editor,
      overlays: [this.cursors, this.textEditor],
      movedByUser: () => this.following.stop(),
      schedule,
    });
    this.viewRelay = new ViewRelay({
      view: () => ({ view: this.renderer.view, width: this.renderer.width, height: this.renderer.height }),
      others: () => this.people.colors().size > 0,
      send: (m) => this.editor.sync.sendView(m),
      schedule,
    });
    this.following = new Following(this.people, (v) => this.view.setView(fitView(v, this.renderer.width, this.renderer.height), false));
    this.others = new Others({
      editor: this.editor,
      renderer: this.renderer,
      people: this.people,
      cursors: this.cursors,
      lasers: this.lasers,
      claims: this.claims,
      following: this.following,
      view: this.view,
      viewRelay: this.viewRelay,
      schedule,
      bridge: () => this.bridge,
      handedOut: (c) => this.self.handedOut(c),
    });
  }

  /** inputDeps is what the tools and the pointer work on. */
  private inputDeps(): { canvas: HTMLCanvasElement; editor: Editor; decor: Decorations; textEditor: TextEditor; schedule: () => void } {
    return { canvas: this.canvas, editor: this.editor, decor: this.decor, textEditor: this.textEditor, schedule: () => this.frames.schedule() };
  }

  /** buildTools makes the toolbar: the tools, the style menu. */
  private buildTools(): void {
    const embed = this.s.embed;
    this.tools = new ToolControl(embed ? firstTool(embed.tools, this.readOnly) : 'pen', this.prefs, embed ? { tools: embed.tools, compact: true } : {}, this.inputDeps());
  }

  /** buildControls makes the page's controls in the toolbar's row (row_controls.ts). */
  private buildControls(): void {
    ({ exports: this.exports, images: this.images, badge: this.badge, share: this.share, help: this.help, history: this.history } = rowControls({
      s: this.s,
      canvas: this.canvas,
      editor: this.editor,
      renderer: this.renderer,
      prefs: this.prefs,
      tools: this.tools,
      readOnly: () => this.readOnly,
      pointer: () => this.input.pointer,
      tell: (m) => this.status.flash(m),
      schedule: () => this.frames.schedule(),
      historyToggled: (open) => this.historyToggled(open),
    }));
  }

  /** buildRow puts the page's parts in the document, and the pointer's input on the canvas (with what it held: released). */
  private buildRow(released: () => Event[]): void {
    const { s, canvas } = this;
    const embed = s.embed;
    const me = this.prefs.current;
    const ui = document.querySelector<HTMLElement>('#ui') ?? document.body;
    ui.append(this.whoDrew.info.el);
    this.layout = new PageLayout(ui, {
      decor: this.decor.el,
      cursors: this.cursors.el,
      textEditor: this.textEditor.el,
      toolbar: this.tools.toolbar,
      people: this.people,
      followPill: this.following.pill.el,
      status: this.status.el,
      toast: this.toast.el,
      backToContent: this.view.landing.button,
      corner: [...(embed ? [] : [this.view.minimap.el]), this.view.zoom.el],
      changed: () => this.view.landing.changed(),
      cornerToggled: () => {
        this.view.landing.changed();
        this.frames.schedule();
      },
    });
    if (!embed) this.layout.addHelp(this.help.el);
    ui.append(this.history.el);
    this.actions = selectionActions({ editor: this.editor, decor: this.decor.el, tool: () => this.tools.tool, view: () => this.renderer.view, busy: () => this.input.selecting.marquee !== null || this.input.selecting.lasso !== null || this.textEditor.active, readOnly: () => this.readOnly || this.pastShown(), tell: (m) => this.status.flash(m) });
    // An embed's panels are the host's page's business: not remembered.
    this.layout.fold(embed ? {} : me.folds, embed ? () => undefined : (f) => this.prefs.update((p) => ({ ...p, folds: { ...p.folds, ...f } })));
    canvas.dataset.tool = this.tools.tool;

    this.input = new ToolInput({
      ...this.inputDeps(),
      renderer: this.renderer,
      tools: this.tools,
      view: this.view,
      following: this.following,
      laser: (pts) => {
        this.lasers.add(this.editor.sync.author, pts, this.prefs.current.color);
        this.laserOut.push(pts);
        this.frames.schedule();
      },
      // While the past is shown, the board underneath only pans: nothing is drawn on it unseen.
      readOnly: () => this.readOnly || this.pastShown(),
    });
    this.ready = true;
    if (this.spaceEarly) this.input.setSpace(true);
    this.input.attach(released());
    // Sketchpad's own paste first: a copy puts a PNG of the strokes beside
    // their text, and only another app's picture is pasted as an image.
    attachClipboard(document, {
      editor: this.editor,
      tools: this.tools,
      readOnly: () => this.readOnly,
      pointer: () => this.input.pointer,
      view: () => ({ view: this.renderer.view, width: this.renderer.width, height: this.renderer.height }),
      tell: (m) => this.status.flash(m),
      picture: (text) => copyPicture(this.editor, this.renderer.painter, this.renderer.imageURL, text),
      images: this.images,
    });
    this.images.attach(document, canvas);
    this.sizeInFirstFrame();
    if (this.frameMissed) this.frames.schedule();
  }

  /** sizeInFirstFrame fits the row in the first frame's callback, before its layout (a fit in a resize observer's call counts as a layout shift); the canvas is sized at that call. */
  private sizeInFirstFrame(): void {
    const { renderer } = this;
    const fitRow = (): void => {
      this.laidOut = true;
      this.relayout();
    };
    const resize = (): void => {
      renderer.resize();
      fitRow();
      this.view.setView(renderer.view, false);
      this.view.landing.sized();
    };
    new ResizeObserver(resize).observe(this.canvas);
    window.addEventListener('resize', resize);
    this.view.setView(this.view.stored ?? HOME_VIEW, false);
    if (this.readOnly) this.applyReadOnly();
    requestAnimationFrame(fitRow);
  }

  /** later: the parts that neither draw nor take a stroke, one per task after the first frame (start_tasks.ts); the keys run what was typed before. */
  private later(): (() => void)[] {
    const embed = this.s.embed;
    return [
      () => {
        if (embed) return; // An embed's name is the host's (or the token's): no name box.
        this.self.nameBox = nameBox(this.prefs, () => this.self.announce());
        this.people.setSelfRow(this.self.nameBox.el);
      },
      () => {
        this.keys = new KeyCommands({
          editor: this.editor,
          tools: this.tools,
          view: this.view,
          following: this.following,
          help: this.help,
          share: this.share,
          history: this.history,
          embed,
          readOnly: () => this.readOnly || this.pastShown(),
        });
        for (const c of this.keysEarly.splice(0)) this.keys.run(c);
      },
    ];
  }

  /** pastShown: the history panel shows the board's past (the board underneath only pans). */
  private pastShown(): boolean {
    return this.history.open;
  }

  /** start shows the board and connects (unless the server refused the embed). */
  start(): void {
    const { s, renderer } = this;
    const made = inTasks(this.later());
    // An embed whose token has expired stops instead of knocking again (the
    // server refuses an expired token at connect); as if closed with 4410.
    const tokenClock = new TokenClock(s.embed ? s.token : '', Date.now());
    // Keeps the board for opening offline (page/offline_start.ts); an embed's access is its token's.
    const cachedShown = (): void => this.status.setOfflineNote(OFFLINE_CACHED_NOTE);
    const offline = s.embed ? null : keepForOffline({ segment: s.segment, editor: this.editor, readOnly: () => this.readOnly, cachedShown });
    const connection = new Connection(socketURL(location.protocol, location.host, s.segment, s.token), this.editor.sync, (st) => this.onState(st), {
      stopWith: () => (tokenClock.expired(Date.now()) ? CLOSE_EXPIRED : null),
      helloAfter: offline ?? made,
      // In a task of their own: the board's first frames (the Welcome, the
      // snapshot) are not handled in the task that made the last part.
      handleAfter: made.then(yieldToMain),
      holdFor: firstPictureHold(renderer, this.editor, this.view.landing),
      socket: firstPictureSockets(renderer, this.editor),
    });
    this.connection = connection;
    window.sketchpad = makeAPI(this.editor, () => connection.state, {
      renderStats: () => renderer.stats(),
      view: () => renderer.view,
      setView: (v) => this.view.setView(v, true),
      exportPNG: (scope, size) => this.exports.png(scope, size),
      exportSVG: (scope) => this.exports.svg(scope),
      readOnly: () => this.readOnly,
      whoDrew: (author, n) => this.whoDrew.describe(this.editor.board, author, n),
    });
    window.setInterval(() => this.cursors.prune(), 1000);
    // The later parts are there before the board's first message is handled: the bridge and the connection wait for them.
    if (s.embed) {
      void made.then(() => this.embedStart(connection));
      return;
    }
    this.saver = new BoardSaver(s.segment, () => this.editor.sync.board, () => this.editor.busy);
    // The socket opens now, beside the reads from IndexedDB; its Hello waits for them (if anything is kept).
    connection.start();
  }

  /** embedStart opens the bridge to the host page and connects (unless the server refused the embed). */
  private embedStart(connection: Connection): void {
    const { s } = this;
    this.openBridge();
    // A server that refused the embed (a bad token) but still sent the page
    // says why in a meta tag: tell the host, do not connect.
    if (s.embedError) {
      const e = errorFor(s.embedError);
      this.bridge?.error(e);
      if (!this.readOnly) this.applyReadOnly();
      // The host's developer gets e (code and message); the person, words.
      this.status.set({ state: 'stopped', code: 0, reason: embedErrorText(s.embedError) });
      return;
    }
    connection.start();
  }

  /** editorEvents is what the page does when the board, the people or the connection's session change. */
  private editorEvents(): EditorListener {
    return {
      changed: () => {
        this.view.drawingChanged();
        this.frames.schedule();
      },
      historyChanged: (u, r) => this.tools.toolbar.setHistory(u, r),
      boardReplaced: (b) => {
        this.view.boardChanged();
        // A board kept on this device comes before any frame: timed from now.
        if (b.strokes.length) this.renderer.snapshotArrived(this.editor.sync.receivedAt || performance.now());
        this.saver?.changed();
      },
      applied: (e, author) => {
        this.view.boardChanged();
        this.saver?.changed();
        this.whoDrew.applied(e, author, this.editor.sync.live);
        this.sweeps.seen(e);
        if (this.editor.sync.live) {
          this.sweeps.applied(e, author);
          this.removeSince.clock.note(this.editor.sync.board.seq, Date.now());
          this.history.headMoved(this.editor.sync.board.seq);
        }
        // Someone drawing sends no cursor: their stroke's last point is it.
        // (Not for a replay while joining: those points are history.)
        if (author === this.editor.sync.author || !this.editor.sync.live) return;
        const at = cursorOf(e);
        if (at) this.others.cursor(author, at.x, at.y);
      },
      presence: (m) => this.others.presence(m),
      leave: (a) => this.others.leave(a),
      cursors: (list) => this.others.cursors(list),
      views: (list) => this.others.views(list),
      editors: () => this.frames.schedule(),
      lasers: (list) => this.others.lasers(list),
      welcomed: (w, epochChanged) => {
        this.bridge?.people.welcomed();
        const p = this.prefs.current;
        this.people.setSelf(w.author, { name: p.name, color: p.color });
        this.removeSince.clock.note(this.editor.sync.board.seq, Date.now());
        // The board is here (the snapshot came first): a first visit lands on the drawing.
        this.view.landing.arrived();
        this.viewRelay.again();
        this.status.setOfflineNote(OFFLINE_NOTE);
        if (epochChanged) this.status.flash('The board was reset on the server: strokes not yet sent were dropped.');
      },
      notice: (m) => {
        const note = noticeNote(m);
        if (note !== null) this.status.flash(note);
      },
      pausedChanged: (p) => this.status.setPaused(p),
    };
  }

  /** frame draws one animation frame: ops and the cursor out, the board, the overlays, the map. */
  private frame(): void {
    // Asked for while the page is being built: drawn once it is (buildRow).
    if (!this.ready) {
      this.frameMissed = true;
      return;
    }
    const { editor, renderer } = this;
    // A drag that just started takes its picture painted ahead before its first op changes what is shown.
    renderer.beforeOps();
    // A big selection's resize or turn: its ops go out, and what they show is worked out, between this frame and the next.
    if (editor.flush(LIFT_MIN)) this.frames.after(this.flushLeft);
    this.input.sendCursor();
    this.laserOut.flush((pts) => editor.sync.sendLaser(pts));
    this.viewRelay.frame();
    renderer.frame();
    // A trail fading (or points waiting for their interval) needs the next frame too.
    if (this.lasers.draw(renderer.view)) this.frames.schedule();
    this.others.drawClaims();
    this.history.frame();
    this.decor.update(renderer.view, selects(this.tools.tool) ? editor.selectionBounds() : null, this.input.selecting.marquee, this.input.selecting.lasso);
    this.actions.frame();
    this.tools.syncSelection();
    this.whoDrew.frame();
    this.view.frame();
    this.bridge?.frame(editor.board.seq);
  }

  /** flushLeft sends what the frame's flush left (Editor.flush) and folds it; the next task works out where it shows the selection (a frame may come between), and asks for a frame to show it. */
  private readonly flushLeft = (): void => {
    if (this.editor.flushLeft()) void nextTask().then(this.showLeft);
  };
  private readonly showLeft = (): void => {
    this.editor.shownLeft();
    this.renderer.prepare();
    this.frames.schedule();
  };

  /** historyToggled takes the drawing tools away while the past is shown (the hand pans it), and gives them back. */
  private historyToggled(open: boolean): void {
    if (open) {
      this.toolBeforeHistory = this.tools.tool;
      this.textEditor.end();
      this.tools.setTool('hand');
    } else if (this.toolBeforeHistory) {
      if (!this.readOnly) this.tools.setTool(this.toolBeforeHistory);
      this.toolBeforeHistory = null;
    }
  }

  private relayout(): void { if (this.laidOut) this.layout.relayout(); }

  private onState(s: ConnState): void {
    this.status.set(s);
    // The server refused an op (4403), or the embed token expired (4410).
    if ((this.editor.readOnly || s.state === 'stopped') && !this.readOnly) this.applyReadOnly();
    if (s.state !== 'live' && s.state !== 'connecting') this.others.gone();
    this.bridge?.connection(s, this.editor.board.seq);
  }

  /** applyReadOnly turns the page into a viewer: no drawing tools, no ops; pan, zoom, follow, export still work. */
  private applyReadOnly(): void {
    this.readOnly = true;
    this.editor.sync.setReadOnly(true);
    this.self.announce();
    this.textEditor.end();
    this.badge.hidden = false;
    this.tools.toolbar.setReadOnly(true);
    this.canvas.dataset.readonly = 'true';
    this.tools.setTool('hand');
    this.share.setLinks({ edit: null, view: here() });
  }

  /** openBridge opens the postMessage API to the host page, when the server named a host origin and the page is framed. */
  private openBridge(): void {
    const { s, history } = this;
    this.bridge = openBridge(s.embedHost, s.token, s.segment, {
      readOnly: () => this.readOnly,
      tools: this.tools,
      editor: this.editor,
      sweeps: this.sweeps,
      exports: this.exports,
      images: this.images,
      history,
    });
  }
}
