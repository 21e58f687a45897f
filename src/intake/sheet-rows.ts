/** One row of a lead list, as read: cells as text, numbered like a spreadsheet shows them. */
export interface SheetRow {
  /** 1-based; the header is row 1. */
  row: number;
  cells: string[];
  /** Size of the row as stored (UTF-8 bytes of its CSV text, or of its cell texts). */
  bytes: number;
}

/** Reads the file from the start each time it is called, so a file can be gone through twice. */
export type RowSource = () => AsyncIterable<SheetRow>;
