// Carrying the board pages an older build's worker kept into this build's
// cache, so that a deployment does not cost a board its offline copy.
//
// A kept page names its build's files (/static/app.<hash>.js), and the
// old build's files go with its caches, so the old copy cannot be served
// as it is. Installing, the worker is online (it was just downloaded): it
// asks the server for each page again, which gives this build's page.
// When the server answers with an error (a board deleted since), the page
// is dropped. When the request fails (the network went away meanwhile),
// the old copy is kept with each hashed name pointed at this build's file
// of the same name: the page's markup is the old build's, its files the new.

/** A hashed name as build.mjs writes it: /static/{stem}.{10 hex}.{ext}. */
const HASHED = /\/static\/([A-Za-z0-9_-]+)\.[0-9a-f]{10}\.([a-z]+)/g;

/**
 * carryPages copies into the cache named into every board page kept in
 * the other caches whose names start with prefix, taking each again from
 * the network when it can. shell is this build's file list (SHELL).
 */
export async function carryPages(into: string, prefix: string, shell: readonly string[]): Promise<void> {
  const target = await caches.open(into);
  const current = new Map<string, string>();
  for (const path of shell) {
    const m = /^\/static\/([A-Za-z0-9_-]+)\.[0-9a-f]{10}\.([a-z]+)$/.exec(path);
    if (m) current.set(`${m[1]}.${m[2]}`, path);
  }
  const olds = (await caches.keys()).filter((n) => n.startsWith(prefix) && n !== into);
  for (const name of olds) {
    const old = await caches.open(name);
    for (const req of await old.keys()) {
      if (await target.match(req)) continue;
      try {
        const res = await fetch(req.url, { credentials: 'same-origin' });
        if (res.ok) await target.put(req, res);
        // The server answered, and not with a page: nothing to carry.
        continue;
      } catch {
        // Offline: carry the old copy, pointed at this build's files.
      }
      const res = await old.match(req);
      if (!res) continue;
      const html = (await res.text()).replace(HASHED, (m, stem: string, ext: string) => current.get(`${stem}.${ext}`) ?? m);
      await target.put(req, new Response(html, { status: res.status, statusText: res.statusText, headers: res.headers }));
    }
  }
}
