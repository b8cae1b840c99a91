package org.roost.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed map as a database (tests). */
class MapDatabase implements FileDatabase {
    private final Map<String, UserRecord> users;

    MapDatabase(Map<String, UserRecord> users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "map";
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        return Optional.ofNullable(users.get(query.user()));
    }

    @Override
    public List<String> userNames(int limit) {
        return users.keySet().stream().sorted().limit(limit).toList();
    }

    @Override
    public void reload() {}

    @Override
    public int size() {
        return users.size();
    }
}
