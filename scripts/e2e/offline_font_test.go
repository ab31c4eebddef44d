package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// textFontReadyJS loads the text font as a text on the board would and
// says whether it arrived (offline, only a kept copy can arrive).
const textFontReadyJS = `document.fonts.load('16px "Sketchpad Text"').then((fs) => fs.some((f) => f.status === 'loaded'), () => false)`

// Texts look the same offline: the font fetched for a board's texts is
// kept with the app, so a board opened without a network draws its texts
// in it, not in a fallback whose glyphs overrun the measured boxes.
func TestTextsKeepTheirFontOnABoardOpenedOffline(t *testing.T) {
	r := newRestartable(t)
	a := newPerson(t, "Ada")
	a.open("http://" + r.addr + "/b/offline-font")
	a.waitFor("the service worker in control", `navigator.serviceWorker.controller !== null`)
	a.waitAsync("the page kept for offline use", pageKeptJS)
	a.tool("text") // the text tool fetches the font, as a board's first text does
	a.waitAsync("the text font loaded online", textFontReadyJS)
	a.waitAsync("the text font kept", `caches.keys().then((ns) => Promise.all(ns.map((n) => caches.open(n).then((c) => c.match(location.origin + '/font/text.ttf'))))).then((hits) => hits.some((h) => !!h))`)

	r.stop()
	a.waitFor("the page offline", `window.sketchpad.status() === 'offline'`)
	a.run("reload offline", chromedp.Reload())
	a.waitFor("the app running offline", `window.sketchpad !== undefined && window.sketchpad.status() === 'offline'`)
	var ok bool
	a.evalAsync(textFontReadyJS, &ok)
	if !ok {
		t.Error("offline, the text font did not load: texts are drawn in a fallback font")
	}
}
