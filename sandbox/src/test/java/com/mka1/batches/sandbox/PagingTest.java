package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.TestApi.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.ListBatchesResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** list: newest first, {@code after}/{@code limit} paging, and its parameter errors. */
class PagingTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;

    @BeforeAll
    static void start() {
        sandbox = Mka1Sandbox.builder().clock(SandboxClock.fixed(Fixtures.T0)).start();
        api = new TestApi(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    private List<String> createBatches(int count) {
        String fileId = sandbox.registerInputFile(Fixtures.chatFile(1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.createBatch(fileId, CHAT).getId());
        }
        return ids;
    }

    @Test
    void emptyListHasNoIdsAndNoMore() {
        TestApi.Reply reply = api.list("");
        assertThat(reply.status).isEqualTo(200);
        assertThat(reply.json().get("object").getAsString()).isEqualTo("list");
        assertThat(reply.json().getAsJsonArray("data")).isEmpty();
        assertThat(reply.json().get("has_more").getAsBoolean()).isFalse();
        assertThat(reply.json().has("first_id")).isFalse();
        assertThat(reply.json().has("last_id")).isFalse();
    }

    @Test
    void defaultPageIsTwentyNewestFirst() {
        List<String> created = createBatches(25);
        ListBatchesResponse page = api.list("").page();

        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);
        assertThat(ids(page.getData())).containsExactlyElementsOf(newestFirst.subList(0, 20));
        assertThat(page.getHasMore()).isTrue();
        assertThat(page.getFirstId()).isEqualTo(newestFirst.get(0));
        assertThat(page.getLastId()).isEqualTo(newestFirst.get(19));
    }

    @Test
    void walking250BatchesWithAfterSeesEachOnceNewestFirst() {
        List<String> created = createBatches(250);
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);

        List<Integer> pageSizes = new ArrayList<>();
        List<String> walked = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            ListBatchesResponse page = api.list("limit=100" + (after == null ? "" : "&after=" + after))
                    .page();
            pageSizes.add(page.getData().size());
            walked.addAll(ids(page.getData()));
            after = page.getLastId();
            more = page.getHasMore();
        }

        assertThat(pageSizes).containsExactly(100, 100, 50);
        assertThat(walked).containsExactlyElementsOf(newestFirst);
        assertThat(ids(api.listAll(7))).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void pageEndingExactlyAtTheLastBatchHasNoMore() {
        createBatches(4);
        ListBatchesResponse first = api.list("limit=2").page();
        ListBatchesResponse second =
                api.list("limit=2&after=" + first.getLastId()).page();
        assertThat(second.getData()).hasSize(2);
        assertThat(second.getHasMore()).isFalse();
        ListBatchesResponse beyond =
                api.list("limit=2&after=" + second.getLastId()).page();
        assertThat(beyond.getData()).isEmpty();
        assertThat(beyond.getHasMore()).isFalse();
    }

    @Test
    void limitBoundsAreInclusive() {
        createBatches(3);
        assertThat(api.list("limit=1").page().getData()).hasSize(1);
        assertThat(api.list("limit=100").page().getData()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "abc", "2.5", ""})
    void limitOutOfRangeOrNotAnIntegerIs400(String limit) {
        TestApi.Reply reply = api.list("limit=" + limit);
        assertThat(reply.status).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_value");
        assertThat(reply.errorParam()).isEqualTo("limit");
    }

    @Test
    void unknownAfterIs400() {
        createBatches(1);
        TestApi.Reply reply = api.list("after=batch_00000000000000000000000000000000");
        assertThat(reply.status).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("invalid_value");
        assertThat(reply.errorParam()).isEqualTo("after");
    }

    static List<String> ids(List<BatchObject> batches) {
        return batches.stream().map(BatchObject::getId).collect(Collectors.toList());
    }
}
