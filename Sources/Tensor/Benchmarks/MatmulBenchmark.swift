import COpenBLAS
import Foundation

/// Times `Tensor.matmul` against a raw `cblas_sgemm` on the same shapes in the same process.
public enum MatmulBenchmark {
    /// One measured shape: C[m, n] = A[m, k] · B[k, n].
    public struct Result: Sendable {
        public let m: Int
        public let k: Int
        public let n: Int
        /// Best-of-N throughput of a raw cblas_sgemm into a preallocated output.
        public let rawGFLOPS: Double
        /// Best-of-N throughput of `Tensor.matmul` (allocating its output tensor each call).
        public let tensorGFLOPS: Double
        /// tensorGFLOPS / rawGFLOPS.
        public var ratio: Double { tensorGFLOPS / rawGFLOPS }
    }

    /// The three shapes of the default model's projections: attention/MLP in, MLP out, and the LM head.
    public static let defaultShapes: [(m: Int, k: Int, n: Int)] = [(256, 576, 1536), (256, 1536, 576), (256, 576, 49152)]

    /// Measures one shape: `rounds` interleaved rounds, each timing raw and tensor calls back to back
    /// for at least `minimumSeconds`, reporting the best round of each.
    public static func measure(m: Int, k: Int, n: Int, rounds: Int = 5, minimumSeconds: Double = 0.2) -> Result {
        var stream = RandomStream(seed: 7)
        let a = Tensor.uniform([m, k], in: -1...1, using: &stream)
        let b = Tensor.uniform([k, n], in: -1...1, using: &stream)
        let c = Tensor(zeros: [m, n])
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let raw = {
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    c.withUnsafeMutableBufferPointer { z in
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                                    1, x.baseAddress, Int32(k), y.baseAddress, Int32(n), 0, z.baseAddress, Int32(n))
                    }
                }
            }
        }
        let ours = { Autograd.noGrad { _ = Tensor.matmul(a, b) } }
        raw(); ours()  // warm up caches, threads and the storage pool
        var bestRaw = 0.0, bestOurs = 0.0
        for _ in 0..<rounds {
            bestRaw = max(bestRaw, flops / secondsPerCall(minimumSeconds: minimumSeconds, raw) / 1e9)
            bestOurs = max(bestOurs, flops / secondsPerCall(minimumSeconds: minimumSeconds, ours) / 1e9)
        }
        return Result(m: m, k: k, n: n, rawGFLOPS: bestRaw, tensorGFLOPS: bestOurs)
    }

    /// Mean wall time of `body` over as many calls as fit in `minimumSeconds` (at least 3).
    public static func secondsPerCall(minimumSeconds: Double, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var calls = 0
        var elapsed = 0.0
        repeat {
            body()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds || calls < 3
        return elapsed / Double(calls)
    }
}
