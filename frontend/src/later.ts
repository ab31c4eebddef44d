// The parts of the app loaded on first use (import('./later') where they
// are used), in one chunk of the build: the history panel, the help's
// tables, the export writers. One chunk, not one each, so that the code
// they share with the first screen is one chunk too: a first visit loads
// app.js and that chunk, two requests, where a chunk per part made four
// (one per set of parts sharing a module), each waiting its turn at the
// low priority a page's scripts get.

export { HistoryPanel } from './history/history_panel';
export { CONTROLS, helpTables } from './ui/help_tables';
export { download, exportPNG, exportSVG } from './render/export';
