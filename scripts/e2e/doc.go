// Package e2e holds Sketchpad's end-to-end tests: real replicas on real
// sockets, driven by real headless Chromium (Debian's, installed by
// scripts/setup) through chromedp, doing what a person does in the page.
package e2e
