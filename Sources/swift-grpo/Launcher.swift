import Foundation
import Tensor

/// Settings that must be in the environment before libraries load.
enum Launcher {
    /// OpenBLAS picks its kernels when it loads, from `OPENBLAS_CORETYPE`. When the variable is
    /// unset, set it to the measured best choice and re-execute this binary so the choice applies.
    static func prepareEnvironment() {
        guard getenv("OPENBLAS_CORETYPE") == nil else { return }
        setenv("OPENBLAS_CORETYPE", BLAS.preferredCoreType, 1)
        let argv = CommandLine.unsafeArgv
        execv("/proc/self/exe", argv)
        // execv returns only on failure; carry on with OpenBLAS's own detection.
    }
}
