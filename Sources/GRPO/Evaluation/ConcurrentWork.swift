import Foundation

/// Runs `count` independent jobs with at most `limit` at a time and returns their results in
/// order. A job that throws an error for which `isFatal` holds stops the jobs not yet started,
/// and that error is thrown; other errors are returned in place.
enum ConcurrentWork {
    static func map<T>(count: Int, limit: Int, isFatal: @escaping (Error) -> Bool,
                       _ job: @escaping (Int) throws -> T) throws -> [Result<T, Error>] {
        guard count > 0 else { return [] }
        let results = LockedBox([Result<T, Error>?](repeating: nil, count: count))
        let fatal = LockedBox<Error?>(nil)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = max(1, limit)
        for index in 0..<count {
            queue.addOperation {
                if fatal.value != nil { return }
                let result = Result { try job(index) }
                results.update { $0[index] = result }
                if case .failure(let error) = result, isFatal(error) { fatal.update { $0 = $0 ?? error } }
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        if let error = fatal.value { throw error }
        return results.value.map { $0 ?? .failure(JudgeError.cancelled) }
    }
}

/// A value shared between threads, read and changed under a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) {
        lock.withLock { change(&stored) }
    }
}
