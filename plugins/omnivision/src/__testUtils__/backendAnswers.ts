import { http, HttpResponse, delay } from 'msw';
import { API } from './renderWithOmniVisionApi';

/** A route of the backend that never answers: the page stays in its loading state. */
export function neverAnswering(path: string) {
  return http.get(`${API}${path}`, async () => {
    await delay('infinite');
    return HttpResponse.json({});
  });
}

/** A route of the backend that fails with Backstage's error body, after an optional delay. */
export function failing(
  path: string,
  status: number,
  message: string,
  delayMs = 0,
) {
  return http.get(`${API}${path}`, async () => {
    if (delayMs) await delay(delayMs);
    return HttpResponse.json({ error: { name: 'Error', message } }, { status });
  });
}

/** A route of the backend that answers with a body. */
export function answering(path: string, body: unknown) {
  return http.get(`${API}${path}`, () => HttpResponse.json(body as any));
}
