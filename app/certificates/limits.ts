// Sizes and windows of the certificate pages, shared by the server code and the components that explain them.

/** Rows shown on a list page (the ZIP holds them all). */
export const LIST_LIMIT = 200
/** "Expiring soon" on the manager's page. */
export const EXPIRING_DAYS = 60
/** Larger ZIP requests are refused with a request to narrow the filter (by course or dates). */
export const MAX_ZIP_ENTRIES = 5000
/** A rendered certificate weighs about this much; used for the estimate shown before downloading. */
export const AVERAGE_PDF_BYTES = 38_000
