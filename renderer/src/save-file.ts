/**
 * Hands bytes to the browser as a download (a PDF, a zip): the same on the desktop (Electron shows
 * its save dialog) and in a browser. Shared by the gateway UI and the server's web viewer.
 */

/** Saves `bytes` as `fileName`. */
export function saveFile(bytes: Uint8Array, fileName: string, contentType: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has taken its copy once the click has been handled
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves base64 content (as the gateway API carries files) as `fileName`. */
export function saveBase64File(base64: string, fileName: string, contentType: string): void {
  saveFile(
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
    fileName,
    contentType,
  );
}
