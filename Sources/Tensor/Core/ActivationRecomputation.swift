extension Autograd {
    /// Runs `body` without keeping its intermediate tensors, and runs it again during `backward()`
    /// to get its gradients (gradient checkpointing: trade one extra forward for activation memory).
    ///
    /// `body` receives stand-ins for `inputs` (same storage and `requiresGrad`) and must compute its
    /// output from them and from tensors it captures (weights), deterministically: the recomputation
    /// must produce the same graph. Captured tensors must be leaves (parameters) or not require
    /// grad; pass anything computed by recorded ops through `inputs`. Gradients reach `inputs` and
    /// every captured leaf that requires grad, exactly as without checkpointing.
    public static func checkpoint(_ inputs: [Tensor], _ body: @escaping ([Tensor]) -> Tensor) -> Tensor {
        guard isEnabled else { return body(inputs) }
        let output = body(standIns(for: inputs))
        guard output.requiresGrad else { return output }
        // Keep only the output values; the graph (and every activation it holds) is released here.
        let result = output.detach()
        result.requiresGrad = true
        result.gradientNode = GradientNode(inputs: inputs.filter(\.requiresGrad)) { outputGrad in
            let replayInputs = standIns(for: inputs)
            let replayed = body(replayInputs)
            replayed.backward(outputGrad)
            for (input, replay) in zip(inputs, replayInputs) {
                if let gradient = replay.grad { input.accumulateGradient(gradient) }
            }
        }
        return result
    }

    /// Leaf tensors sharing each input's storage, with the same `requiresGrad`.
    private static func standIns(for inputs: [Tensor]) -> [Tensor] {
        inputs.map { input in
            let standIn = input.detach()
            standIn.requiresGrad = input.requiresGrad
            return standIn
        }
    }
}
