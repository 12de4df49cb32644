package com.mka1.batches.sandbox;

import static com.mka1.batches.sandbox.FilesTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.mka1.batches.models.ListFilesResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing files: order, after/limit paging, the purpose filter and bad parameters. */
class FilePagingTest {
    private static Mka1Sandbox sandbox;
    private static TestApi api;
    /** Upload order: five files, purposes alternating batch / user_data, one second apart. */
    private static final List<String> uploaded = new ArrayList<>();

    @BeforeAll
    static void start() {
        SandboxClock clock = SandboxClock.fixed(Fixtures.T0);
        sandbox = Mka1Sandbox.builder().clock(clock).start();
        api = new TestApi(sandbox);
        for (int i = 0; i < 5; i++) {
            uploaded.add(api.uploadFile("f" + i, i % 2 == 0 ? "batch" : "user_data", new byte[] {(byte) i})
                    .getId());
            if (i != 2) {
                clock.advance(Duration.ofSeconds(1)); // files 2 and 3 share a second: upload order breaks the tie
            }
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void defaultIsNewestFirstAllInOnePage() {
        ListFilesResponse page = api.listFiles("").filePage();
        List<String> newestFirst = new ArrayList<>(uploaded);
        Collections.reverse(newestFirst);
        assertThat(ids(page.getData())).isEqualTo(newestFirst);
        assertThat(page.getHasMore()).isFalse();
        assertThat(page.getFirstId()).isEqualTo(newestFirst.get(0));
        assertThat(page.getLastId()).isEqualTo(uploaded.get(0));
    }

    @Test
    void pagesWithAfterAndLimitInBothOrders() {
        List<String> newestFirst = new ArrayList<>(uploaded);
        Collections.reverse(newestFirst);
        assertThat(ids(api.listAllFiles(2, ""))).isEqualTo(newestFirst);
        assertThat(ids(api.listAllFiles(2, "order=asc"))).isEqualTo(uploaded);
        assertThat(ids(api.listAllFiles(1, "order=desc"))).isEqualTo(newestFirst);

        ListFilesResponse page =
                api.listFiles("order=asc&limit=2&after=" + uploaded.get(1)).filePage();
        assertThat(ids(page.getData())).containsExactly(uploaded.get(2), uploaded.get(3));
        assertThat(page.getHasMore()).isTrue();
        ListFilesResponse last =
                api.listFiles("order=asc&limit=2&after=" + uploaded.get(3)).filePage();
        assertThat(ids(last.getData())).containsExactly(uploaded.get(4));
        assertThat(last.getHasMore()).isFalse();
    }

    @Test
    void purposeFilterPagesOverMatchingFilesOnly() {
        assertThat(ids(api.listAllFiles(1, "purpose=batch&order=asc")))
                .containsExactly(uploaded.get(0), uploaded.get(2), uploaded.get(4));
        assertThat(ids(api.listAllFiles(10, "purpose=user_data"))).containsExactly(uploaded.get(3), uploaded.get(1));
        // has_more is false when only non-matching files follow.
        ListFilesResponse page =
                api.listFiles("purpose=user_data&order=asc&limit=2").filePage();
        assertThat(page.getHasMore()).isFalse();
        ListFilesResponse evals = api.listFiles("purpose=evals").filePage();
        assertThat(evals.getData()).isEmpty();
        assertThat(evals.getFirstId()).isNull();
        assertThat(api.listFiles("purpose=evals").json().has("first_id")).isFalse();
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        for (String query :
                List.of("limit=0", "limit=10001", "limit=x", "order=up", "purpose=nope", "after=file_nope")) {
            TestApi.Reply reply = api.listFiles(query);
            assertThat(reply.status).as(query).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_value");
            assertThat(reply.errorParam()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
        assertThat(api.listFiles("limit=10000").status).isEqualTo(200);
        assertThat(api.onBehalfOf("someone").listFiles("after=" + uploaded.get(0)).status)
                .isEqualTo(400);
    }
}
