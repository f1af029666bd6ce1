/** Hands bytes the client fetched (with the bearer token) to the browser as a download. */
export function saveFile(bytes: Uint8Array, fileName: string, contentType: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The body of a binary response, as bytes (the transport gives bytes for non-JSON bodies). */
export function asBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  throw new Error('the server sent no file');
}
