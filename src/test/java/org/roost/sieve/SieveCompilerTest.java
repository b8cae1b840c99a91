package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SieveCompilerTest {
    private final SieveCompiler compiler = new SieveCompiler(SieveCompiler.SUPPORTED);

    private Compilation.Invalid invalid(String script) {
        return assertInstanceOf(Compilation.Invalid.class, compiler.compile(script), script);
    }

    private CompiledScript valid(String script) {
        var result = compiler.compile(script);
        if (result instanceof Compilation.Invalid bad) {
            throw new AssertionError(bad.text() + " in\n" + script);
        }
        return ((Compilation.Compiled) result).script();
    }

    @Test
    void compilesPigeonholeStyleScripts() {
        valid("""
                require ["fileinto", "imap4flags", "variables", "envelope", "subaddress", "relational",
                         "comparator-i;ascii-numeric", "body", "copy", "mailbox", "date", "index", "include"];
                # spam by header
                if header :contains "X-Spam-Flag" "YES" { fileinto :create "Junk"; stop; }
                if header :value "ge" :comparator "i;ascii-numeric" "X-Spam-Score" "5" { addflag "\\\\Seen"; }
                elsif header :matches "List-Id" "*<*.lists.example.org>" { fileinto "Lists/${2}"; }
                else { keep :flags ["\\\\Flagged"]; }
                if envelope :detail "to" "shop" { fileinto :copy "Shopping"; }
                if allof (not exists "X-Foo", size :under 100K, body :text :contains "hello") { discard; }
                if date :value "ge" :originalzone "date" "hour" "17" { set "late" "yes"; }
                if header :index 1 :last :is "received" "x" { stop; }
                include :personal :optional "other";
                set :lower :upperfirst "name" "${1}";
                """);
        valid("require \"vacation\";\nvacation :days 7 :subject \"Away\" :addresses [\"me@example.org\"] text:\n"
                + "I am away.\n..leading dot\n.\n;");
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertEquals(3, invalid("keep;\n\nfileinto \"x\";").line());
        assertTrue(invalid("keep;\n\nfileinto \"x\";").message().contains("require \"fileinto\""));
        assertEquals(2, invalid("keep;\nfoo;").line());
        assertEquals("unknown command 'foo'", invalid("keep;\nfoo;").message());
        assertEquals(1, invalid("require \"nonsense\";").line());
        assertEquals(2, invalid("keep;\nrequire \"fileinto\";").line());
        assertEquals(1, invalid("if true { keep; ").line());
        assertEquals(4, invalid("if true {\n keep;\n}\nelsif").line());
        invalid("else { keep; }");
        invalid("if header :is :contains \"a\" \"b\" { keep; }");
        invalid("if header :comparator \"i;ascii-numeric\" \"a\" \"1\" { keep; }");
        invalid("require \"comparator-i;ascii-numeric\"; if header :contains :comparator \"i;ascii-numeric\" \"a\" \"1\" { keep; }");
        invalid("require \"relational\"; if header :count \"xx\" \"a\" \"1\" { keep; }");
        invalid("if size 100 { keep; }");
        invalid("if size { keep; }");
        invalid("require \"fileinto\"; fileinto [\"a\", \"b\"];");
        invalid("require \"fileinto\"; fileinto :flags \"x\" \"a\";");
        invalid("require \"date\"; if currentdate \"fortnight\" \"1\" { keep; }");
        invalid("require \"date\"; if currentdate :zone \"CET\" \"hour\" \"1\" { keep; }");
        invalid("require \"variables\"; set \"1x\" \"a\";");
        invalid("require \"include\"; include \"../etc/passwd\";");
        invalid("keep");
        invalid("\"string\";");
        invalid("keep; /* unterminated");
        invalid("if header \"a\" \"b\" keep;");
        invalid("require \"envelope\"; if envelope \"sender\" \"x\" { keep; }");
        invalid("if header :index 1 \"a\" \"b\" { keep; }");
        invalid("if size :over 99999999999999999999 { keep; }");
    }

    @Test
    void vacationIsOfferedOnlyWithARelay() {
        var config = org.roost.config.RoostConfig.defaults().sieve();
        assertTrue(!SieveCompiler.of(config).extensions().contains("vacation"));
        assertInstanceOf(Compilation.Invalid.class, SieveCompiler.of(config).compile("require \"vacation\";"));
    }

    /** Hostile nesting and garbage: an error or a script, never a stack overflow or a hang. */
    @Test
    void hostileInputEndsInAnAnswer() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertTrue(invalid("if " + "not ".repeat(100_000) + "true { keep; }").message().contains("nested"));
            assertTrue(invalid("if true {".repeat(100_000)).message().contains("nested"));
            assertTrue(invalid("if anyof(".repeat(100_000)).message().contains("nested"));
            var random = new Random(18);
            var alphabet = "if header :is :contains \"a\" [ ] ( ) { } ; , text:\n.\n # /* */ 1K keep stop \\ x";
            for (int i = 0; i < 2000; i++) {
                var script = new StringBuilder();
                for (int j = random.nextInt(200); j > 0; j--) {
                    script.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                assertInstanceOf(Compilation.class, compiler.compile(script.toString()));
            }
        });
    }

    @Test
    void theCacheCompilesAFileOnceUntilItChanges(@TempDir Path dir) throws Exception {
        var cache = new ScriptCache(compiler, 1024, 100);
        var file = dir.resolve("a.sieve");
        Files.writeString(file, "keep;");
        var first = cache.get(file);
        assertTrue(first == cache.get(file), "an unchanged file is not compiled again");
        Files.writeString(dir.resolve("b.sieve"), "foo;");
        Files.move(dir.resolve("b.sieve"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertInstanceOf(Compilation.Invalid.class, cache.get(file));
        Files.write(file, new byte[] {'#', (byte) 0xff, '\n'});
        assertEquals("the script is not UTF-8 (RFC 5228 §2.2)",
                assertInstanceOf(Compilation.Invalid.class, cache.get(file)).message());
        Files.writeString(file, "#".repeat(2000));
        assertTrue(assertInstanceOf(Compilation.Invalid.class, cache.get(file)).message().contains("maxScriptSize"));
    }
}
