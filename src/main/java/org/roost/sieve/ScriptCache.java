package org.roost.sieve;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Compiled scripts by file, each kept until its file changes: the key is the path the script was found at plus
 * the identity (inode), size and modification time of the file it leads to, so a script rewritten in place, replaced
 * by a rename or re-pointed by its link compiles again, and an unchanged one is compiled once.
 */
public final class ScriptCache {
    private record Identity(Path path, Object fileKey, long size, FileTime modified) {}

    private final SieveCompiler compiler;
    private final long maxScriptSize;
    private final Cache<Identity, Compilation> compiled;

    public ScriptCache(SieveCompiler compiler, long maxScriptSize, int size) {
        this.compiler = compiler;
        this.maxScriptSize = maxScriptSize;
        this.compiled = Caffeine.newBuilder().maximumSize(size).build();
    }

    public SieveCompiler compiler() {
        return compiler;
    }

    /** The compiled script at {@code file} (a link is followed); an invalid or too large script is {@code Invalid}. */
    public Compilation get(Path file) throws IOException {
        var attributes = Files.readAttributes(file, BasicFileAttributes.class);
        var identity = new Identity(file, attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        var known = compiled.getIfPresent(identity);
        if (known != null) {
            return known;
        }
        var compilation = compile(file, attributes.size());
        compiled.put(identity, compilation);
        return compilation;
    }

    private Compilation compile(Path file, long size) throws IOException {
        if (size > maxScriptSize) {
            return new Compilation.Invalid(1, "the script is larger than sieve.maxScriptSize (" + maxScriptSize + ")");
        }
        var bytes = Files.readAllBytes(file);
        if (bytes.length > maxScriptSize) {
            return new Compilation.Invalid(1, "the script is larger than sieve.maxScriptSize (" + maxScriptSize + ")");
        }
        try {
            var text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return compiler.compile(text);
        } catch (CharacterCodingException e) {
            return new Compilation.Invalid(1, "the script is not UTF-8 (RFC 5228 §2.2)");
        }
    }

    /** Compilations held (for tests and the meters). */
    long size() {
        compiled.cleanUp();
        return compiled.estimatedSize();
    }
}
