package com.mka1.batches;

import com.mka1.batches.internal.CallEngine;
import com.mka1.batches.internal.FileOperations;
import com.mka1.batches.internal.Steps;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.ListFilesResponse;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * One page of files from {@code list} in either mode; see {@link Page} for walking the pages
 * after it.
 *
 * <pre>{@code
 * for (FileObject file : files.list(ListFilesParams.builder().purpose(FilePurpose.BATCH).build()).autoPager()) {
 *     System.out.println(file.getId() + " " + file.getFilename() + " " + file.getBytes());
 * }
 * }</pre>
 */
public final class FilePage extends Page<FileObject> {
    private final CallEngine engine;
    private final ListFilesParams params;
    private final RequestOptions options;

    FilePage(CallEngine engine, ListFilesParams params, RequestOptions options, RawResponse<ListFilesResponse> answer) {
        super(answer.value().getData(), answer.value().getHasMore(), answer.value().getFirstId(),
                answer.value().getLastId(), FileObject::getId, params.after(), answer.statusCode(),
                answer.value().getAdditionalProperties());
        this.engine = engine;
        this.params = params;
        this.options = options;
    }

    /**
     * @return the parameters of the next page: these with {@code after} set to its cursor
     * @throws NoSuchElementException if {@link #hasNextPage()} is false
     * @throws com.mka1.batches.errors.InvalidResponseException if this page gives no cursor that
     *     leads on (see {@link #nextPage()})
     */
    public ListFilesParams nextPageParams() {
        return params.toBuilder().after(nextCursor()).build();
    }

    @Override
    public FilePage nextPage() {
        ListFilesParams next = nextPageParams();
        return new FilePage(engine, next, options, engine.execute(FileOperations.list(next), options));
    }

    @Override
    public CompletableFuture<FilePage> nextPageAsync() {
        ListFilesParams next = nextPageParams();
        return Steps.map(engine.executeAsync(FileOperations.list(next), options),
                raw -> new FilePage(engine, next, options, raw));
    }
}
