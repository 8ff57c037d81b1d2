package dev.front.launcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTest {

    @Test
    void parsesFieldsAfterTheLastParenthesis() {
        assertThat(ProcStat.parse("4242 (we ird) (name) Z 1 4242 4240 0 -1 4194308 0 0 0 0"))
                .contains(new ProcStat(4242, 'Z', 1, 4242, 4240));
    }

    @Test
    void rejectsWhatIsNotAStatLine() {
        assertThat(ProcStat.parse("")).isEmpty();
        assertThat(ProcStat.parse("12 (x)")).isEmpty();
        assertThat(ProcStat.parse("x (sh) S 1 2 3")).isEmpty();
    }

    @Test
    void readsThisProcess() {
        ProcStat self = ProcStat.of(Posix.getpid()).orElseThrow();
        assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(self.ppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(self.isZombie()).isFalse();
        assertThat(ProcStat.all()).extracting(ProcStat::pid).contains(self.pid());
    }
}
