import type { Response } from 'express';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** About how much text one write carries: a few hundred pods. */
const CHUNK_CHARS = 256 * 1024;

/** Resolves once the response can take more (or is gone). */
function drained(res: Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Writes a watch's events to its response as JSON lines, in order: first the lines it starts
 * with (a watch list's initial state can be 150,000 pods, produced lazily), then the live ones,
 * which wait in a queue meanwhile. Lines go out in chunks of about 256 KiB, one `write` each;
 * after a chunk the stream waits for `drain` when the response's buffer is full, or else lets
 * the event loop turn, so a long initial state neither holds up other requests nor sits in
 * memory whole. A live event with nothing ahead of it is written at once.
 */
export class WatchEventStream {
  readonly #res: Response;
  #initial: Iterator<string> | undefined;
  #live: string[] = [];
  /** The index of the next live line to write. */
  #head = 0;
  #started = false;
  #writing = false;
  #closed = false;

  static create(res: Response): WatchEventStream {
    return new WatchEventStream(res);
  }

  private constructor(res: Response) {
    this.#res = res;
    res.once('close', () => this.close());
  }

  /** Starts writing: the initial lines, then the live lines sent before and after. */
  start(initial: Iterable<string>) {
    this.#initial = initial[Symbol.iterator]();
    this.#started = true;
    void this.#write();
  }

  /** Queues a live line behind every line before it. */
  send(line: string) {
    if (this.#closed) return;
    this.#live.push(line);
    if (this.#started && !this.#writing) void this.#write();
  }

  /** Stops writing and drops what waits (the response ended or its client went away). */
  close() {
    this.#closed = true;
    this.#initial = undefined;
    this.#live = [];
    this.#head = 0;
  }

  #nextChunk(): string {
    let chunk = '';
    while (chunk.length < CHUNK_CHARS) {
      if (this.#initial) {
        const next = this.#initial.next();
        if (!next.done) {
          chunk += next.value;
          continue;
        }
        this.#initial = undefined;
      }
      if (this.#head >= this.#live.length) break;
      chunk += this.#live[this.#head++];
    }
    if (this.#head >= this.#live.length) {
      this.#live = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#live = this.#live.slice(this.#head);
      this.#head = 0;
    }
    return chunk;
  }

  async #write() {
    this.#writing = true;
    try {
      for (;;) {
        if (this.#closed || this.#res.writableEnded) return;
        const chunk = this.#nextChunk();
        if (!chunk) return;
        if (this.#res.write(chunk)) await nextTurn();
        else await drained(this.#res);
      }
    } finally {
      this.#writing = false;
    }
  }
}
