// The JSON API of `w2k8 serve`, from the page's own origin only. The access
// token is kept in this tab's sessionStorage and sent as
// `Authorization: Bearer`; a 401 surfaces as an ApiError with status 401
// (the router then shows the sign-in form).

const TOKEN_KEY = "w2k8.token";

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

// An answer that is not 2xx (status 0 when the server did not answer), with
// the API's own message when it gave one, and the hosts a 409 lists (a host
// name that several hosts have) in `candidates`.
export class ApiError extends Error {
  constructor(status, message, candidates) {
    super(message);
    this.status = status;
    this.candidates = Array.isArray(candidates) ? candidates : [];
  }
}

// GET `path` (with URLSearchParams `params`, if any): the parsed JSON body,
// or an ApiError.
export async function api(path, params) {
  let url = path;
  if (params) {
    const q = params.toString();
    if (q) url += "?" + q;
  }
  const headers = { Accept: "application/json" };
  const t = token.get();
  if (t) headers.Authorization = "Bearer " + t;
  let res;
  try {
    res = await fetch(url, { headers, cache: "no-store", credentials: "same-origin", redirect: "error" });
  } catch (e) {
    throw new ApiError(0, "the server did not answer (" + e.message + ")");
  }
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    body = null;
  }
  if (!res.ok) {
    const msg = body && body.error && body.error.message ? body.error.message : res.status + " " + res.statusText;
    throw new ApiError(res.status, msg, body && body.error ? body.error.candidates : null);
  }
  return body;
}
