package org.roost.auth.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.roost.auth.LookupTemplate;
import org.roost.auth.LookupTemplate.Part;
import org.roost.auth.UserQuery;

/**
 * A Dovecot-style query whose variables become bind parameters: {@code '%u'} (quoted, as Dovecot configurations
 * write it) and a bare {@code %u} are both one {@code ?}, so no user name is ever spliced into SQL. A variable
 * inside a longer string literal ({@code '%n@%d'}) is refused: write {@code CONCAT('%n', '@', '%d')} instead.
 */
final class SqlQuery {
    private final String sql;
    private final List<Part.Value> parameters;
    private final LookupTemplate template;

    private SqlQuery(String sql, List<Part.Value> parameters, LookupTemplate template) {
        this.sql = sql;
        this.parameters = List.copyOf(parameters);
        this.template = template;
    }

    /** @throws IllegalArgumentException naming the variable that cannot become a parameter */
    static SqlQuery parse(String text) {
        var template = LookupTemplate.parse(text);
        var parts = template.parts();
        var sql = new StringBuilder();
        var parameters = new ArrayList<Part.Value>();
        boolean inLiteral = false;
        for (int i = 0; i < parts.size(); i++) {
            switch (parts.get(i)) {
                case Part.Text t -> {
                    var chunk = t.text();
                    if (i > 0 && parts.get(i - 1) instanceof Part.Value && inLiteral) {
                        chunk = chunk.substring(1);
                        inLiteral = false;
                    }
                    sql.append(chunk);
                    inLiteral ^= quotes(chunk) % 2 == 1;
                }
                case Part.Value v -> {
                    if (inLiteral) {
                        boolean quotedAlone = sql.charAt(sql.length() - 1) == '\''
                                && i + 1 < parts.size() && parts.get(i + 1) instanceof Part.Text next
                                && next.text().startsWith("'");
                        if (!quotedAlone) {
                            throw new IllegalArgumentException(v.variable().notation() + " stands inside a longer string literal; a variable must stand alone ('%u') "
                                    + "because it becomes a bind parameter (use CONCAT to build strings)");
                        }
                        sql.setLength(sql.length() - 1);
                    }
                    sql.append('?');
                    parameters.add(v);
                }
            }
        }
        if (inLiteral) {
            throw new IllegalArgumentException("a string literal is not closed");
        }
        return new SqlQuery(sql.toString(), parameters, template);
    }

    private static long quotes(String text) {
        return text.chars().filter(c -> c == '\'').count();
    }

    /** The statement with {@code ?} in place of every variable. */
    String sql() {
        return sql;
    }

    LookupTemplate template() {
        return template;
    }

    PreparedStatement prepare(Connection connection, UserQuery query) throws SQLException {
        var statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i).of(query));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
