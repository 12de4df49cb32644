package com.mka1.batches;

/** Run in a child JVM by {@link LifecycleTest}: one call, close(), and main returns; the JVM must then exit. */
final class CloseThenExit {
    private CloseThenExit() {}

    public static void main(String[] args) {
        Mka1Client client = Mka1Client.builder()
                .apiKey(ResilienceSupport.API_KEY)
                .baseUrl(args[0])
                .requestOptions(RequestOptions.builder().maxRetries(0).build())
                .build();
        client.llm().batches().get(ResilienceSupport.BATCH_ID);
        client.async().llm().batches().get(ResilienceSupport.BATCH_ID).join();
        client.close();
    }
}
