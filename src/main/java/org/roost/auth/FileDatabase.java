package org.roost.auth;

/** A database held in memory from files (passwd-file, system users): it can say how many users it knows. */
public interface FileDatabase extends PasswordDatabase {
    int size();

    @Override
    default Status status() {
        return new Status(true, size() + " users");
    }
}
