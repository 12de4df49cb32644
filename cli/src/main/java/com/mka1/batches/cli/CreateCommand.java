package com.mka1.batches.cli;

import com.mka1.batches.CreateBatchParams;
import com.mka1.batches.models.BatchObject;
import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code create}: creates a batch from an uploaded JSONL input file, or uploads a local one first. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a batch from a JSONL input file, uploaded before (--input-file-id) or uploaded now"
                + " (--input-file), and print it.")
final class CreateCommand extends BatchCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(
                names = "--input-file-id",
                paramLabel = "FILE_ID",
                required = true,
                description = "Id of the uploaded JSONL input file (purpose batch).")
        String fileId;

        @Option(
                names = "--input-file",
                paramLabel = "PATH",
                required = true,
                description = "A local JSONL file: uploaded first (purpose batch), then the batch is created from it.")
        Path path;
    }

    @Option(
            names = "--endpoint",
            paramLabel = "PATH",
            defaultValue = "/v1/chat/completions",
            description = "/v1/chat/completions, /v1/embeddings or /v1/images/generations (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(
            names = "--completion-window",
            paramLabel = "WINDOW",
            defaultValue = CreateBatchParams.DEFAULT_COMPLETION_WINDOW,
            description = "Completion window (default: ${DEFAULT-VALUE}).")
    String completionWindow;

    // Read by MetadataConverter rather than picocli's Map support, whose message for a value
    // without '=' reads "Value for option option '--metadata' ...".
    @Option(
            names = "--metadata",
            paramLabel = "KEY=VALUE",
            converter = MetadataConverter.class,
            description = "Metadata to attach; repeat for several pairs.")
    List<Map.Entry<String, String>> metadata = new ArrayList<>();

    /** --input-file resolved against the working directory. */
    private Path inputFile;

    @Override
    void validate() {
        ArgumentChecks.notBlank(input.fileId, "--input-file-id");
        if (input.path != null) {
            inputFile = ArgumentChecks.readableFile(input.path, resolve(input.path), "--input-file");
        }
        ArgumentChecks.endpoint(endpoint, "--endpoint");
        ArgumentChecks.notBlank(completionWindow, "--completion-window");
    }

    @Override
    int run(Session session) {
        String fileId = input.fileId;
        if (inputFile != null) {
            FileObject uploaded = session.files().upload(inputFile, FilePurpose.BATCH);
            fileId = uploaded.getId();
            err().println("Uploaded " + input.path + " (" + uploaded.getBytes() + " bytes) as " + fileId + ".");
            err().flush();
        }
        BatchObject batch = session.batches()
                .create(CreateBatchParams.builder()
                        .inputFileId(fileId)
                        .endpoint(endpoint)
                        .completionWindow(completionWindow)
                        .metadata(metadataMap(metadata))
                        .build());
        printer().print(batch);
        return ExitCodes.OK;
    }

    /** The pairs in the order given; a key given twice keeps its last value. */
    static Map<String, String> metadataMap(List<Map.Entry<String, String>> metadata) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : metadata) {
            map.put(pair.getKey(), pair.getValue());
        }
        return map;
    }

    /** Reads one {@code --metadata KEY=VALUE}: split at the first '=', so a value may hold '=' too. */
    static final class MetadataConverter implements ITypeConverter<Map.Entry<String, String>> {
        @Override
        public Map.Entry<String, String> convert(String value) {
            int equals = value.indexOf('=');
            if (equals < 0) {
                throw new TypeConversionException("'" + value + "' has no '=' (e.g. team=search)");
            }
            return new AbstractMap.SimpleImmutableEntry<>(value.substring(0, equals), value.substring(equals + 1));
        }
    }
}
