package org.roost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The used heap read from jcmd's GC.heap_info, whichever collector answers. */
class ProcStatsTest {
    @Test
    void serialCollectorHeapIsBothGenerations() {
        String info = """
                25390:
                DefNew     total 29504K, used 7230K [0x0000000687400000, 0x0000000689400000, 0x0000000689400000)
                 eden space 26240K,  19% used [0x0000000687400000, 0x00000006878f2170, 0x0000000688da0000)
                 from space 3264K,  66% used [0x00000006890d0000, 0x00000006892eda30, 0x0000000689400000)
                Tenured    total 354304K, used 12616K [0x0000000689400000, 0x000000069ee00000, 0x0000000800000000)
                 the  space 354304K,   3% used [0x0000000689400000, 0x000000068a0522b0, 0x000000069ee00000)
                 Metaspace       used 3929K, committed 4096K, reserved 1114112K
                """;
        assertEquals(7230 + 12616, ProcStats.heapUsedKb(info));
    }

    @Test
    void g1HeapIsOneLineAndMetaspaceIsNotHeap() {
        String info = """
                 garbage-first heap   total reserved 6172672K, committed 262144K, used 14758K [0x0000000687400000, 0x0000000800000000)
                  region size 1024K, 8 young (8192K), 0 survivors (0K)
                 Metaspace       used 3929K, committed 4096K, reserved 1114112K
                """;
        assertEquals(14758, ProcStats.heapUsedKb(info));
        assertEquals(-1, ProcStats.heapUsedKb("ZHeap used 12M, capacity 64M"));
    }
}
