package org.roost.auth.sasl;

/** A real hash verified for unknown users, so that they cost the same time as wrong passwords. */
final class DummyHash {
    static final String VALUE =
            "{SHA512-CRYPT}$6$roostdummysalt$0pbOSRmDOfWZ1gOsa0Ac.aH1C9gWpo7ABLOAJ1QqeeyA0tCk8u0VtOQz7dVsr6CWbJzbv0V4VUnqFaOPeiRg2.";

    private DummyHash() {}
}
