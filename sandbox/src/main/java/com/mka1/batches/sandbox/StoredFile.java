package com.mka1.batches.sandbox;

import com.mka1.batches.models.FileObject;
import com.mka1.batches.models.FilePurpose;

/**
 * One file as the sandbox stores it: an upload, or an output or error file a batch wrote. Its
 * content is kept whole in memory (the sandbox is a test tool). Immutable.
 */
final class StoredFile {
    final String id;
    final String scope;
    final String filename;
    final FilePurpose purpose;
    final String contentType;
    final long createdAt;
    /** Upload order, to break ties between files created in the same second. */
    final long sequence;

    private final byte[] content;

    StoredFile(
            String id,
            String scope,
            String filename,
            FilePurpose purpose,
            String contentType,
            byte[] content,
            long createdAt,
            long sequence) {
        this.id = id;
        this.scope = scope;
        this.filename = filename;
        this.purpose = purpose;
        this.contentType = contentType;
        this.content = content;
        this.createdAt = createdAt;
        this.sequence = sequence;
    }

    int size() {
        return content.length;
    }

    /** The stored bytes themselves: callers must not modify them. */
    byte[] contentUnsafe() {
        return content;
    }

    @SuppressWarnings("deprecation") // status is deprecated in the API, but still sent as OpenAI does
    FileObject view() {
        FileObject file = new FileObject()
                .id(id)
                ._object("file")
                .bytes((long) content.length)
                .createdAt(createdAt)
                .filename(filename)
                .purpose(purpose)
                .status(FileObject.StatusEnum.PROCESSED);
        file.setExpiresAt(null);
        file.setStatusDetails(null);
        return file;
    }
}
