// The public HTTP API with the signed-in key. Errors become ApiError with the server's
// {"error": {"code", "message"}} so views can show the message as it is.

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    // The whole answer, for errors that carry more (a 409 sync_running names the running run).
    this.body = body;
  }
}

export class Api {
  constructor(key) {
    this.key = key;
  }

  headers(extra = {}, key = this.key) {
    return { Authorization: `Bearer ${key}`, ...extra };
  }

  async request(method, path, { query, body, key, accept = 'application/json' } = {}) {
    const url = withQuery(path, query);
    const init = { method, headers: this.headers({ Accept: accept }, key) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check that callpipe serve is running.');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async json(path, query) {
    return (await this.request('GET', path, { query })).json();
  }

  async post(path, body, key) {
    return (await this.request('POST', path, { body, key })).json();
  }

  async put(path, body) {
    return (await this.request('PUT', path, { body })).json();
  }

  async blob(path, query, accept = '*/*') {
    return (await this.request('GET', path, { query, accept })).blob();
  }

  /** Uploads a file as the raw request body with upload progress (fetch cannot report it). */
  upload(path, file, { key = this.key, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('Authorization', `Bearer ${key}`);
      xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      xhr.responseType = 'text';
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
      });
      xhr.addEventListener('load', () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(errorFromBody(xhr.status, body));
      });
      xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The upload failed: the connection was lost.')));
      xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'The upload was cancelled.')));
      xhr.send(file);
    });
  }
}

export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return errorFromBody(response.status, body);
}

function errorFromBody(status, body) {
  const error = body && body.error;
  if (error && error.message) return new ApiError(status, error.code || 'error', error.message, body);
  return new ApiError(status, 'http_error', `The server answered ${status}.`);
}
