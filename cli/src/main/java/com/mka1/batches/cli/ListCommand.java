package com.mka1.batches.cli;

import com.mka1.batches.ListBatchesParams;
import com.mka1.batches.Page;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code list}: one page of batches, newest first, or every batch with {@code --all}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List batches, newest first: one page, or every batch with --all.")
final class ListCommand extends BatchCommand {
    @Option(names = "--all", description = "Follow the pages to the end (--limit is then the page size).")
    boolean all;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Batches per page, " + ListBatchesParams.MIN_LIMIT + ".." + ListBatchesParams.MAX_LIMIT
                    + " (default: the API's, 20; 100 with --all).")
    Integer limit;

    @Option(names = "--after", paramLabel = "BATCH_ID", description = "Start after this batch (the last id of a page).")
    String after;

    @Override
    void validate() {
        ArgumentChecks.between(limit, ListBatchesParams.MIN_LIMIT, ListBatchesParams.MAX_LIMIT, "--limit");
        ArgumentChecks.notBlank(after, "--after");
    }

    @Override
    int run(Session session) {
        ListBatchesParams.Builder params = ListBatchesParams.builder();
        if (limit != null) {
            params.limit(limit);
        } else if (all) {
            params.limit(ListBatchesParams.MAX_LIMIT);
        }
        if (after != null) {
            params.after(after);
        }
        Page<BatchObject, ListBatchesParams> page = session.batches().list(params.build());
        if (all) {
            List<BatchObject> batches = new ArrayList<>();
            page.autoPager().forEach(batches::add);
            printer().print(batches, batches);
        } else {
            ListBatchesResponse json = new ListBatchesResponse()
                    ._object("list")
                    .data(page.data())
                    .firstId(page.firstId())
                    .lastId(page.lastId())
                    .hasMore(page.hasNextPage());
            page.additionalProperties().forEach(json::putAdditionalProperty); // fields newer than this tool
            printer().print(page.data(), json);
            if (page.hasNextPage()) {
                // On stderr, so that -o json keeps stdout to the JSON alone.
                err().println("More batches follow: add --after "
                        + page.nextPageParams().after() + ", or --all.");
            }
        }
        return ExitCodes.OK;
    }
}
