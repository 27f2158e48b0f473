import Foundation

/// Turns a Unix signal into a call on an ordinary thread. The signal handler only writes a byte
/// to a pipe (async-signal-safe); a watcher thread reads it and runs `action`, so the action may
/// take locks and allocate.
public enum SignalWatcher {
    nonisolated(unsafe) private static var pipeWrite: Int32 = -1

    /// Installs the handler for `signal` (once per process) and starts the watcher thread.
    public static func watch(_ signal: Int32, action: @escaping @Sendable () -> Void) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        let readEnd = fds[0]
        pipeWrite = fds[1]
        var handler = sigaction()
        #if canImport(Glibc)
        handler.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(SignalWatcher.pipeWrite, &byte, 1)
        }
        #else
        handler.__sigaction_u.__sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(SignalWatcher.pipeWrite, &byte, 1)
        }
        #endif
        sigemptyset(&handler.sa_mask)
        handler.sa_flags = SA_RESTART
        sigaction(signal, &handler, nil)
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { action() } else if count < 0 && errno != EINTR { return }
            }
        }
        thread.name = "signal-\(signal)"
        thread.start()
    }
}
