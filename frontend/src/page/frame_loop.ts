// The page draws in animation frames: whatever changes what is shown asks
// for one, and any number of asks before it comes make one frame.

export class FrameLoop {
  /** A frame has been requested and has not run yet. */
  private requested = false;
  /** What after() was last given, until its task runs. */
  private later: (() => void) | null = null;
  private readonly channel = new MessageChannel();

  constructor(private readonly draw: () => void) {
    this.channel.port1.onmessage = () => {
      const f = this.later;
      this.later = null;
      f?.();
    };
  }

  /**
   * after runs f in a task right after the frame being drawn (a message's
   * task comes after the frame's rendering), once however often it is
   * asked before then: work the next frame needs that would make this one
   * late.
   */
  after(f: () => void): void {
    const queued = this.later !== null;
    this.later = f;
    if (!queued) this.channel.port2.postMessage(null);
  }

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
