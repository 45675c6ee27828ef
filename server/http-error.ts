// The status a server route should answer with; the error handler (app.ts) turns it into
// {"error": message} without a stack trace.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
