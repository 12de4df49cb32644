package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mka1.batches.TestSupport.FILES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pages of files follow has_more and last_id with every other param kept, one request per page,
 * in both modes ({@code autoPager()} or {@code forEachAsync}).
 */
@WireMockTest
class FilePagingTest {
    private static final ListFilesParams TWO_OLDEST_BATCH_FILES = ListFilesParams.builder()
            .limit(2)
            .order(ListFilesParams.Order.ASC)
            .purpose(FilePurpose.BATCH)
            .build();

    private Mka1Client client;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Page 1 (no after): file-p1a, file-p1b; page 2 (after file-p1b): file-p2a, the last. */
    private static void stubTwoPages() {
        stubFor(get(urlPathEqualTo(FILES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("files-page-1.json"))));
        stubFor(get(urlPathEqualTo(FILES))
                .withQueryParam("after", equalTo("file-p1b"))
                .willReturn(okJson(fixture("files-page-2.json"))));
    }

    /** Files are paged by the same cursor rules as batches: one that does not lead on ends the walk there. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLastIdThatDoesNotAdvanceIsAnInvalidResponseAtThatPage(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("files-page-1.json"))));
        stubFor(get(urlPathEqualTo(FILES))
                .withQueryParam("after", equalTo("file-p1b"))
                .willReturn(okJson(fixtureWith("files-page-2.json", json -> {
                    json.addProperty("last_id", "file-p1b");
                    json.addProperty("has_more", true);
                }))));

        assertThatThrownBy(() -> mode.walk(mode.files(client).list(TWO_OLDEST_BATCH_FILES), 20))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("has_more is true but the page's last_id 'file-p1b' is the cursor it was fetched"
                        + " after: the list does not advance");
        assertThat(listRequests()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEmptyLastIdWithHasMoreIsAnInvalidResponseNotTheCallersBlankAfter(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES))
                .willReturn(okJson(fixtureWith("files-page-1.json", json -> json.addProperty("last_id", "")))));

        Page<FileObject, ListFilesParams> page = mode.files(client).list(TWO_OLDEST_BATCH_FILES);

        assertThatThrownBy(page::nextPageParams)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("has_more is true but the page's last_id '' is not a usable cursor: it is blank");
        assertThatThrownBy(() -> mode.nextPage(page)).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(() -> mode.walk(page, 20)).isInstanceOf(InvalidResponseException.class);
        assertThat(listRequests()).hasSize(1);
    }

    private static List<LoggedRequest> listRequests() {
        return findAll(getRequestedFor(urlPathEqualTo(FILES)));
    }

    private static List<String> ids(List<FileObject> files) {
        return files.stream().map(FileObject::getId).collect(Collectors.toList());
    }

    private static String query(LoggedRequest request, String name) {
        return request.queryParameter(name).isPresent()
                ? request.queryParameter(name).firstValue()
                : null;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void walkingEveryPageAsksForTheNextWithAfterLastIdAndTheSameParams(Mode mode) {
        stubTwoPages();

        List<String> all = ids(mode.walk(mode.files(client).list(TWO_OLDEST_BATCH_FILES)));

        assertThat(all).containsExactly("file-p1a", "file-p1b", "file-p2a");
        List<LoggedRequest> sent = listRequests();
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(r -> query(r, "after")).containsExactly(null, "file-p1b");
        assertThat(sent).extracting(r -> query(r, "limit")).containsOnly("2");
        assertThat(sent).extracting(r -> query(r, "order")).containsOnly("asc");
        assertThat(sent).extracting(r -> query(r, "purpose")).containsOnly("batch");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nextPageParamsAndNextPageByHandThenNoPageAfterTheLast(Mode mode) {
        stubTwoPages();

        Page<FileObject, ListFilesParams> first = mode.files(client).list(TWO_OLDEST_BATCH_FILES);
        ListFilesParams next = first.nextPageParams();
        Page<FileObject, ListFilesParams> last = mode.nextPage(first);

        assertThat(next)
                .isEqualTo(TWO_OLDEST_BATCH_FILES.toBuilder().after("file-p1b").build());
        assertThat(ids(last.data())).containsExactly("file-p2a");
        assertThat(last.hasNextPage()).isFalse();
        assertThat(last.hasNextPage()).isFalse();
        assertThatThrownBy(last::nextPageParams).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> mode.nextPage(last)).isInstanceOf(NoSuchElementException.class);
        assertThat(listRequests()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEmptyListingHasNoIdsAndNoNextPage(Mode mode) {
        stubFor(get(urlPathEqualTo(FILES)).willReturn(okJson(fixture("files-empty.json"))));

        Page<FileObject, ListFilesParams> page = mode.files(client).list(ListFilesParams.none());

        assertThat(page.data()).isEmpty();
        assertThat(page.firstId()).isNull();
        assertThat(page.lastId()).isNull();
        assertThat(page.hasNextPage()).isFalse();
        assertThat(mode.walk(page)).isEmpty();
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requestOptionsAreCarriedToLaterPages(Mode mode) {
        stubTwoPages();
        RequestOptions options = RequestOptions.builder()
                .onBehalfOf("user_9")
                .header("X-Trace-Id", "t-9")
                .build();

        assertThat(mode.walk(mode.files(client).withOptions(options).list(ListFilesParams.none())))
                .hasSize(3);

        assertThat(listRequests())
                .extracting(r -> r.getHeader("X-On-Behalf-Of"))
                .containsExactly("user_9", "user_9");
        assertThat(listRequests()).extracting(r -> r.getHeader("X-Trace-Id")).containsExactly("t-9", "t-9");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void thePageIsACopyThatCannotBeChanged(Mode mode) {
        stubTwoPages();

        Page<FileObject, ListFilesParams> page = mode.files(client).list(TWO_OLDEST_BATCH_FILES);

        assertThatThrownBy(() -> page.data().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(page).hasToString("Page{size=2, firstId=file-p1a, lastId=file-p1b, hasMore=true}");
    }

    @Test
    void theAutoPagerFetchesTheNextPageOnlyWhenTheIterationReachesIt() {
        stubTwoPages();
        Iterator<FileObject> it =
                client.llm().files().list(TWO_OLDEST_BATCH_FILES).autoPager().iterator();

        assertThat(it.next().getId()).isEqualTo("file-p1a");
        assertThat(it.next().getId()).isEqualTo("file-p1b");
        assertThat(listRequests()).hasSize(1);
        assertThat(it.next().getId()).isEqualTo("file-p2a");
        assertThat(listRequests()).hasSize(2);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void aPageFromTheAsyncListCanBeWalkedBlockingAndTheOtherWayRound() {
        stubTwoPages();

        Page<FileObject, ListFilesParams> fromAsync =
                Mode.await(client.async().llm().files().list(TWO_OLDEST_BATCH_FILES));
        List<String> blocking =
                fromAsync.autoPager().stream().map(FileObject::getId).collect(Collectors.toList());
        List<String> async = new java.util.concurrent.CopyOnWriteArrayList<>();
        Mode.await(client.llm().files().list(TWO_OLDEST_BATCH_FILES).forEachAsync(f -> async.add(f.getId())));

        assertThat(blocking).containsExactly("file-p1a", "file-p1b", "file-p2a");
        assertThat(async).containsExactly("file-p1a", "file-p1b", "file-p2a");
        assertThat(listRequests()).hasSize(4);
    }
}
