// Downloads that carry the console's credentials: a link cannot send the API key, so the
// file is fetched with it (or with the session cookie, same origin) and saved from memory.
import { API_URL, ApiUnreachable, problemOf } from "./api";
import { authHeaders } from "./auth";

/** Saves ``blob`` as ``name`` through a temporary link. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started the download once click() returns; give it a moment anyway.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches ``path`` of the API with the console's credentials and saves it as ``name``;
 * an error answer is thrown as its problem details. */
export async function downloadFromApi(path: string, name: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${API_URL}${path}`, {
      headers: authHeaders("GET"),
      credentials: API_URL ? "omit" : "same-origin",
      cache: "no-store",
    });
  } catch (failure) {
    throw failure instanceof TypeError ? new ApiUnreachable(failure) : failure;
  }
  if (!response.ok) throw await problemOf(response);
  saveBlob(await response.blob(), name);
}
