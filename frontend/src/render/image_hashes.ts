// Which images a picture holds: pure, so the tests and the DOM-free
// history writer use it (render/image_fetch fetches them).

import { TOOL_IMAGE } from '../protocol/types';

/** imageHashes returns the distinct images (by hash) that strokes show, in order. */
export function imageHashes(strokes: Iterable<{ readonly tool: number; readonly text: string }>): string[] {
  const out = new Set<string>();
  for (const s of strokes) if (s.tool === TOOL_IMAGE && s.text) out.add(s.text);
  return [...out];
}
