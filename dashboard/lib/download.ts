// Saving a file the page has in memory (the SQL console's exports, received from the server). The exports
// themselves (CSV with a BOM, XLSX, Parquet) are written by the server: POST /api/sql/export.

/** Saves a Blob under a file name through a temporary link (works in every current browser). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
