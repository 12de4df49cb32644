package com.mka1.batches.cli;

import com.mka1.batches.ListFilesParams;
import com.mka1.batches.Page;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import com.mka1.batches.models.ListFilesResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code files list}: one page of files, newest first, or every file with {@code --all}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List files, newest first: one page, or every file with --all.")
final class FileListCommand extends BatchCommand {
    @Option(
            names = "--purpose",
            paramLabel = "PURPOSE",
            converter = FilePurposes.ForList.class,
            description = "Only files with this purpose: " + FilePurposes.LIST_NAMES + " (default: any).")
    FilePurpose purpose;

    @Option(names = "--all", description = "Follow the pages to the end (--limit is then the page size).")
    boolean all;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Files per page, " + ListFilesParams.MIN_LIMIT + ".." + ListFilesParams.MAX_LIMIT
                    + " (default: the API's, " + ListFilesParams.MAX_LIMIT + ").")
    Integer limit;

    @Option(names = "--after", paramLabel = "FILE_ID", description = "Start after this file (the last id of a page).")
    String after;

    @Override
    void validate() {
        ArgumentChecks.between(limit, ListFilesParams.MIN_LIMIT, ListFilesParams.MAX_LIMIT, "--limit");
        ArgumentChecks.notBlank(after, "--after");
    }

    @Override
    int run(Session session) {
        ListFilesParams.Builder params = ListFilesParams.builder();
        if (limit != null) {
            params.limit(limit);
        }
        if (after != null) {
            params.after(after);
        }
        if (purpose != null) {
            params.purpose(purpose);
        }
        Page<FileObject, ListFilesParams> page = session.files().list(params.build());
        if (all) {
            List<FileObject> files = new ArrayList<>();
            page.autoPager().forEach(files::add);
            filePrinter().print(files, files);
        } else {
            ListFilesResponse json = new ListFilesResponse()
                    ._object("list")
                    .data(page.data())
                    .firstId(page.firstId())
                    .lastId(page.lastId())
                    .hasMore(page.hasNextPage());
            page.additionalProperties().forEach(json::putAdditionalProperty); // fields newer than this tool
            filePrinter().print(page.data(), json);
            if (page.hasNextPage()) {
                // On stderr, so that -o json keeps stdout to the JSON alone.
                err().println("More files follow: add --after "
                        + page.nextPageParams().after() + ", or --all.");
            }
        }
        return ExitCodes.OK;
    }
}
