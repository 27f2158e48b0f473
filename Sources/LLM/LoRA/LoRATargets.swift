/// Which module paths a list of PEFT `target_modules` selects.
public struct LoRATargets: Equatable, Sendable {
    /// The targets as PEFT should record them: fused names substituted, repeats removed, in the
    /// order given.
    public var names: [String]
    /// The selected module paths, in model order.
    public var modules: [String]

    /// Phi-3 checkpoints fuse q/k/v into `qkv_proj` and gate/up into `gate_up_proj`; PEFT can only
    /// target the fused modules, so the separate names select them.
    public static let fusedModuleNames = [
        "q_proj": "qkv_proj", "k_proj": "qkv_proj", "v_proj": "qkv_proj",
        "gate_proj": "gate_up_proj", "up_proj": "gate_up_proj",
    ]

    /// Resolves `targets` against `registry`. A target matches a module whose path equals it or
    /// ends with "." + target (PEFT's rule). Throws `LoRAError.unknownTargetModules` listing the
    /// model's projection names when a target matches nothing.
    public init(_ targets: [String], in registry: ProjectionRegistry) throws {
        func selects(_ target: String) -> Bool {
            registry.names.contains { LoRATargets.path($0, matches: target) }
        }
        var resolved: [String] = [], unknown: [String] = []
        for target in targets {
            var name = target
            if !selects(name), let fused = LoRATargets.fusedModuleNames[name], selects(fused) { name = fused }
            guard selects(name) else {
                if !unknown.contains(target) { unknown.append(target) }
                continue
            }
            if !resolved.contains(name) { resolved.append(name) }
        }
        guard unknown.isEmpty else {
            throw LoRAError.unknownTargetModules(names: unknown, available: registry.shortNames)
        }
        names = resolved
        modules = registry.names.filter { path in resolved.contains { LoRATargets.path(path, matches: $0) } }
    }

    /// PEFT's key match: the whole path, or a suffix starting after a dot.
    static func path(_ path: String, matches target: String) -> Bool {
        path == target || path.hasSuffix("." + target)
    }
}
