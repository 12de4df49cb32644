package com.mka1.batches;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mka1.batches.TestSupport.BATCHES;
import static com.mka1.batches.TestSupport.fixture;
import static com.mka1.batches.TestSupport.fixtureWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mka1.batches.errors.InvalidResponseException;
import com.mka1.batches.models.BatchObject;
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
 * Pages follow has_more and last_id, one request per page, in both modes (walked with
 * {@code autoPager()} or {@code forEachAsync}); the blocking pager's laziness.
 */
@WireMockTest
class PaginationTest {
    private static final ListBatchesParams TWO_A_PAGE =
            ListBatchesParams.builder().limit(2).build();

    private Mka1Client client;
    private BatchService batches;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        client = TestSupport.client(wm);
        batches = client.llm().batches();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    /** Page 1 (no after) has p1a, p1b; page 2 (after p1b) p2a, p2b; page 3 (after p2b) p3a, the last. */
    private static void stubThreePages() {
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("list-page-1.json"))));
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", equalTo("batch_p1b"))
                .willReturn(okJson(fixture("list-page-2.json"))));
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", equalTo("batch_p2b"))
                .willReturn(okJson(fixture("list-page-3.json"))));
    }

    private static List<LoggedRequest> listRequests() {
        return findAll(getRequestedFor(urlPathEqualTo(BATCHES)));
    }

    private static List<String> ids(Iterable<BatchObject> batches) {
        List<String> ids = new java.util.ArrayList<>();
        batches.forEach(b -> ids.add(b.getId()));
        return ids;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void firstPageOnly(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubThreePages();

        Page<BatchObject, ListBatchesParams> page = batches.list(TWO_A_PAGE);

        assertThat(ids(page.data())).containsExactly("batch_p1a", "batch_p1b");
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.firstId()).isEqualTo("batch_p1a");
        assertThat(page.lastId()).isEqualTo("batch_p1b");
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void walkingAllPagesTakesThreeRequests(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubThreePages();

        List<String> all = ids(mode.walk(batches.list(TWO_A_PAGE)));

        assertThat(all).containsExactly("batch_p1a", "batch_p1b", "batch_p2a", "batch_p2b", "batch_p3a");
        List<LoggedRequest> sent = listRequests();
        assertThat(sent).hasSize(3);
        assertThat(sent)
                .extracting(r -> r.queryParameter("after").isPresent()
                        ? r.queryParameter("after").firstValue()
                        : null)
                .containsExactly(null, "batch_p1b", "batch_p2b");
        assertThat(sent).extracting(r -> r.queryParameter("limit").firstValue()).containsOnly("2");
    }

    @Test
    void autoPagerFetchesEachPageOnlyWhenIterationReachesIt() {
        stubThreePages();
        Page.AutoPager<BatchObject> pager = batches.list(TWO_A_PAGE).autoPager();
        assertThat(listRequests()).hasSize(1);

        Iterator<BatchObject> it = pager.iterator();
        assertThat(it.next().getId()).isEqualTo("batch_p1a");
        assertThat(it.next().getId()).isEqualTo("batch_p1b");
        assertThat(listRequests()).as("page 1 consumed, page 2 not needed yet").hasSize(1);

        assertThat(it.hasNext()).isTrue();
        assertThat(listRequests()).hasSize(2);
        it.next();
        it.next();
        assertThat(listRequests()).hasSize(2);

        assertThat(it.next().getId()).isEqualTo("batch_p3a");
        assertThat(listRequests()).hasSize(3);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(listRequests()).hasSize(3);
    }

    @Test
    void readingTheFirstItemsOfAStreamMakesOneRequest() {
        stubThreePages();

        List<String> firstTwo = batches.list(TWO_A_PAGE).autoPager().stream()
                .limit(2)
                .map(BatchObject::getId)
                .collect(Collectors.toList());

        assertThat(firstTwo).containsExactly("batch_p1a", "batch_p1b");
        assertThat(listRequests()).hasSize(1);
    }

    @Test
    void eachIterationStartsAgainFromTheFirstPage() {
        stubThreePages();
        Page.AutoPager<BatchObject> pager = batches.list(TWO_A_PAGE).autoPager();

        assertThat(pager.stream().count()).isEqualTo(5);
        assertThat(pager.stream().map(BatchObject::getId).findFirst()).contains("batch_p1a");

        assertThat(listRequests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nextPageByHandAndNoPageAfterTheLast(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubThreePages();

        Page<BatchObject, ListBatchesParams> last = mode.nextPage(mode.nextPage(batches.list(TWO_A_PAGE)));

        assertThat(ids(last.data())).containsExactly("batch_p3a");
        assertThat(last.hasNextPage()).isFalse();
        assertThat(last.hasNextPage()).isFalse();
        assertThatThrownBy(() -> mode.nextPage(last)).isInstanceOf(NoSuchElementException.class);
        assertThat(listRequests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void hasMoreFalseStopsAtOnePage(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-page-3.json"))));

        assertThat(ids(mode.walk(batches.list(ListBatchesParams.none())))).containsExactly("batch_p3a");
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyListing(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-empty.json"))));

        Page<BatchObject, ListBatchesParams> page = batches.list(ListBatchesParams.none());

        assertThat(page.data()).isEmpty();
        assertThat(page.firstId()).isNull();
        assertThat(page.lastId()).isNull();
        assertThat(page.hasNextPage()).isFalse();
        assertThat(mode.walk(page)).isEmpty();
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void missingLastIdFallsBackToTheLastItemsId(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("list-no-last-id.json"))));
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", equalTo("batch_n1b"))
                .willReturn(okJson(fixture("list-page-3.json"))));

        List<String> all = ids(mode.walk(batches.list(ListBatchesParams.none())));

        assertThat(all).containsExactly("batch_n1a", "batch_n1b", "batch_p3a");
        assertThat(listRequests()).hasSize(2);
    }

    /** More is said to follow but nothing says where: the server's fault, not silently the end of the list. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void hasMoreWithAnEmptyPageAndNoCursorIsAnInvalidResponseInsteadOfLoopingOrStopping(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubFor(get(urlPathEqualTo(BATCHES)).willReturn(okJson(fixture("list-has-more-but-empty.json"))));

        Page<BatchObject, ListBatchesParams> page = batches.list(ListBatchesParams.none());

        assertThat(page.hasNextPage()).isTrue();
        assertThat(page.hasNextPage()).isTrue();
        assertThatThrownBy(() -> mode.nextPage(page))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining(
                        "has_more is true but the page has neither a last_id nor items to continue after");
        assertThatThrownBy(() -> mode.walk(page, 10)).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(page::nextPageParams).isInstanceOf(InvalidResponseException.class);
        assertThat(listRequests()).hasSize(1);
    }

    /** A page that says more follows after the very cursor it was fetched after would be fetched forever. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLastIdThatDoesNotAdvanceIsAnInvalidResponseAtThatPage(Mode mode) {
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("list-page-1.json"))));
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", equalTo("batch_p1b"))
                .willReturn(okJson(fixtureWith("list-page-2.json", json -> {
                    json.addProperty("last_id", "batch_p1b");
                    json.addProperty("has_more", true);
                }))));

        assertThatThrownBy(() -> mode.walk(mode.batches(client).list(TWO_A_PAGE), 20))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("has_more is true but the page's last_id 'batch_p1b' is the cursor it was fetched"
                        + " after: the list does not advance");
        assertThat(listRequests()).hasSize(2);

        Page<BatchObject, ListBatchesParams> second = mode.batches(client)
                .list(TWO_A_PAGE.toBuilder().after("batch_p1b").build());
        assertThat(ids(second.data())).containsExactly("batch_p2a", "batch_p2b");
        assertThatThrownBy(second::nextPageParams).isInstanceOf(InvalidResponseException.class);
        assertThatThrownBy(() -> mode.nextPage(second)).isInstanceOf(InvalidResponseException.class);
        assertThat(listRequests()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anEmptyLastIdWithHasMoreIsAnInvalidResponseNotTheCallersBlankAfter(Mode mode) {
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(okJson(fixtureWith("list-page-1.json", json -> json.addProperty("last_id", "")))));

        Page<BatchObject, ListBatchesParams> page = mode.batches(client).list(TWO_A_PAGE);

        assertThatThrownBy(page::nextPageParams)
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("has_more is true but the page's last_id '' is not a usable cursor: it is blank");
        assertThatThrownBy(() -> mode.walk(page, 20))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessageContaining("last_id ''");
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBlankLastIdOnTheLastPageIsFine(Mode mode) {
        stubFor(get(urlPathEqualTo(BATCHES))
                .willReturn(okJson(fixtureWith("list-page-3.json", json -> json.addProperty("last_id", "")))));

        assertThat(ids(mode.walk(mode.batches(client).list(ListBatchesParams.none()), 20)))
                .containsExactly("batch_p3a");
        assertThat(listRequests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requestOptionsAreCarriedToLaterPages(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubThreePages();
        RequestOptions options = RequestOptions.builder()
                .onBehalfOf("user_9")
                .header("X-Trace-Id", "t-1")
                .build();

        assertThat(mode.walk(batches.withOptions(options).list(TWO_A_PAGE))).hasSize(5);

        List<LoggedRequest> sent = listRequests();
        assertThat(sent).hasSize(3);
        assertThat(sent).extracting(r -> r.getHeader("X-On-Behalf-Of")).containsOnly("user_9");
        assertThat(sent).extracting(r -> r.getHeader("X-Trace-Id")).containsOnly("t-1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pagesAreUnmodifiable(Mode mode) {
        Mode.Batches batches = mode.batches(client);
        stubThreePages();

        Page<BatchObject, ListBatchesParams> page = batches.list(TWO_A_PAGE);

        assertThatThrownBy(() -> page.data().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nextPageParamsCarryTheLastIdAsAfterAndTheSameLimit(Mode mode) {
        stubThreePages();

        Page<BatchObject, ListBatchesParams> page = mode.batches(client).list(TWO_A_PAGE);

        ListBatchesParams next = page.nextPageParams();
        assertThat(next.after()).isEqualTo("batch_p1b");
        assertThat(next.limit()).isEqualTo(2);
        Page<BatchObject, ListBatchesParams> second = mode.batches(client).list(next);
        assertThat(ids(second.data())).containsExactly("batch_p2a", "batch_p2b");
        assertThat(second.nextPageParams().after()).isEqualTo("batch_p2b");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nextPageParamsFallBackToTheLastItemsIdWithoutLastIdAndFailAfterTheLastPage(Mode mode) {
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", absent())
                .willReturn(okJson(fixture("list-no-last-id.json"))));
        stubFor(get(urlPathEqualTo(BATCHES))
                .withQueryParam("after", equalTo("batch_n1b"))
                .willReturn(okJson(fixture("list-page-3.json"))));

        Page<BatchObject, ListBatchesParams> page =
                mode.batches(client).list(ListBatchesParams.builder().limit(7).build());

        assertThat(page.lastId()).isNull();
        assertThat(page.nextPageParams().after()).isEqualTo("batch_n1b");
        assertThat(page.nextPageParams().limit()).isEqualTo(7);
        Page<BatchObject, ListBatchesParams> last = mode.batches(client).list(page.nextPageParams());
        assertThat(last.hasNextPage()).isFalse();
        assertThatThrownBy(last::nextPageParams).isInstanceOf(NoSuchElementException.class);
        assertThat(listRequests())
                .extracting(r -> r.queryParameter("limit").firstValue())
                .containsExactly("7", "7");
    }

    @Test
    void aPageFromTheAsyncListCanBeWalkedWithTheBlockingAutoPager() {
        stubThreePages();

        Page<BatchObject, ListBatchesParams> first =
                Mode.await(client.async().llm().batches().list(TWO_A_PAGE));
        List<String> all = ids(first.autoPager());

        assertThat(all).containsExactly("batch_p1a", "batch_p1b", "batch_p2a", "batch_p2b", "batch_p3a");
        assertThat(listRequests())
                .extracting(r -> r.queryParameter("after").isPresent()
                        ? r.queryParameter("after").firstValue()
                        : null)
                .containsExactly(null, "batch_p1b", "batch_p2b");
    }

    @Test
    void aPageFromTheBlockingListCanBeWalkedWithForEachAsync() {
        stubThreePages();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Mode.await(batches.list(TWO_A_PAGE).forEachAsync(b -> seen.add(b.getId())));

        assertThat(seen).containsExactly("batch_p1a", "batch_p1b", "batch_p2a", "batch_p2b", "batch_p3a");
        assertThat(listRequests()).hasSize(3);
    }
}
