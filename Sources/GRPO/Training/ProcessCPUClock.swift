import Foundation

/// CPU seconds (user + system, all threads) this process has used: on a shared machine a stage's
/// CPU time moves much less with other load than its wall time does (spinning threads count).
enum ProcessCPUClock {
    static var seconds: Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
}
