/**
 * Saves text the page already holds as a file: used for a CSV whose search
 * carried a personal id, which therefore came by POST and cannot be a link.
 */
export function saveAsFile(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Chromium reads the blob after the click returns: give it time before the object URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
