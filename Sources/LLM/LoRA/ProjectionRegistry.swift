/// A model's projections by module path, in the order the layers were built, and the adapter
/// state they share: which adapter is attached and whether it is enabled.
public final class ProjectionRegistry {
    /// Module paths in model order (layer 0's q, k, v, o, gate, up, down, then layer 1's …).
    public private(set) var names: [String] = []
    private var weights: [String: AdaptableWeight] = [:]
    /// The adapter whose pairs fill the slots (while enabled).
    public internal(set) var attachedAdapter: LoRAAdapter?
    /// Whether the attached adapter takes part in products.
    var isAdapterEnabled = true

    public init() {}

    /// The projection at `moduleName`, if the model has one.
    public subscript(moduleName: String) -> AdaptableWeight? { weights[moduleName] }

    /// Every projection, in model order.
    public var all: [AdaptableWeight] { names.compactMap { weights[$0] } }

    /// The last component of each module path, without repeats (`q_proj`, `k_proj`, …).
    public var shortNames: [String] {
        var seen = Set<String>()
        return names.compactMap { name in
            let short = String(name.split(separator: ".").last ?? Substring(name))
            return seen.insert(short).inserted ? short : nil
        }
    }

    func register(_ weight: AdaptableWeight) {
        if weights.updateValue(weight, forKey: weight.moduleName) == nil { names.append(weight.moduleName) }
    }

    /// Fills every slot from the attached adapter when enabled, empties them otherwise.
    func refreshSlots() {
        let active = isAdapterEnabled ? attachedAdapter : nil
        var pairs: [String: LoRAProjection] = [:]
        for projection in active?.projections ?? [] { pairs[projection.moduleName] = projection }
        for weight in weights.values { weight.lora = pairs[weight.moduleName] }
    }
}
