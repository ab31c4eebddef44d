/*! Sketchpad embed: put a live board in your page.
 *
 *   <div id="board" style="height: 480px"></div>
 *   <script src="https://sketch.example.com/embed.js"></script>
 *   <script>
 *     const board = Sketchpad.mount(document.getElementById('board'), {
 *       board: 'v.…',          // the board's view id or name (from your backend)
 *       token: '…',            // an embed token (POST /api/tokens or `sketchpad token`)
 *     });
 *     board.on('change', (e) => console.log('board at', e.seq));
 *     await board.ready;
 *     await board.setTool('pen');
 *     const png = await board.exportPNG();   // a data: URL
 *   </script>
 *
 * The iframe and this page talk with postMessage, each checking the other's
 * exact origin: this page accepts messages only from the iframe's window at
 * the Sketchpad server's origin, and the board accepts commands only from
 * the origin given as `host`, which must be one of the server's
 * SKETCHPAD_EMBED_ORIGINS. README.md ("Embedding") lists every event and
 * command.
 *
 * A board the server refuses to show (a token that expired or is for
 * another board, a host origin not allowed to embed) never runs in the
 * iframe, so it cannot say so itself: when the iframe has loaded and the
 * board has not said `load` within LOAD_GRACE_MS, the host gets an `error`
 * {code: 'load_failed', fatal: true} and `ready` rejects.
 */
(function (global) {
  'use strict';

  var scriptOrigin = (function () {
    var s = document.currentScript;
    try {
      return s && s.src ? new URL(s.src).origin : location.origin;
    } catch (e) {
      return location.origin;
    }
  })();

  var COMMANDS = ['setTool', 'setColor', 'setWidth', 'restyleSelection', 'undo', 'redo', 'clear', 'undoClear', 'exportPNG', 'exportSVG', 'insertImage', 'openHistory', 'closeHistory'];
  var LOAD_GRACE_MS = 2000;

  function mount(element, options) {
    if (!element || !element.appendChild) throw new Error('Sketchpad.mount: an element to put the board in is required');
    options = options || {};
    if (!options.board) throw new Error('Sketchpad.mount: options.board is required');
    var server = (options.server || scriptOrigin).replace(/\/+$/, '');
    var serverOrigin = new URL(server).origin;

    var q = new URLSearchParams();
    q.set('host', location.origin);
    if (options.token) q.set('token', options.token);
    if (options.tools) q.set('tools', [].concat(options.tools).join(','));
    if (options.theme) q.set('theme', options.theme);
    if (options.readOnly) q.set('readonly', '1');
    if (options.view) q.set('view', [options.view.x, options.view.y, options.view.zoom].join(','));

    var iframe = document.createElement('iframe');
    iframe.src = server + '/embed/' + encodeURIComponent(options.board) + '?' + q.toString();
    iframe.title = options.title || 'Sketchpad board';
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.style.border = '0';
    iframe.style.width = '100%';
    iframe.style.height = '100%';
    element.appendChild(iframe);

    var listeners = {};
    var pending = {};
    var nextId = 1;
    var resolveReady, rejectReady;
    var ready = new Promise(function (res, rej) {
      resolveReady = res;
      rejectReady = rej;
    });
    // Whoever does not wait on ready must not get an unhandled rejection.
    ready.catch(function () {});
    var alive = false; // the board's page runs: it said `load`
    var loadTimer = null;

    function emit(type, detail) {
      (listeners[type] || []).slice().forEach(function (fn) {
        try {
          fn(detail);
        } catch (e) {
          setTimeout(function () {
            throw e;
          });
        }
      });
    }

    function onMessage(ev) {
      if (ev.source !== iframe.contentWindow || ev.origin !== serverOrigin) return;
      var m = ev.data;
      if (!m || m.sketchpad !== 1 || typeof m.type !== 'string') return;
      alive = true;
      if (loadTimer !== null) clearTimeout(loadTimer);
      loadTimer = null;
      if (m.type === 'result') {
        var p = pending[m.id];
        if (!p) return;
        delete pending[m.id];
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error || 'command failed'));
        return;
      }
      if (m.type === 'ready') resolveReady(m);
      if (m.type === 'error' && m.fatal) rejectReady(new Error(m.message || 'board failed to load'));
      emit(m.type, m);
    }
    global.addEventListener('message', onMessage);

    iframe.addEventListener('load', function () {
      if (alive) return;
      if (loadTimer !== null) clearTimeout(loadTimer);
      loadTimer = setTimeout(function () {
        loadTimer = null;
        if (alive) return;
        var e = {
          sketchpad: 1,
          type: 'error',
          code: 'load_failed',
          message: 'the board did not load: the server refused it (an expired token, a token for another board, ' +
            'a host origin not in SKETCHPAD_EMBED_ORIGINS) or cannot be reached',
          fatal: true,
        };
        rejectReady(new Error(e.message));
        emit('error', e);
      }, LOAD_GRACE_MS);
    });

    function send(cmd, args) {
      return ready.then(function () {
        return new Promise(function (resolve, reject) {
          var id = nextId++;
          pending[id] = { resolve: resolve, reject: reject };
          iframe.contentWindow.postMessage({ sketchpad: 1, id: id, cmd: cmd, args: args || [] }, serverOrigin);
        });
      });
    }

    var api = {
      iframe: iframe,
      ready: ready,
      on: function (type, fn) {
        (listeners[type] = listeners[type] || []).push(fn);
        return api;
      },
      off: function (type, fn) {
        listeners[type] = (listeners[type] || []).filter(function (f) {
          return f !== fn;
        });
        return api;
      },
      destroy: function () {
        global.removeEventListener('message', onMessage);
        if (loadTimer !== null) clearTimeout(loadTimer);
        loadTimer = null;
        rejectReady(new Error('board destroyed'));
        Object.keys(pending).forEach(function (id) {
          pending[id].reject(new Error('board destroyed'));
        });
        pending = {};
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
    };
    COMMANDS.forEach(function (cmd) {
      api[cmd] = function () {
        return send(cmd, Array.prototype.slice.call(arguments));
      };
    });
    return api;
  }

  global.Sketchpad = { mount: mount, version: 1 };
})(window);
