#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One recorded op: the tensors it read and the closure that sends its output gradient back.
final class GradientNode {
    let inputs: [Tensor]
    let backward: (Tensor) -> Void

    init(inputs: [Tensor], backward: @escaping (Tensor) -> Void) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// Global switches of the autograd tape.
public enum Autograd {
    /// Per-thread nesting depth of `noGrad` scopes, stored in a pthread key (no locking).
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var noGradDepth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// Whether ops on this thread record their backward closures (false inside `noGrad`).
    public static var isEnabled: Bool { noGradDepth == 0 }

    /// Runs `body` without recording any op on this thread (inference, optimizer updates).
    public static func noGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
        noGradDepth += 1
        defer { noGradDepth -= 1 }
        return try body()
    }
}

extension Tensor {
    /// Whether an op reading `inputs` would be recorded now (grad mode on, some input requires grad).
    public static func isRecording(_ inputs: [Tensor]) -> Bool {
        Autograd.isEnabled && inputs.contains { $0.requiresGrad }
    }

    /// Records `backward` as the way to send `output`'s gradient into `inputs`, when recording;
    /// returns `output`. See the tape contract at the top of Tensor.swift.
    @discardableResult
    public static func record(_ output: Tensor, inputs: [Tensor],
                              backward: @escaping (_ outputGrad: Tensor) -> Void) -> Tensor {
        guard isRecording(inputs) else { return output }
        output.requiresGrad = true
        output.gradientNode = GradientNode(inputs: inputs.filter { $0.requiresGrad }, backward: backward)
        return output
    }

    /// Whether this tensor was made by the user rather than by a recorded op.
    public var isLeaf: Bool { gradientNode == nil }

    /// A tensor sharing this one's storage and shape, outside any graph.
    public func detach() -> Tensor {
        Tensor(shape: shape, storage: storage, offset: offset)
    }

    /// Calls `body` with this tensor's gradient buffer (zero-filled on first use) so a backward
    /// closure can add into it. Does nothing when this tensor does not require grad.
    public func withGradient(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        guard requiresGrad else { return }
        try existingOrNewGradient().withUnsafeMutableBufferPointer(body)
    }

    /// `grad`, allocated as zeros first when absent.
    func existingOrNewGradient() -> Tensor {
        if let existing = grad { return existing }
        let gradient = Tensor(zeros: shape)
        grad = gradient
        return gradient
    }

    /// Adds `gradient` (same element count as this tensor) into `grad`, copying on first use.
    public func accumulateGradient(_ gradient: Tensor) {
        guard requiresGrad else { return }
        precondition(gradient.count == count,
                     "accumulateGradient: gradient of shape \(gradient.shape) for tensor of shape \(shape)")
        if let existing = grad {
            existing.withUnsafeMutableBufferPointer { target in
                gradient.withUnsafeBufferPointer { source in
                    for index in 0..<target.count { target[index] += source[index] }
                }
            }
        } else {
            grad = gradient.withUnsafeBufferPointer { Tensor(shape: shape, storage: TensorStorage(copying: $0)) }
        }
    }

    /// Forgets the accumulated gradient.
    public func zeroGradient() {
        grad = nil
    }

    /// Back-propagates from this tensor into every leaf that requires grad.
    ///
    /// - Parameters:
    ///   - gradient: d(loss)/d(self); may be omitted for a one-element tensor (seeded with 1).
    ///   - retainGraph: keep the recorded closures so `backward` can run again over the same graph.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        precondition(requiresGrad, "backward(): this tensor does not require grad; set requiresGrad on a parameter first")
        let seed: Tensor
        if let gradient {
            precondition(gradient.count == count, "backward(): gradient shape \(gradient.shape) does not match \(shape)")
            seed = gradient
        } else {
            precondition(count == 1, "backward(): pass a gradient for a non-scalar tensor of shape \(shape)")
            seed = Tensor(shape: shape, repeating: 1)
        }
        let order = topologicalOrder()
        accumulateGradient(seed)
        for tensor in order.reversed() {
            guard let node = tensor.gradientNode else { continue }
            if let outputGrad = tensor.grad {
                node.backward(outputGrad)
            }
            if !tensor.retainsGrad { tensor.grad = nil }
            if !retainGraph { tensor.gradientNode = nil }
        }
    }

    /// Tensors reachable from `self` through recorded inputs, every input before its users.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        // Iterative depth-first search: (tensor, index of the next input to visit).
        var stack: [(Tensor, Int)] = [(self, 0)]
        while let (tensor, nextInput) = stack.last {
            let inputs = tensor.gradientNode?.inputs ?? []
            if nextInput < inputs.count {
                stack[stack.count - 1].1 += 1
                let input = inputs[nextInput]
                if input.requiresGrad, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                stack.removeLast()
                order.append(tensor)
            }
        }
        return order
    }
}
