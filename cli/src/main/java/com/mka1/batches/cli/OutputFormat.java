package com.mka1.batches.cli;

/** How commands print batches on stdout: {@code --output table|json}. */
enum OutputFormat {
    /** Aligned columns for people. */
    TABLE,
    /** The API's JSON model, for scripts. */
    JSON
}
