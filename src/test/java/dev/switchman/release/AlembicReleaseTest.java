package dev.switchman.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchman.model.Colour;
import dev.switchman.model.ExitCode;
import dev.switchman.model.ReleaseState;
import dev.switchman.store.ReleaseRecord;
import dev.switchman.support.GreeterStack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team on Alembic, as the README configures it: a Python service on psycopg2 and an Alembic project whose
 * env.py names no database (libpq's variables do), with a revision per phase of each version. Switchman runs
 * expand, records the revision before it, undoes expand to that revision when the release fails before traffic
 * reached the new version, and runs contract once the old version is out of traffic.
 */
class AlembicReleaseTest {
    private static final String MIGRATOR = """
            migrator:
              type: command
              workingDir: migrations
              current: ["alembic", "current"]
              expand: ["alembic", "upgrade", "{version}_expand"]
              undoExpand: ["alembic", "downgrade", "{schema.before}"]
              contract: ["alembic", "upgrade", "head"]
            """;

    @TempDir
    Path dir;
    GreeterStack stack;
    Path versions;

    @BeforeEach
    void setUp() throws Exception {
        stack = new GreeterStack(dir, GreeterStack.strategy("0s", 100));
        stack.startRouter();
        copy("apps/orders/orders.py", dir.resolve("orders.py"));
        versions = Files.createDirectories(dir.resolve("migrations/versions"));
        for (String file : new String[] {"alembic.ini", "env.py", "script.py.mako"}) {
            copy("alembic/project/" + file, dir.resolve("migrations").resolve(file));
        }
        stack.editConfig(config -> config
                .replace("changelog: db/{version}/changelog.sql\n", MIGRATOR)
                .replace("command: [\"python3\", \"greeter.py\"]", "command: [\"/usr/bin/python3\", \"orders.py\"]"));
    }

    @AfterEach
    void tearDown() throws Exception {
        stack.close();
    }

    @Test
    void expandUndoneToTheRecordedRevisionThenContract() throws Exception {
        revision("v1_expand");
        GreeterStack.Run v1 = stack.cli("release", "v1");
        assertThat(v1.exitCode()).as(v1.stderr()).isEqualTo(ExitCode.RELEASED);
        // The slot reached the database through libpq's variables alone.
        assertThat(stack.get()).isEqualTo("200 {\"version\": \"v1\", \"columns\": [\"id\", \"customer\"]}");
        assertThat(stack.lastRelease().orElseThrow().schemaTag()).as("an empty schema, in Alembic's words").isEqualTo("base");

        revision("v2_expand");
        revision("v2_contract");
        GreeterStack.Run v2 = stack.cli("release", "v2");
        assertThat(v2.exitCode()).as(v2.stderr()).isEqualTo(ExitCode.RELEASED);
        assertThat(stack.get()).isEqualTo("200 {\"version\": \"v2\", \"columns\": [\"id\", \"client\"]}");
        assertThat(stack.lastRelease().orElseThrow().schemaTag()).isEqualTo("v1_expand");
        assertThat(alembicRevision()).isEqualTo("v2_contract");

        // v3 expands (orders get a note), then never becomes healthy: expand is undone to v2_contract.
        revision("v3_expand");
        stack.fault(Colour.BLUE, "unhealthy", true);
        GreeterStack.Run v3 = stack.cli("release", "v3");
        assertThat(v3.exitCode()).as(v3.stderr()).isEqualTo(ExitCode.ROLLED_BACK);
        ReleaseRecord failed = stack.lastRelease().orElseThrow();
        assertThat(failed.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(failed.gate()).isEqualTo("check-new");
        assertThat(failed.schemaTag()).isEqualTo("v2_contract");
        assertThat(v3.stderr()).contains("alembic downgrade v2_contract");
        assertThat(alembicRevision()).isEqualTo("v2_contract");
        assertThat(stack.columns("orders")).containsExactly("id", "client");
        assertThat(stack.get()).isEqualTo("200 {\"version\": \"v2\", \"columns\": [\"id\", \"client\"]}");
    }

    /** Adds a revision file to the project, as a team's next commit would. */
    private void revision(String name) throws IOException {
        copy("alembic/revisions/" + name + ".py", versions.resolve(name + ".py"));
    }

    private String alembicRevision() throws Exception {
        try (Connection c = stack.db.open(); ResultSet rs = c.createStatement().executeQuery("select version_num from alembic_version")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = AlembicReleaseTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.copy(in, to);
        }
    }
}
