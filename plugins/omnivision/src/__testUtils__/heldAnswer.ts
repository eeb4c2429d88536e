/**
 * A backend answer that waits until the test releases it: the test sees what the page shows
 * while waiting, then lets the answer through, with no race against a timer.
 */
export function heldAnswer() {
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  return { release, released };
}
