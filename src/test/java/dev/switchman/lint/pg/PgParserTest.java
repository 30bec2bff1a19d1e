package dev.switchman.lint.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PgParserTest {

    @Test
    void createIndexConcurrently() {
        PgStatement s = only("CREATE INDEX CONCURRENTLY idx_users_email ON users (email);");
        assertThat(s.kind()).isEqualTo("IndexStmt");
        assertThat(s.node().getBoolean("concurrent")).isTrue();
        assertThat(s.node().getString("idxname")).isEqualTo("idx_users_email");
        assertThat(s.node().getJsonObject("relation").getString("relname")).isEqualTo("users");
        assertThat(only("CREATE INDEX idx ON users (email);").node().containsKey("concurrent")).isFalse();
    }

    @Test
    void foreignKeyNotValidSkipsValidation() {
        JsonObject cmd = alterCommand("ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) "
                + "REFERENCES users (id) NOT VALID;");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_AddConstraint");
        JsonObject constraint = constraintOf(cmd);
        assertThat(constraint.getString("contype")).isEqualTo("CONSTR_FOREIGN");
        assertThat(constraint.getString("conname")).isEqualTo("fk_user");
        assertThat(constraint.getBoolean("skip_validation")).isTrue();
        assertThat(constraint.getJsonObject("pktable").getString("relname")).isEqualTo("users");
    }

    @Test
    void validateConstraint() {
        JsonObject cmd = alterCommand("ALTER TABLE orders VALIDATE CONSTRAINT fk_user;");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_ValidateConstraint");
        assertThat(cmd.getString("name")).isEqualTo("fk_user");
    }

    @Test
    void uniqueUsingIndexNamesTheIndex() {
        JsonObject constraint = constraintOf(alterCommand(
                "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX idx_users_email;"));
        assertThat(constraint.getString("contype")).isEqualTo("CONSTR_UNIQUE");
        assertThat(constraint.getString("indexname")).isEqualTo("idx_users_email");
    }

    @Test
    void dropIndexConcurrentlyIfExists() {
        PgStatement s = only("DROP INDEX CONCURRENTLY IF EXISTS idx_old;");
        assertThat(s.kind()).isEqualTo("DropStmt");
        assertThat(s.node().getString("removeType")).isEqualTo("OBJECT_INDEX");
        assertThat(s.node().getBoolean("concurrent")).isTrue();
        assertThat(s.node().getBoolean("missing_ok")).isTrue();
    }

    @Test
    void addColumnNotNullWithAVolatileDefault() {
        JsonObject cmd = alterCommand("ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_AddColumn");
        JsonObject column = cmd.getJsonObject("def").getJsonObject("ColumnDef");
        assertThat(column.getString("colname")).isEqualTo("created_at");
        List<JsonObject> constraints = column.getJsonArray("constraints").stream()
                .map(c -> ((JsonObject) c).getJsonObject("Constraint")).toList();
        assertThat(constraints).extracting(c -> c.getString("contype"))
                .containsExactly("CONSTR_NOTNULL", "CONSTR_DEFAULT");
        JsonObject call = constraints.get(1).getJsonObject("raw_expr").getJsonObject("FuncCall");
        assertThat(call.getJsonArray("funcname").getJsonObject(0).getJsonObject("String").getString("sval"))
                .isEqualTo("now");
    }

    @Test
    void setNotNull() {
        JsonObject cmd = alterCommand("ALTER TABLE users ALTER COLUMN name SET NOT NULL;");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_SetNotNull");
        assertThat(cmd.getString("name")).isEqualTo("name");
    }

    @Test
    void checkConstraintNotValid() {
        JsonObject constraint = constraintOf(alterCommand(
                "ALTER TABLE users ADD CONSTRAINT name_not_null CHECK (name IS NOT NULL) NOT VALID;"));
        assertThat(constraint.getString("contype")).isEqualTo("CONSTR_CHECK");
        assertThat(constraint.getBoolean("skip_validation")).isTrue();
        assertThat(constraint.getJsonObject("raw_expr").getJsonObject("NullTest").getString("nulltesttype"))
                .isEqualTo("IS_NOT_NULL");
    }

    @Test
    void renameColumn() {
        PgStatement s = only("ALTER TABLE users RENAME COLUMN name TO full_name;");
        assertThat(s.kind()).isEqualTo("RenameStmt");
        assertThat(s.node().getString("renameType")).isEqualTo("OBJECT_COLUMN");
        assertThat(s.node().getString("subname")).isEqualTo("name");
        assertThat(s.node().getString("newname")).isEqualTo("full_name");
    }

    @Test
    void alterColumnType() {
        JsonObject cmd = alterCommand("ALTER TABLE users ALTER COLUMN id TYPE bigint;");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_AlterColumnType");
        assertThat(cmd.getString("name")).isEqualTo("id");
        // bigint is PostgreSQL's own alias: the grammar resolves it to pg_catalog.int8.
        assertThat(cmd.getJsonObject("def").getJsonObject("ColumnDef").getJsonObject("typeName")
                .getJsonArray("names").stream().map(n -> ((JsonObject) n).getJsonObject("String").getString("sval")))
                .containsExactly("pg_catalog", "int8");
    }

    @Test
    void identityAndStoredGeneratedColumns() {
        PgStatement s = only("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                + "total numeric GENERATED ALWAYS AS (price * qty) STORED);");
        assertThat(s.kind()).isEqualTo("CreateStmt");
        var columns = s.node().getJsonArray("tableElts");
        assertThat(contypes(columns.getJsonObject(0))).containsExactly("CONSTR_IDENTITY", "CONSTR_PRIMARY");
        assertThat(contypes(columns.getJsonObject(1))).containsExactly("CONSTR_GENERATED");
        JsonObject generated = columns.getJsonObject(1).getJsonObject("ColumnDef").getJsonArray("constraints")
                .getJsonObject(0).getJsonObject("Constraint");
        assertThat(generated.getString("generated_when")).isEqualTo("a");
        assertThat(generated.getJsonObject("raw_expr").getJsonObject("A_Expr")).isNotNull();
    }

    @Test
    void detachPartitionConcurrently() {
        JsonObject cmd = alterCommand("ALTER TABLE p DETACH PARTITION p_2020 CONCURRENTLY;");
        assertThat(cmd.getString("subtype")).isEqualTo("AT_DetachPartition");
        JsonObject partition = cmd.getJsonObject("def").getJsonObject("PartitionCmd");
        assertThat(partition.getBoolean("concurrent")).isTrue();
        assertThat(partition.getJsonObject("name").getString("relname")).isEqualTo("p_2020");
    }

    @Test
    void aSyntaxErrorHasPostgresMessageAndPosition() {
        String sql = "SELECT 1;\n  SELECT 'é😀' FRM users;";
        var failed = (PgParseResult.Failed) PgParser.parse(sql);
        // FRM is taken for a column alias: the error is at the word after it.
        assertThat(failed.message()).isEqualTo("syntax error at or near \"users\"");
        // PostgreSQL counts characters; the Java string counts the emoji as two.
        assertThat(failed.position()).isEqualTo(sql.indexOf("users"));
        assertThat(failed.line()).isEqualTo(2);
        assertThat(failed.column()).isEqualTo(20);

        var unterminated = (PgParseResult.Failed) PgParser.parse("SELECT 'abc");
        assertThat(unterminated.message()).startsWith("unterminated quoted string");
        assertThat(unterminated.position()).isEqualTo(7);
        // The error unwound through the module (longjmp); it parses on as before.
        assertThat(only("SELECT 1").kind()).isEqualTo("SelectStmt");
    }

    @Test
    void statementsOfOneTextKnowWhereTheyAre() {
        String sql = """
                -- expand: add the column
                ALTER TABLE users ADD COLUMN email text;

                /* nested /* comments */ count as one */
                CREATE INDEX CONCURRENTLY idx_email ON users (email);
                INSERT INTO notes VALUES ('café ☕'); UPDATE users SET email = 'x'
                """;
        List<PgStatement> statements = parsed(sql).statements();
        assertThat(statements).extracting(PgStatement::kind)
                .containsExactly("AlterTableStmt", "IndexStmt", "InsertStmt", "UpdateStmt");
        assertThat(statements).extracting(PgStatement::line).containsExactly(2, 5, 6, 6);
        assertThat(statements).extracting(s -> s.text(sql)).containsExactly(
                "ALTER TABLE users ADD COLUMN email text",
                "CREATE INDEX CONCURRENTLY idx_email ON users (email)",
                "INSERT INTO notes VALUES ('café ☕')",
                // The last one has no semicolon: it runs to the end of the text.
                "UPDATE users SET email = 'x'\n");
        PgStatement second = statements.get(1);
        assertThat(second.location()).isEqualTo(sql.indexOf(';') + 1);
        assertThat(second.start()).isEqualTo(sql.indexOf("CREATE"));
        // After non-ASCII text, byte offsets and string indexes differ.
        assertThat(statements.get(3).start()).isEqualTo(sql.indexOf("UPDATE"));
    }

    @Test
    void aCommentIsNoStatement() {
        assertThat(parsed("-- ALTER TABLE users DROP COLUMN email;\n/* DROP COLUMN name; */\n").statements()).isEmpty();
        assertThat(parsed("").statements()).isEmpty();
        List<PgStatement> statements = parsed("SELECT 1; -- DROP COLUMN x;\nSELECT 2;").statements();
        assertThat(statements).extracting(PgStatement::kind).containsExactly("SelectStmt", "SelectStmt");
        assertThat(statements.get(1).line()).isEqualTo(2);
    }

    @Test
    void dollarQuotedBodiesStayInsideTheirStatement() {
        String sql = """
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                  EXECUTE 'ALTER TABLE users DROP COLUMN email';
                  RETURN NEW;
                END
                $fn$;
                DO $$ BEGIN PERFORM 1; END $$;
                """;
        List<PgStatement> statements = parsed(sql).statements();
        assertThat(statements).extracting(PgStatement::kind).containsExactly("CreateFunctionStmt", "DoStmt");
        assertThat(statements.get(1).line()).isEqualTo(7);
        String body = statements.get(0).node().getJsonArray("options").stream()
                .map(o -> ((JsonObject) o).getJsonObject("DefElem"))
                .filter(d -> d.getString("defname").equals("as"))
                .map(d -> d.getJsonObject("arg").getJsonObject("List").getJsonArray("items").getJsonObject(0)
                        .getJsonObject("String").getString("sval"))
                .findFirst().orElseThrow();
        assertThat(body).contains("DROP COLUMN email';\n  RETURN NEW;");
    }

    @Test
    void aNulCharacterIsAnErrorAtItsPlace() {
        var failed = (PgParseResult.Failed) PgParser.parse("SELECT 1;\0 DROP TABLE users;");
        assertThat(failed.message()).contains("NUL");
        assertThat(failed.position()).isEqualTo(9);
    }

    @Test
    void deeplyNestedExpressionsParse() {
        // Deeper than the JVM's default thread stack allows, and than Vert.x's JSON decoder takes (1,000 levels).
        PgStatement s = only("SELECT 1" + " + 1".repeat(1_500));
        JsonObject value = s.node().getJsonArray("targetList").getJsonObject(0).getJsonObject("ResTarget")
                .getJsonObject("val");
        int depth = 0;
        for (JsonObject e = value; e.containsKey("A_Expr"); e = e.getJsonObject("A_Expr").getJsonObject("lexpr")) {
            depth++;
        }
        assertThat(depth).isEqualTo(1_500);
    }

    @Test
    void callersOnManyThreadsEachGetTheirOwnTree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> names = IntStream.range(0, 40)
                    .mapToObj(i -> pool.submit(() -> only("CREATE INDEX idx_" + i + " ON t (c);").node()
                            .getString("idxname")))
                    .toList();
            for (int i = 0; i < names.size(); i++) {
                assertThat(names.get(i).get()).isEqualTo("idx_" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static PgParseResult.Parsed parsed(String sql) {
        PgParseResult result = PgParser.parse(sql);
        assertThat(result).isInstanceOf(PgParseResult.Parsed.class);
        return (PgParseResult.Parsed) result;
    }

    private static PgStatement only(String sql) {
        List<PgStatement> statements = parsed(sql).statements();
        assertThat(statements).hasSize(1);
        return statements.get(0);
    }

    private static JsonObject alterCommand(String sql) {
        PgStatement s = only(sql);
        assertThat(s.kind()).isEqualTo("AlterTableStmt");
        return s.node().getJsonArray("cmds").getJsonObject(0).getJsonObject("AlterTableCmd");
    }

    private static JsonObject constraintOf(JsonObject alterCommand) {
        return alterCommand.getJsonObject("def").getJsonObject("Constraint");
    }

    private static List<String> contypes(JsonObject columnElement) {
        return columnElement.getJsonObject("ColumnDef").getJsonArray("constraints").stream()
                .map(c -> ((JsonObject) c).getJsonObject("Constraint").getString("contype")).toList();
    }
}
