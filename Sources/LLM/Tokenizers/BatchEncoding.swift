import Foundation

extension Tokenizer {
    /// The ids of each text, encoded on all cores (the tokenizer is thread-safe).
    public func encode(batch texts: [String], addSpecialTokens: Bool = false) -> [[Int]] {
        var results = [[Int]](repeating: [], count: texts.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, texts.count))
        results.withUnsafeMutableBufferPointer { buffer in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < texts.count {
                    buffer[index] = encode(texts[index], addSpecialTokens: addSpecialTokens)
                    index += workers
                }
            }
        }
        return results
    }
}
