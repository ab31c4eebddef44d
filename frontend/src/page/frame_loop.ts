// The page draws in animation frames: whatever changes what is shown asks
// for one, and any number of asks before it comes make one frame.

export class FrameLoop {
  /** A frame has been requested and has not run yet. */
  private requested = false;

  constructor(private readonly draw: () => void) {}

  /** schedule asks for a frame. */
  schedule(): void {
    if (this.requested) return;
    this.requested = true;
    requestAnimationFrame(() => {
      this.requested = false;
      this.draw();
    });
  }
}
