import Foundation
import Tensor

/// Settings that must be in the environment before libraries load.
enum Launcher {
    /// OpenBLAS reads its settings when it loads: its kernels from `OPENBLAS_CORETYPE`, how long
    /// its idle workers spin from `OPENBLAS_THREAD_TIMEOUT`. Each one that is unset is set to the
    /// measured best choice, and then this binary re-executes itself so the choices apply.
    /// (Set both to run without the re-exec, as heaptrack needs.)
    static func prepareEnvironment() {
        var changed = false
        for (name, value) in [("OPENBLAS_CORETYPE", BLAS.preferredCoreType),
                              ("OPENBLAS_THREAD_TIMEOUT", BLAS.preferredThreadTimeout)] where getenv(name) == nil {
            setenv(name, value, 1)
            changed = true
        }
        guard changed else { return }
        let argv = CommandLine.unsafeArgv
        execv("/proc/self/exe", argv)
        // execv returns only on failure; carry on with OpenBLAS's own choices.
    }
}
