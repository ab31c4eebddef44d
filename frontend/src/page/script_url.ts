// The script addresses the page hands the browser where its policy
// requires Trusted Types (the server's Content-Security-Policy allows one
// policy, 'sketchpad'): the service worker's and the socket worker's
// (net/socket_worker.ts, named by the build), and no other.

/** The socket worker's script, named by the build; not defined in tests run by node. */
declare const SOCKET_WORKER: string | undefined;

/** socketWorkerURL is the socket worker's address as the build named it, or null (no build: tests). */
export const socketWorkerURL: string | null = typeof SOCKET_WORKER === 'string' ? SOCKET_WORKER : null;

/** The slice of Trusted Types the page uses (not in TypeScript's DOM types yet). */
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

let policy: { createScriptURL(url: string): unknown } | null = null;

/**
 * scriptURL is url as the browser takes it for a worker's script: a
 * TrustedScriptURL made by the page's one policy, which passes the two
 * workers' addresses and no other (a string where there are no Trusted Types).
 */
export function scriptURL(url: string): string {
  const tt = (window as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url;
  policy ??= tt.createPolicy('sketchpad', {
    createScriptURL: (u) => {
      if (u !== '/sw.js' && u !== socketWorkerURL) throw new TypeError(`sketchpad: no script from ${u}`);
      return u;
    },
  });
  // A TrustedScriptURL, which register and new Worker take in place of the string.
  return policy.createScriptURL(url) as string;
}
