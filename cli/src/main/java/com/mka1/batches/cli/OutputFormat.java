package com.mka1.batches.cli;

/** How commands print batches on stdout: {@code --output table|json}. */
enum OutputFormat {
    /** Aligned columns for people. */
    TABLE,
    /**
     * The API's JSON, for scripts: every field the server sent, with its value as sent, including
     * fields and values newer than this tool (pretty-printed; a field the server left out that the
     * model declares shows as {@code null}).
     */
    JSON
}
