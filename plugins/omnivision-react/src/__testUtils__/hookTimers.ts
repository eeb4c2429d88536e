import { act } from '@testing-library/react';

/** Advances Jest's fake timers inside `act`, letting the fetches they start settle. */
export function advance(ms: number): Promise<void> {
  return act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

/** A `load` that counts its calls: it answers 1, then 2, then 3… */
export function counter() {
  let n = 0;
  return jest.fn(async () => ++n);
}

/**
 * Makes `document.visibilityState` the test's (visible at first; restored by
 * `jest.restoreAllMocks()`), and returns how to hide or show the tab as the browser does: the
 * state and a `visibilitychange` event.
 */
export function mockTabVisibility() {
  let visibility: DocumentVisibilityState = 'visible';
  jest
    .spyOn(document, 'visibilityState', 'get')
    .mockImplementation(() => visibility);
  return (state: DocumentVisibilityState) =>
    act(async () => {
      visibility = state;
      document.dispatchEvent(new Event('visibilitychange'));
    });
}

/** Asserts that `load` is called next exactly `ms` from now, and not a millisecond before. */
export async function expectNextCallIn(load: jest.Mock, ms: number) {
  const calls = load.mock.calls.length;
  await advance(ms - 1);
  expect(load).toHaveBeenCalledTimes(calls);
  await advance(1);
  expect(load).toHaveBeenCalledTimes(calls + 1);
}
