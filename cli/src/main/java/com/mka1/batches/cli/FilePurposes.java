package com.mka1.batches.cli;

import com.mka1.batches.models.FilePurpose;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --purpose} as the API spells it: {@code batch}, {@code assistants}, {@code fine-tune},
 * {@code vision}, {@code user_data}, and for {@code files list} also {@code evals} (a purpose
 * files can have but not be uploaded with).
 */
final class FilePurposes {
    /** The purposes an upload may give. */
    static final List<FilePurpose> UPLOAD = List.of(
            FilePurpose.BATCH,
            FilePurpose.ASSISTANTS,
            FilePurpose.FINE_TUNE,
            FilePurpose.VISION,
            FilePurpose.USER_DATA);
    /** The purposes a list may filter by. */
    static final List<FilePurpose> LIST = List.of(
            FilePurpose.BATCH,
            FilePurpose.ASSISTANTS,
            FilePurpose.FINE_TUNE,
            FilePurpose.VISION,
            FilePurpose.USER_DATA,
            FilePurpose.EVALS);

    static final String UPLOAD_NAMES = "batch, assistants, fine-tune, vision, user_data";
    static final String LIST_NAMES = UPLOAD_NAMES + ", evals";

    private FilePurposes() {}

    private static FilePurpose convert(String value, List<FilePurpose> allowed, String names) {
        for (FilePurpose purpose : allowed) {
            if (purpose.getValue().equals(value)) {
                return purpose;
            }
        }
        if (FilePurpose.EVALS.getValue().equals(value)) {
            throw new TypeConversionException(
                    "'evals' is a purpose to list files by, not to upload with; use one of " + names);
        }
        throw new TypeConversionException("'" + value + "' is not a purpose; use one of " + names);
    }

    /** Reads an upload's {@code --purpose}. */
    static final class Upload implements ITypeConverter<FilePurpose> {
        @Override
        public FilePurpose convert(String value) {
            return FilePurposes.convert(value, UPLOAD, UPLOAD_NAMES);
        }
    }

    /** Reads a list's {@code --purpose}. */
    static final class ForList implements ITypeConverter<FilePurpose> {
        @Override
        public FilePurpose convert(String value) {
            return FilePurposes.convert(value, LIST, LIST_NAMES);
        }
    }
}
