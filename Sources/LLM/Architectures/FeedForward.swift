import Tensor

/// The gated MLP of every decoder here: down(act(gate(x)) · up(x)).
public struct GatedFeedForward {
    public enum Projections {
        case separate(gate: LinearLayer, up: LinearLayer)
        /// Phi-3's `gate_up_proj`: output columns are gate, then up.
        case fused(LinearLayer, intermediateSize: Int)
    }

    public var projections: Projections
    public var down: LinearLayer
    public var activation: Activation

    /// x [N, hidden] → [N, hidden], the down projection's fresh product (`addingResidual` may
    /// consume it).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let gate: Tensor, up: Tensor
        switch projections {
        case let .separate(gateProjection, upProjection):
            let products = LinearLayer.products(of: [gateProjection, upProjection], sharingInput: x)
            gate = products[0]
            up = products[1]
        case let .fused(gateUp, intermediate):
            let parts = gateUp(x).split(sizes: [intermediate, intermediate], alongAxis: 1)
            gate = parts[0]
            up = parts[1]
        }
        return down(gatedActivation(gate: gate, up: up, activation))
    }
}
