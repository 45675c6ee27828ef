// The wall screen's slide timer: advances every `seconds`, exposes how far into the current slide it
// is (for the progress bar), and can be paused or stepped from the keyboard.

export class Rotation {
  index = $state(0);
  /** 0..1 of the current slide's time. */
  progress = $state(0);
  paused = $state(false);

  private started = performance.now();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly count: () => number,
    readonly seconds: number,
  ) {}

  start(): void {
    this.stop();
    this.started = performance.now();
    // A coarse tick is enough for a progress bar and keeps an idle wall screen cheap.
    this.timer = setInterval(() => this.tick(), 250);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  step(by: number): void {
    const n = this.count();
    if (n === 0) return;
    this.index = (((this.index + by) % n) + n) % n;
    this.started = performance.now();
    this.progress = 0;
  }

  toggle(): void {
    this.paused = !this.paused;
    this.started = performance.now() - this.progress * this.seconds * 1000;
  }

  private tick(): void {
    if (this.paused) return;
    const elapsed = (performance.now() - this.started) / 1000;
    if (elapsed >= this.seconds) this.step(1);
    else this.progress = elapsed / this.seconds;
  }
}
