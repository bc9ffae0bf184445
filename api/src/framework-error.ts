/**
 * Framework-level HTTP errors (unknown route, wrong method, bad version header, body too large, unparseable body).
 * Ironic renders these as {"code", "title", "description"} inside error_message, unlike business errors
 * (AnvilError) which become {"faultcode", "faultstring", "debuginfo"}.
 */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export class FrameworkError extends Error {
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;
  constructor(status: number, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.status = status;
    this.title = TITLES[status] ?? 'Error';
    this.headers = headers;
  }
}

export const notFoundRoute = () => new FrameworkError(404, '');
